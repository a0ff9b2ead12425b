// The parsing algorithms of RFC 8941 §4.2, step by step (with RFC 9651 §4.2.9–§4.2.10 for
// Dates and Display Strings).
#include "check/parse/StructuredField.hpp"

#include <cstring>

namespace cproxy::check {

std::string_view to_string(SfType type) noexcept {
    switch (type) {
        case SfType::integer: return "an Integer";
        case SfType::decimal: return "a Decimal";
        case SfType::string: return "a String";
        case SfType::token: return "a Token";
        case SfType::byte_sequence: return "a Byte Sequence";
        case SfType::boolean: return "a Boolean";
        case SfType::date: return "a Date";
        case SfType::display_string: return "a Display String";
    }
    return "an item";
}

namespace {

constexpr bool is_lcalpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_base64(char c) noexcept {
    return grammar::is_alpha(c) || grammar::is_digit(c) || c == '+' || c == '/';
}
constexpr bool is_lchex(char c) noexcept { return grammar::is_digit(c) || (c >= 'a' && c <= 'f'); }

// The parser state: the text and a position in it; the first failure is kept.
class Parser {
public:
    explicit Parser(std::string_view text) noexcept : text_(text) {}

    bool at_end() const noexcept { return pos_ >= text_.size(); }
    char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
    std::size_t pos() const noexcept { return pos_; }
    std::string_view since(std::size_t start) const noexcept { return text_.substr(start, pos_ - start); }

    bool fail(std::string_view why) noexcept {
        if (result_.ok) result_ = SfResult{false, pos_, why};
        return false;
    }
    const SfResult& result() const noexcept { return result_; }

    bool consume(char c) noexcept {
        if (at_end() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }

    void skip_sp() noexcept {
        while (!at_end() && text_[pos_] == ' ') ++pos_;
    }
    void skip_ows() noexcept {
        while (!at_end() && grammar::is_ows(text_[pos_])) ++pos_;
    }

    // §4.2.3.3
    bool parse_key(std::string_view& key) noexcept {
        const std::size_t start = pos_;
        if (at_end() || !(is_lcalpha(peek()) || peek() == '*'))
            return fail(at_end() ? "a key is missing" : "a key must start with a lowercase letter or '*'");
        while (!at_end()) {
            const char c = text_[pos_];
            if (!(is_lcalpha(c) || grammar::is_digit(c) || c == '_' || c == '-' || c == '.' || c == '*')) break;
            ++pos_;
        }
        key = since(start);
        return true;
    }

    // §4.2.3.1
    bool parse_bare_item(SfBareItem& item) noexcept {
        const char c = peek();
        if (c == '-' || grammar::is_digit(c)) return parse_number(item);
        if (c == '"') return parse_string(item);
        if (grammar::is_alpha(c) || c == '*') return parse_token(item);
        if (c == ':') return parse_byte_sequence(item);
        if (c == '?') return parse_boolean(item);
        if (c == '@') return parse_date(item);
        if (c == '%') return parse_display_string(item);
        return fail(at_end() ? "a value is missing" : "not the start of any item type");
    }

    // §4.2.3.2: *( ";" *SP key [ "=" bare-item ] )
    bool parse_parameters(std::string_view& parameters) noexcept {
        const std::size_t start = pos_;
        while (consume(';')) {
            skip_sp();
            std::string_view key;
            if (!parse_key(key)) return false;
            if (consume('=')) {
                SfBareItem value;
                if (!parse_bare_item(value)) return false;
            }
        }
        parameters = since(start);
        return true;
    }

    // §4.2.3: bare item and parameters.
    bool parse_item(SfMember& member) noexcept {
        return parse_bare_item(member.item) && parse_parameters(member.parameters);
    }

    // §4.2.1.2: "(" *SP [ item *( 1*SP item ) *SP ] ")" parameters
    bool parse_inner_list(SfMember& member) noexcept {
        member.inner_list = true;
        ++pos_;  // "("
        while (!at_end()) {
            skip_sp();
            if (consume(')')) return parse_parameters(member.parameters);
            SfMember inner;
            if (!parse_item(inner)) return false;
            if (at_end()) break;
            if (peek() != ' ' && peek() != ')') return fail("inner list items are separated by spaces");
        }
        return fail("the inner list has no closing ')'");
    }

    bool parse_item_or_inner_list(SfMember& member) noexcept {
        if (!at_end() && peek() == '(') return parse_inner_list(member);
        return parse_item(member);
    }

    // After a member: OWS, then the end or "," OWS and another member.
    // Returns true when another member follows.
    bool next_member() noexcept {
        skip_ows();
        if (at_end()) return false;
        if (peek() != ',') return fail("members are separated by ','");
        ++pos_;
        skip_ows();
        if (at_end()) return fail("a trailing ',' after the last member");
        return true;
    }

private:
    // §4.2.4
    bool parse_number(SfBareItem& item) noexcept {
        const std::size_t start = pos_;
        bool negative = false;
        if (peek() == '-') {
            negative = true;
            ++pos_;
        }
        if (at_end() || !grammar::is_digit(peek())) return fail("a '-' must be followed by a digit");
        bool decimal = false;
        std::size_t length = 0;  // characters of the number after the sign, '.' included
        std::size_t dot = 0;
        std::int64_t value = 0;
        while (!at_end()) {
            const char c = text_[pos_];
            if (grammar::is_digit(c)) {
                if (!decimal) value = value * 10 + (c - '0');
            } else if (!decimal && c == '.') {
                if (length > 12) return fail("a Decimal has at most 12 integer digits");
                decimal = true;
                dot = length;
            } else {
                break;
            }
            ++pos_;
            ++length;
            if (!decimal && length > 15) return fail("an Integer has at most 15 digits");
            if (decimal && length > 16) return fail("a Decimal has at most 16 characters");
        }
        if (decimal) {
            const std::size_t fraction = length - dot - 1;
            if (fraction == 0) return fail("a Decimal must not end with '.'");
            if (fraction > 3) return fail("a Decimal has at most 3 fraction digits");
            item.type = SfType::decimal;
        } else {
            item.type = SfType::integer;
            item.integer = negative ? -value : value;
        }
        item.text = since(start);
        return true;
    }

    // §4.2.5
    bool parse_string(SfBareItem& item) noexcept {
        const std::size_t start = pos_;
        ++pos_;  // DQUOTE
        while (!at_end()) {
            const char c = text_[pos_++];
            if (c == '\\') {
                if (at_end()) break;
                const char escaped = text_[pos_];
                if (escaped != '"' && escaped != '\\') {
                    return fail("a String allows only \\\" and \\\\ as escapes");
                }
                ++pos_;
            } else if (c == '"') {
                return complete(item, SfType::string, start);
            } else if (c < 0x20 || c > 0x7e) {
                --pos_;
                return fail("a String holds only printable ASCII");
            }
        }
        return fail("the String has no closing '\"'");
    }

    // §4.2.6: ( ALPHA / "*" ) *( tchar / ":" / "/" )
    bool parse_token(SfBareItem& item) noexcept {
        const std::size_t start = pos_++;
        while (!at_end() && (grammar::is_tchar(peek()) || peek() == ':' || peek() == '/')) ++pos_;
        return complete(item, SfType::token, start);
    }

    // §4.2.7: ":" *(base64) ":"; padding may be missing (parsers SHOULD NOT fail on it).
    bool parse_byte_sequence(SfBareItem& item) noexcept {
        const std::size_t start = pos_++;
        std::size_t chars = 0;
        std::size_t padding = 0;
        while (!at_end() && peek() != ':') {
            const char c = peek();
            if (c == '=') {
                ++padding;
            } else if (!is_base64(c) || padding > 0) {
                return fail("a Byte Sequence holds only base64 characters, '=' only at its end");
            }
            ++chars;
            ++pos_;
        }
        if (at_end()) return fail("the Byte Sequence has no closing ':'");
        if (padding > 2 || (padding > 0 && chars % 4 != 0) || (chars - padding) % 4 == 1)
            return fail("the Byte Sequence is not valid base64");
        ++pos_;
        return complete(item, SfType::byte_sequence, start);
    }

    // §4.2.8: "?" ( "0" / "1" )
    bool parse_boolean(SfBareItem& item) noexcept {
        const std::size_t start = pos_++;
        if (peek() != '0' && peek() != '1') return fail("a Boolean is ?0 or ?1");
        item.boolean = peek() == '1';
        ++pos_;
        return complete(item, SfType::boolean, start);
    }

    // RFC 9651 §4.2.9: "@" sf-integer
    bool parse_date(SfBareItem& item) noexcept {
        const std::size_t start = pos_++;
        SfBareItem number;
        if (at_end() || !(peek() == '-' || grammar::is_digit(peek())))
            return fail("a Date is '@' and an Integer");
        if (!parse_number(number)) return false;
        if (number.type != SfType::integer) return fail("a Date is '@' and an Integer");
        item.integer = number.integer;
        return complete(item, SfType::date, start);
    }

    // RFC 9651 §4.2.10: "%" DQUOTE *( unescaped / "\" / pct-encoded ) DQUOTE, lowercase hex.
    bool parse_display_string(SfBareItem& item) noexcept {
        const std::size_t start = pos_++;
        if (at_end() || peek() != '"') return fail("a Display String starts with %\"");
        ++pos_;
        while (!at_end()) {
            const char c = text_[pos_];
            if (c < 0x20 || c > 0x7e) return fail("a Display String holds only printable ASCII");
            ++pos_;
            if (c == '"') {
                return complete(item, SfType::display_string, start);
            }
            if (c == '%') {
                if (pos_ + 2 > text_.size() || !is_lchex(text_[pos_]) || !is_lchex(text_[pos_ + 1]))
                    return fail("a Display String escapes as %xx in lowercase hex");
                pos_ += 2;
            }
        }
        return fail("the Display String has no closing '\"'");
    }

    // A bare item of `type` ends here; its text began at `start`.
    bool complete(SfBareItem& item, SfType type, std::size_t start) noexcept {
        item.type = type;
        item.text = since(start);
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    SfResult result_;
};

// A list (§4.2.1) or a dictionary (§4.2.2): members separated by OWS "," OWS, none trailing;
// an empty text holds no member.
SfResult parse_members(std::string_view text, bool dictionary, SfMemberCallback on_member) {
    Parser parser(text);
    parser.skip_sp();
    if (parser.at_end()) return parser.result();
    do {
        const std::size_t start = parser.pos();
        SfMember member;
        bool ok;
        if (!dictionary) {
            ok = parser.parse_item_or_inner_list(member);
        } else if (!parser.parse_key(member.key)) {
            ok = false;
        } else if (parser.consume('=')) {
            ok = parser.parse_item_or_inner_list(member);
        } else {
            member.item = SfBareItem{SfType::boolean, {}, 0, true};  // a bare key is true
            ok = parser.parse_parameters(member.parameters);
        }
        if (!ok) return parser.result();
        member.text = parser.since(start);
        if (on_member) on_member(member);
    } while (parser.next_member());
    return parser.result();
}

}  // namespace

SfResult parse_sf_list(std::string_view text, SfMemberCallback on_member) {
    return parse_members(text, false, on_member);
}

SfResult parse_sf_dictionary(std::string_view text, SfMemberCallback on_member) {
    return parse_members(text, true, on_member);
}

SfResult parse_sf_item(std::string_view text, SfBareItem* item, std::string_view* parameters) {
    Parser parser(text);
    parser.skip_sp();
    SfMember member;
    if (!parser.parse_item(member)) return parser.result();
    parser.skip_sp();
    if (!parser.at_end()) {
        parser.fail(parser.peek() == ',' ? "a list where a single item is expected"
                                         : "text after the item");
        return parser.result();
    }
    if (item) *item = member.item;
    if (parameters) *parameters = member.parameters;
    return parser.result();
}

void for_each_sf_parameter(std::string_view parameters,
                           SfCallback<void(std::string_view key, const SfBareItem&)> on_parameter) {
    Parser parser(parameters);
    while (parser.consume(';')) {
        parser.skip_sp();
        std::string_view key;
        if (!parser.parse_key(key)) return;
        SfBareItem value{SfType::boolean, {}, 0, true};
        if (parser.consume('=') && !parser.parse_bare_item(value)) return;
        on_parameter(key, value);
    }
}

std::string_view join_field_lines(const RawHead& head, KnownField field, std::span<char> buffer,
                                  bool& fits) noexcept {
    fits = true;
    if (head.count(field) == 1) return head.first(field)->value;
    std::size_t size = 0;
    bool first = true;
    head.for_each(field, [&](const FieldLine& line) {
        const std::size_t needed = (first ? 0 : 2) + line.value.size();
        if (!fits || size + needed > buffer.size()) {
            fits = false;
            return;
        }
        if (!first) {
            buffer[size++] = ',';
            buffer[size++] = ' ';
        }
        if (!line.value.empty()) std::memcpy(buffer.data() + size, line.value.data(), line.value.size());
        size += line.value.size();
        first = false;
    });
    if (!fits) return {};
    return std::string_view(buffer.data(), size);
}

}  // namespace cproxy::check

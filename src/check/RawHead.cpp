#include "check/RawHead.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "check/HttpGrammar.hpp"

namespace cproxy::check {
namespace {

struct NamedField {
    std::string_view name;
    KnownField field;
};

constexpr NamedField kKnownFields[] = {
    {"content-type", KnownField::content_type},
    {"content-length", KnownField::content_length},
    {"transfer-encoding", KnownField::transfer_encoding},
    {"date", KnownField::date},
    {"location", KnownField::location},
    {"retry-after", KnownField::retry_after},
    {"allow", KnownField::allow},
    {"www-authenticate", KnownField::www_authenticate},
    {"proxy-authenticate", KnownField::proxy_authenticate},
    {"content-range", KnownField::content_range},
    {"content-location", KnownField::content_location},
    {"etag", KnownField::etag},
    {"last-modified", KnownField::last_modified},
    {"expires", KnownField::expires},
    {"age", KnownField::age},
    {"upgrade", KnownField::upgrade},
    {"authorization", KnownField::authorization},
    {"proxy-authorization", KnownField::proxy_authorization},
    {"cookie", KnownField::cookie},
    {"set-cookie", KnownField::set_cookie},
    {"connection", KnownField::connection},
    {"keep-alive", KnownField::keep_alive},
    {"te", KnownField::te},
    {"trailer", KnownField::trailer},
    {"proxy-connection", KnownField::proxy_connection},
};

struct Line {
    std::string_view text;   // without its LF and a CR right before it
    std::string_view whole;  // as written, line ending included
    bool crlf = false;
};

// Splits off the next line.
Line next_line(std::string_view& rest) noexcept {
    const std::size_t lf = rest.find('\n');
    Line line;
    line.whole = lf == std::string_view::npos ? rest : rest.substr(0, lf + 1);
    line.text = lf == std::string_view::npos ? rest : rest.substr(0, lf);
    rest.remove_prefix(line.whole.size());
    if (!line.text.empty() && line.text.back() == '\r') {
        line.text.remove_suffix(1);
        line.crlf = lf != std::string_view::npos;
    }
    return line;
}

}  // namespace

namespace {

// kKnownFields grouped by name length: a field name is compared with at most a few
// candidates instead of the whole list (this runs for every field of every response).
constexpr std::size_t kMaxKnownLength = 19;  // "proxy-authorization"
constexpr std::size_t kMaxSameLength = 4;
struct SameLength {
    std::uint8_t count = 0;
    std::uint8_t index[kMaxSameLength] = {};
};
constexpr auto kByLength = [] {
    std::array<SameLength, kMaxKnownLength + 1> table{};
    for (std::size_t i = 0; i < std::size(kKnownFields); ++i) {
        auto& slot = table[kKnownFields[i].name.size()];
        slot.index[slot.count++] = static_cast<std::uint8_t>(i);
    }
    return table;
}();
static_assert([] {
    for (const NamedField& known : kKnownFields)
        if (known.name.size() > kMaxKnownLength) return false;
    for (const auto& slot : kByLength)
        if (slot.count > kMaxSameLength) return false;
    return true;
}());

}  // namespace

KnownField classify_field_name(std::string_view name) noexcept {
    if (name.size() > kMaxKnownLength) return KnownField::other;
    const SameLength& candidates = kByLength[name.size()];
    for (std::uint8_t i = 0; i < candidates.count; ++i) {
        const NamedField& known = kKnownFields[candidates.index[i]];
        if (grammar::token_equals_lowercase(name, known.name)) return known.field;
    }
    return KnownField::other;
}

RawHead::RawHead(std::string_view raw) noexcept {
    std::string_view rest = raw;
    const Line status_line = next_line(rest);
    all_lines_crlf_ = status_line.crlf;
    parse_status_line(status_line.text);
    unsigned line_number = 1;
    while (!rest.empty()) {
        const Line next = next_line(rest);
        const std::string_view line = next.text;
        all_lines_crlf_ = all_lines_crlf_ && next.crlf;
        ++line_number;
        if (line.empty()) {  // end of the head
            ends_exactly_ = rest.empty() && !next.whole.empty() && next.whole.back() == '\n';
            break;
        }
        if (grammar::is_ows(line.front())) {
            // obs-fold (RFC 9112 §5.2): belongs to the field line above.
            ++continuation_lines_;
            if (fields_.empty()) {
                if (orphan_continuation_.empty()) orphan_continuation_ = line;
            } else if (!fields_.back().has_obs_fold) {
                fields_.back().has_obs_fold = true;
                fields_.back().first_fold = grammar::trim_ows(line);
            }
            continue;
        }
        add_field_line(line, next.whole, line_number);
    }
}

void RawHead::parse_status_line(std::string_view line) noexcept {
    status_line_ = line;
    const std::size_t first_space = line.find(' ');
    version_ = line.substr(0, first_space);
    if (first_space == std::string_view::npos) return;
    std::string_view after_version = line.substr(first_space + 1);
    const std::size_t second_space = after_version.find(' ');
    status_text_ = after_version.substr(0, second_space);
    if (second_space != std::string_view::npos) reason_ = after_version.substr(second_space + 1);
    if (status_text_.size() == 3 && grammar::is_digits(status_text_))
        status_ = (status_text_[0] - '0') * 100 + (status_text_[1] - '0') * 10 +
                  (status_text_[2] - '0');
}

void RawHead::add_field_line(std::string_view line, std::string_view whole_line, unsigned line_number) noexcept {
    FieldLine field;
    field.line_number = line_number;
    field.line = whole_line;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
        field.has_colon = false;
        field.name = line;
        field.name_is_token = false;
    } else {
        field.name = line.substr(0, colon);
        field.name_is_token = grammar::is_token(field.name);
        field.value = grammar::trim_ows(line.substr(colon + 1));
        field.bad_char_offset = grammar::first_forbidden_char(field.value);
        if (field.name_is_token) field.known = classify_field_name(field.name);
    }
    const auto known = static_cast<std::size_t>(field.known);
    if (counts_[known]++ == 0) first_index_[known] = static_cast<std::uint32_t>(fields_.size());
    fields_.push_back(field);
}

const FieldLine* RawHead::first(KnownField field) const noexcept {
    if (!has(field)) return nullptr;
    return &fields_[first_index_[static_cast<std::size_t>(field)]];
}

}  // namespace cproxy::check

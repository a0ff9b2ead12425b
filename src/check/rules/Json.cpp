// JSON content (RFC 8259) and problem details (RFC 9457): rules that read the response content.
#include <boost/json/basic_parser_impl.hpp>  // the one translation unit that instantiates it
#include <cstring>
#include <optional>
#include <string>

#include "check/HeadRules.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/JsonContent.hpp"
#include "check/parse/Text.hpp"
#include "check/parse/Utf8.hpp"
#include "check/rules/ContentCommon.hpp"

namespace cproxy::check {
namespace {

constinit Rule json_not_utf8{
    .id = "json-not-utf8",
    .level = Level::error,
    .reference = "RFC 8259 §8.1",
    .summary = "JSON content that is not UTF-8",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Content-Length: 15\n\n{\"name\":\"caf\xE9\"}",
};
constinit Rule json_bom{
    .id = "json-bom",
    .level = Level::error,
    .reference = "RFC 8259 §8.1",
    .summary = "JSON content starting with a byte order mark",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Content-Length: 11\n\n\xEF\xBB\xBF{\"id\":7}",
};
constinit Rule json_invalid{
    .id = "json-invalid",
    .level = Level::warning,
    .reference = "RFC 8259 §2–§7; RFC 9110 §8.3",
    .summary = "content labelled as JSON that is not a JSON text",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Content-Length: 12\n\n{\"ids\":[1,]}",
};
constinit Rule problem_not_object{
    .id = "problem-not-object",
    .level = Level::error,
    .reference = "RFC 9457 §3",
    .summary = "application/problem+json content that is not a JSON object",
    .example = "HTTP/1.1 404 Not Found\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Content-Type: application/problem+json\nContent-Length: 7\n\n\"error\"",
};
constinit Rule problem_member_type{
    .id = "problem-member-type",
    .level = Level::error,
    .reference = "RFC 9457 §3.1",
    .summary = "problem details member of the wrong JSON type",
    .example = "HTTP/1.1 404 Not Found\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Content-Type: application/problem+json\nContent-Length: 36\n\n"
               "{\"title\":\"Not Found\",\"status\":\"404\"}",
};
constinit Rule problem_status_mismatch{
    .id = "problem-status-mismatch",
    .level = Level::error,
    .reference = "RFC 9457 §3.1.2",
    .summary = "problem details status differs from the response's status code",
    .example = "HTTP/1.1 422 Unprocessable Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Content-Type: application/problem+json\nContent-Length: 38\n\n"
               "{\"title\":\"Invalid input\",\"status\":400}",
};

using message::concat;
using message::quote;
namespace json = boost::json;

enum class JsonKind : std::uint8_t { none, object, array, string, number, boolean, null };

std::string_view kind_name(JsonKind kind) noexcept {
    switch (kind) {
        case JsonKind::object: return "an object";
        case JsonKind::array: return "an array";
        case JsonKind::string: return "a string";
        case JsonKind::number: return "a number";
        case JsonKind::boolean: return "a boolean";
        case JsonKind::null: return "null";
        case JsonKind::none: break;
    }
    return "nothing";
}

// The members of a problem details object whose type RFC 9457 §3.1 defines.
constexpr std::string_view problem_members[] = {"type", "title", "detail", "instance", "status"};
constexpr std::size_t status_member = 4;

// Boost.JSON's SAX handler: validates without building a document (no allocation beyond the
// parser's nesting stack) and notes the top-level kind and the problem details members.
struct ProblemScan {
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);

    std::size_t depth = 0;
    JsonKind top = JsonKind::none;
    // The key of the top-level member being read (long keys are none of ours).
    char key[9] = {};
    std::size_t key_size = 0;
    int pending_member = -1;  // index in problem_members of the member whose value comes next
    // The first mistyped member, and the last numeric status.
    int mistyped_member = -1;
    JsonKind mistyped_kind = JsonKind::none;
    std::optional<double> status;
    char status_text[32] = {};

    void value(JsonKind kind, double number = 0, json::string_view text = {}) {
        if (depth == 0) {
            top = kind;
            return;
        }
        if (depth != 1 || pending_member < 0) return;
        const int member = pending_member;
        pending_member = -1;
        const JsonKind wanted =
            member == int(status_member) ? JsonKind::number : JsonKind::string;
        if (kind != wanted) {
            if (mistyped_member < 0) {
                mistyped_member = member;
                mistyped_kind = kind;
            }
            return;
        }
        if (member == int(status_member)) {
            status = number;
            const std::size_t size = std::min(text.size(), sizeof status_text - 1);
            std::memcpy(status_text, text.data(), size);
            status_text[size] = '\0';
        }
    }

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_array_begin(json::error_code&) {
        value(JsonKind::array);
        ++depth;
        return true;
    }
    bool on_array_end(std::size_t, json::error_code&) {
        --depth;
        return true;
    }
    bool on_object_begin(json::error_code&) {
        value(JsonKind::object);
        ++depth;
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        --depth;
        return true;
    }
    bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, json::error_code&) {
        value(JsonKind::string);
        return true;
    }
    bool on_key_part(json::string_view part, std::size_t, json::error_code&) {
        append_key(part);
        return true;
    }
    bool on_key(json::string_view part, std::size_t, json::error_code&) {
        append_key(part);
        pending_member = -1;
        if (depth == 1 && key_size < sizeof key) {
            const std::string_view name(key, key_size);
            for (std::size_t i = 0; i < std::size(problem_members); ++i)
                if (name == problem_members[i]) pending_member = int(i);
        }
        key_size = 0;
        return true;
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t number, json::string_view text, json::error_code&) {
        value(JsonKind::number, double(number), text);
        return true;
    }
    bool on_uint64(std::uint64_t number, json::string_view text, json::error_code&) {
        value(JsonKind::number, double(number), text);
        return true;
    }
    bool on_double(double number, json::string_view text, json::error_code&) {
        value(JsonKind::number, number, text);
        return true;
    }
    bool on_bool(bool, json::error_code&) {
        value(JsonKind::boolean);
        return true;
    }
    bool on_null(json::error_code&) {
        value(JsonKind::null);
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

    void append_key(json::string_view part) {
        if (depth != 1) return;
        for (char c : part)
            if (key_size < sizeof key) key[key_size++] = c;
            else key_size = sizeof key;  // too long: marks "none of ours"
    }
};

// A "\uXXXX" escape at text[pos] (the backslash), its code unit in `unit`.
bool unicode_escape_at(std::string_view text, std::size_t pos, unsigned& unit) noexcept {
    if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u') return false;
    unit = 0;
    for (std::size_t i = pos + 2; i < pos + 6; ++i) {
        if (!is_hex_digit(text[i])) return false;
        unit = unit * 16 + hex_digit_value(text[i]);
    }
    return true;
}

// Calls on_lone(offset) for every "\uXXXX" escape of an unpaired UTF-16 surrogate. JSON allows
// them (RFC 8259 §8.2); Boost.JSON 1.81 refuses them, so they are rewritten before parsing.
template <class OnLone>
void for_each_lone_surrogate_escape(std::string_view text, OnLone&& on_lone) {
    std::size_t i = 0;
    while ((i = text.find('\\', i)) != std::string_view::npos) {
        std::size_t run_end = i;
        while (run_end < text.size() && text[run_end] == '\\') ++run_end;
        // In a run of backslashes, pairs are escaped backslashes; an odd one out escapes
        // what follows.
        const std::size_t escape = run_end - 1;
        unsigned unit = 0;
        if ((run_end - i) % 2 == 0 || !unicode_escape_at(text, escape, unit)) {
            i = run_end;
            continue;
        }
        unsigned next = 0;
        if (unit >= 0xD800 && unit <= 0xDBFF && unicode_escape_at(text, escape + 6, next) &&
            next >= 0xDC00 && next <= 0xDFFF) {
            i = escape + 12;  // a proper pair
            continue;
        }
        if (unit >= 0xD800 && unit <= 0xDFFF) on_lone(escape);
        i = escape + 6;
    }
}

struct JsonVerdict {
    json::error_code error;      // set when the text is not JSON
    std::size_t offset = 0;      // where the parser stopped
    bool extra_data = false;     // a complete value followed by more than whitespace
    bool undecidable = false;    // nesting or exponent beyond the parser's limits
};

JsonVerdict parse_json(std::string_view text, ProblemScan& scan) {
    // Only content with a lone surrogate escape pays for a copy.
    std::string repaired;
    for_each_lone_surrogate_escape(text, [&](std::size_t offset) {
        if (repaired.empty()) repaired.assign(text);
        repaired.replace(offset + 2, 4, "FFFD");
    });
    if (!repaired.empty()) text = repaired;

    json::parse_options options;
    options.max_depth = 4096;
    json::basic_parser<ProblemScan> parser(options);
    JsonVerdict verdict;
    verdict.offset = parser.write_some(false, text.data(), text.size(), verdict.error);
    scan = parser.handler();
    if (verdict.error == json::error::too_deep || verdict.error == json::error::exponent_overflow)
        verdict.undecidable = true;
    else if (!verdict.error && verdict.offset < text.size())
        verdict.extra_data = true;
    return verdict;
}

// A short, printable piece of the content around `offset`, for the message.
std::string excerpt(std::string_view content, std::size_t offset) {
    const std::size_t start = offset > 20 ? offset - 20 : 0;
    return quote(content.substr(start, 40));
}

// UTF-16 or UTF-32 JSON without a byte order mark (RFC 4627 §3): a JSON text starts with two
// ASCII characters, so the pattern of zero octets in its first four tells the encoding; UTF-8
// JSON never has a zero octet there.
bool looks_like_utf16_or_32(std::string_view content) noexcept {
    if (content.size() < 2) return false;
    const auto zero = [&](std::size_t i) { return content[i] == '\0'; };
    if (content.size() < 4) return zero(0) != zero(1);  // 00 xx (BE) or xx 00 (LE)
    return (zero(0) && zero(1) && zero(2) && !zero(3)) ||   // UTF-32BE
           (!zero(0) && zero(1) && zero(2) && zero(3)) ||   // UTF-32LE
           (zero(0) && !zero(1) && zero(2) && !zero(3)) ||  // UTF-16BE
           (!zero(0) && zero(1) && !zero(2) && zero(3));    // UTF-16LE
}

bool starts_with_utf16_bom(std::string_view content) noexcept {
    return content.starts_with("\xFF\xFE") || content.starts_with("\xFE\xFF");
}

void check_problem_details(const HeadCheck& check, const ProblemScan& scan) {
    if (scan.top != JsonKind::object) {
        check.sink.report(problem_not_object, [&] {
            return concat({"application/problem+json content is ", kind_name(scan.top),
                           ", not a JSON object; send an object, e.g. {\"title\":\"Not Found\","
                           "\"status\":", check.head.status_text(), "}"});
        });
        return;
    }
    if (scan.mistyped_member >= 0) {
        check.sink.report(problem_member_type, [&] {
            const std::string_view name = problem_members[std::size_t(scan.mistyped_member)];
            const bool status = std::size_t(scan.mistyped_member) == status_member;
            return concat({"problem details member ", quote(name), " is ",
                           kind_name(scan.mistyped_kind), ", not ",
                           status ? "a number" : "a string",
                           ", so consumers must ignore it; send ",
                           status ? concat({"\"status\": ", check.head.status_text()})
                                  : concat({"a string (or leave \"", name, "\" out)"})});
        });
    }
    if (scan.status && *scan.status != double(check.head.status())) {
        check.sink.report(problem_status_mismatch, [&] {
            return concat({"problem details say \"status\": ", scan.status_text,
                           " but the response status is ", check.head.status_text(),
                           "; use the same code in both"});
        });
    }
}

}  // namespace

static void check_json_content(const HeadCheck& check, const BodyOutcome& outcome) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::content_type) || !content_may_be_judged(check, outcome) ||
        !outcome.content_whole || !outcome.complete)
        return;
    const std::optional<MediaType>& media_type = check.media_type();
    if (!media_type || !is_json_media_type(*media_type) || !identity_coded(head)) return;
    const std::string_view content = outcome.content;
    const std::string_view type_value = head.first(KnownField::content_type)->value;

    const std::size_t invalid = first_invalid_utf8(content);
    const bool utf16 = looks_like_utf16_or_32(content);
    if (invalid != std::string_view::npos || utf16) {
        check.sink.report(json_not_utf8, [&] {
            if (utf16 && invalid == std::string_view::npos)
                return concat({"content labelled ", quote(type_value), " starts with ",
                               hex_octets(content, 4),
                               ": UTF-16 or UTF-32 text, not UTF-8; encode JSON as UTF-8"});
            return concat({"content labelled ", quote(type_value),
                           " is not UTF-8: invalid sequence at offset ", std::to_string(invalid),
                           " (octets ", hex_octets(content.substr(invalid), 4),
                           starts_with_utf16_bom(content) ? ", a UTF-16 byte order mark)" : ")",
                           "; encode JSON as UTF-8 (non-ASCII as multi-octet sequences or \\u "
                           "escapes)"});
        });
    }
    const bool bom = content.starts_with("\xEF\xBB\xBF");
    if (bom) {
        check.sink.report(json_bom, [&] {
            return concat({"content labelled ", quote(type_value),
                           " starts with a UTF-8 byte order mark (EF BB BF), which JSON "
                           "parsers may reject; remove it"});
        });
    }
    if (invalid != std::string_view::npos || utf16) return;

    const bool problem = grammar::iequals(media_type->type, "application") &&
                         grammar::iequals(media_type->subtype, "problem+json");
    if (!problem && !check.sink.wants(json_invalid)) return;
    const std::string_view text = bom ? content.substr(3) : content;
    ProblemScan scan;
    const JsonVerdict verdict = parse_json(text, scan);
    if (verdict.undecidable) return;
    if (verdict.error || verdict.extra_data) {
        check.sink.report(json_invalid, [&] {
            const std::string what =
                verdict.extra_data ? std::string("more follows the JSON value")
                                   : verdict.error.message();
            return concat({"content labelled ", quote(type_value), " is not valid JSON (", what,
                           " at offset ", std::to_string(verdict.offset + (bom ? 3 : 0)),
                           ", near ", excerpt(text, verdict.offset),
                           "); send one JSON value (no comments, trailing commas or single "
                           "quotes), or label the content with its real media type"});
        });
        return;
    }
    if (problem) check_problem_details(check, scan);
}

namespace {
Rule* const json_rules[] = {&json_not_utf8,      &json_bom,
                            &json_invalid,       &problem_not_object,
                            &problem_member_type, &problem_status_mismatch};
}  // namespace

// JSON types (and problem+json) with identity coding: the only content these rules can judge.
static bool json_content_wanted(const HeadCheck& check) {
    if (!check.head.has(KnownField::content_type) || !content_may_come(check)) return false;
    bool any_wanted = false;
    for (const Rule* rule : json_rules) any_wanted = any_wanted || check.sink.wants(*rule);
    if (!any_wanted) return false;
    const std::optional<MediaType>& media_type = check.media_type();
    return media_type && is_json_media_type(*media_type) && identity_coded(check.head);
}

extern const Subject json_subject{"json", json_rules, nullptr, check_json_content, nullptr, json_content_wanted};

}  // namespace cproxy::check

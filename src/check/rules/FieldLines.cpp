// Field lines as written (RFC 9110 §5, RFC 9112 §5.2): names, values, folding, and fields
// that may occur only once.
#include <string>

#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule field_repeated_singleton{
    .id = "field-repeated-singleton",
    .level = Level::error,
    .reference = "RFC 9110 §5.3",
    .summary = "several field lines for a singleton field",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nAge: 1\nAge: 2\n",
};
constinit Rule field_name_invalid{
    .id = "field-name-invalid",
    .level = Level::error,
    .reference = "RFC 9110 §5.1",
    .summary = "field name is not a token",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nX(y): 1\n",
};
constinit Rule field_value_invalid{
    .id = "field-value-invalid",
    .level = Level::error,
    .reference = "RFC 9110 §5.5",
    .summary = "field value contains CR, LF, NUL or another control character",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nX-Control: a\x01" "b\n",
};
constinit Rule obs_fold{
    .id = "obs-fold",
    .level = Level::error,
    .reference = "RFC 9112 §5.2",
    .summary = "obsolete line folding",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nX-Folded: first\n  second\nContent-Length: 2\n\nok",
};


using message::concat;
using message::quote;

struct SingletonField {
    KnownField field;
    std::string_view name;
};

// Singleton fields (not lists): several lines cannot be combined (RFC 9110 §5.3).
constexpr SingletonField kSingletons[] = {
    {KnownField::content_type, "Content-Type"},   {KnownField::content_location, "Content-Location"},
    {KnownField::content_range, "Content-Range"}, {KnownField::location, "Location"},
    {KnownField::retry_after, "Retry-After"},     {KnownField::date, "Date"},
    {KnownField::etag, "ETag"},                   {KnownField::last_modified, "Last-Modified"},
    {KnownField::expires, "Expires"},             {KnownField::age, "Age"},
};

std::string_view describe_control_char(char c) {
    switch (c) {
        case '\r': return "CR";
        case '\n': return "LF";
        case '\0': return "NUL";
        case '\x7f': return "DEL";
        default: return "a control character";
    }
}

void check_line(const HeadCheck& check, const FieldLine& line) {
    if (!line.name_is_token) {
        check.sink.report(field_name_invalid, [&] {
            const std::string where = concat({" (line ", std::to_string(line.line_number), ")"});
            if (!line.has_colon) {
                // "Set-Cookie session=..." without its colon still carries a credential.
                const std::string_view first_word = line.name.substr(0, line.name.find_first_of(" \t="));
                const std::string shown = is_credential_field(classify_field_name(first_word))
                                              ? quote(first_word) + " (rest redacted)"
                                              : quote(line.name);
                return concat({"field line ", shown, where,
                               " has no colon, so it is not a field; write name: value"});
            }
            return concat({"field name ", quote(line.name), where,
                           " is not a token (no spaces, colons or separators such as @ allowed); "
                           "rename it, e.g. X-Custom-Name"});
        });
    }
    if (line.bad_char_offset != FieldLine::no_bad_char) {
        check.sink.report(field_value_invalid, [&] {
            return concat({line.name, " value ", message::quote_field_value(line), " contains ",
                           describe_control_char(line.value[line.bad_char_offset]),
                           " at offset ", std::to_string(line.bad_char_offset),
                           "; strip CR, LF, NUL and other control characters from field values"});
        });
    }
    if (line.has_obs_fold) {
        check.sink.report(obs_fold, [&] {
            const std::string continuation = is_credential_field(line.known)
                                                  ? std::string("(value redacted)")
                                                  : quote(line.first_fold);
            return concat({line.name, " is folded onto a continuation line ", continuation,
                           "; obsolete line folding must not be sent, put the whole value on "
                           "one line"});
        });
    }
}

}  // namespace

static void check_field_lines(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.orphan_continuation().empty()) {
        check.sink.report(obs_fold, [&] {
            return concat({"a continuation line ", quote(head.orphan_continuation()),
                           " follows the status line; obsolete line folding must not be sent, "
                           "start every field line with its name"});
        });
    }
    for (const FieldLine& line : head.fields()) {
        if (line.name_is_token && line.bad_char_offset == FieldLine::no_bad_char &&
            !line.has_obs_fold)
            continue;
        check_line(check, line);
    }
    for (const SingletonField& singleton : kSingletons) {
        const std::size_t count = head.count(singleton.field);
        if (count < 2) continue;
        check.sink.report(field_repeated_singleton, [&] {
            std::string_view second;
            std::size_t seen = 0;
            head.for_each(singleton.field, [&](const FieldLine& line) {
                if (++seen == 2) second = line.value;
            });
            return concat({singleton.name, " appears on ", std::to_string(count),
                           " field lines (", quote(head.first(singleton.field)->value), ", ",
                           quote(second), count > 2 ? ", ..." : "",
                           "); it is a single value, send one ", singleton.name, " line"});
        });
    }
}

namespace {
Rule* const field_lines_rules[] = {&field_repeated_singleton, &field_name_invalid, &field_value_invalid, &obs_fold};
}  // namespace

extern const Subject field_lines_subject{"field-lines", field_lines_rules, check_field_lines, nullptr, nullptr};

}  // namespace cproxy::check

// The client's Range and precondition fields (RFC 9110 §13.1, §14.2): grammar, and If-Range
// only with Range and a strong tag. Judged on the request alone; messages start "request:".
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/EntityTag.hpp"
#include "check/parse/HttpDateText.hpp"
#include "check/parse/RangeSpec.hpp"

namespace cproxy::check {
namespace {

constexpr std::string_view ok_response =
    "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nContent-Length: 5\n\nhello";

constinit Rule range_syntax{
    .id = "range-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §14.2, §14.1.2",
    .summary = "request Range is not range-unit \"=\" 1#range-spec",
    .side = Side::request,
    .example = ok_response,
    .example_request = "GET /a.txt\nRange: bytes 0-99",
};
constinit Rule if_match_syntax{
    .id = "if-match-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.1, §8.8.3",
    .summary = "request If-Match is neither * nor 1#entity-tag",
    .side = Side::request,
    .example = "HTTP/1.1 412 Precondition Failed\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Length: 0\n",
    .example_request = "PUT /doc\nIf-Match: abc\nContent-Length: 0",
};
constinit Rule if_none_match_syntax{
    .id = "if-none-match-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.2, §8.8.3",
    .summary = "request If-None-Match is neither * nor 1#entity-tag",
    .side = Side::request,
    .example = ok_response,
    .example_request = "GET /a.txt\nIf-None-Match: v1",
};
constinit Rule conditional_date_syntax{
    .id = "conditional-date-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §5.6.7, §13.1.3, §13.1.4, §13.1.5",
    .summary = "request If-Modified-Since, If-Unmodified-Since or If-Range date is not an IMF-fixdate",
    .side = Side::request,
    .example = ok_response,
    .example_request = "GET /a.txt\nIf-Modified-Since: 2026-11-20T10:00:00Z",
};
constinit Rule if_range_without_range{
    .id = "if-range-without-range",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.5",
    .summary = "request with If-Range but no Range",
    .side = Side::request,
    .example = ok_response,
    .example_request = "GET /a.txt\nIf-Range: \"v1\"",
};
constinit Rule if_range_weak_etag{
    .id = "if-range-weak-etag",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.5",
    .summary = "request If-Range with a weak entity-tag",
    .side = Side::request,
    .example = ok_response,
    .example_request = "GET /a.txt\nRange: bytes=0-4\nIf-Range: W/\"v1\"",
};

using message::concat;
using message::quote;

void check_range(const RequestCheck& check) {
    check.head.for_each(KnownField::range, [&](const FieldLine& line) {
        const RangeRequest range = parse_range_request(line.value);
        if (range.valid) return;
        check.sink.report(range_syntax, [&] {
            if (range.bad_element == line.value)
                return concat({"request: Range ", quote(line.value), " ", range.problem,
                               "; send e.g. Range: bytes=0-499"});
            return concat({"request: Range ", quote(line.value), ": ", quote(range.bad_element), " ",
                           range.problem, "; send e.g. Range: bytes=0-499, bytes=500- or bytes=-500"});
        });
    });
}

void check_entity_tag_list(const RequestCheck& check, KnownField field, const Rule& rule,
                           std::string_view name) {
    if (!check.head.has(field)) return;
    const EntityTagListReader list = read_entity_tag_list(check.head, field);
    const auto kind = list.kind();
    if (kind == EntityTagListReader::Kind::any || kind == EntityTagListReader::Kind::tags) return;
    check.sink.report(rule, [&] {
        const std::string_view advice =
            "; send * or entity-tags in double quotes separated by commas, e.g. ";
        const std::string_view example = name == "If-Match" ? "If-Match: \"v1\", W/\"v2\""
                                                            : "If-None-Match: \"v1\", W/\"v2\"";
        if (kind == EntityTagListReader::Kind::empty)
            return concat({"request: ", name, " ", quote(check.head.first(field)->value),
                           " holds no entity-tag", advice, example});
        return concat({"request: ", name, " ", quote(list.bad_value()), ": ", quote(list.bad_element()),
                       " ", list.problem(), advice, example});
    });
}

void check_date(const RequestCheck& check, const FieldLine& line) {
    const auto form = parse_http_date(line.value);
    if (form == HttpDateForm::imf_fixdate) return;
    check.sink.report(conditional_date_syntax, [&] {
        const std::string_view what = not_imf_fixdate_text(form);
        const std::string_view extra =
            line.known == KnownField::if_range ? " (or a strong entity-tag in double quotes)" : "";
        return concat({"request: ", line.name, " ", quote(line.value), what,
                       "; send an IMF-fixdate in GMT", extra, ", e.g. ", line.name,
                       ": Sat, 21 Nov 2026 10:00:00 GMT"});
    });
}

void check_if_range(const RequestCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::if_range)) return;
    if (!head.has(KnownField::range)) {
        check.sink.report(if_range_without_range, [&] {
            return concat({"request: If-Range ", quote(head.first(KnownField::if_range)->value),
                           " is sent without Range; send If-Range only together with a Range "
                           "field, or drop it"});
        });
    }
    head.for_each(KnownField::if_range, [&](const FieldLine& line) {
        if (line.value.starts_with("W/")) {
            check.sink.report(if_range_weak_etag, [&] {
                return concat({"request: If-Range ", quote(line.value),
                               " is a weak entity-tag; If-Range needs a strong tag (or a date): "
                               "send the strong ETag, e.g. If-Range: \"v1\""});
            });
            return;
        }
        if (!line.value.starts_with('"')) check_date(check, line);
    });
}

}  // namespace

static void check_request_preconditions(const RequestCheck& check) {
    const RawHead& head = check.head;
    check_range(check);
    check_entity_tag_list(check, KnownField::if_match, if_match_syntax, "If-Match");
    check_entity_tag_list(check, KnownField::if_none_match, if_none_match_syntax, "If-None-Match");
    head.for_each(KnownField::if_modified_since, [&](const FieldLine& line) { check_date(check, line); });
    head.for_each(KnownField::if_unmodified_since, [&](const FieldLine& line) { check_date(check, line); });
    check_if_range(check);
}

namespace {
Rule* const request_preconditions_rules[] = {
    &range_syntax,           &if_match_syntax,         &if_none_match_syntax,
    &conditional_date_syntax, &if_range_without_range, &if_range_weak_etag,
};
}  // namespace

extern const Subject request_preconditions_subject{"request-preconditions", request_preconditions_rules,
                                                   nullptr, nullptr, check_request_preconditions};

}  // namespace cproxy::check

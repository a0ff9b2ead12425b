// Range responses (RFC 9110 §14.4, §15.3.7, §15.5.17): 206 and 416 need Content-Range.
#include <string>

#include "check/parse/ContentRange.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/HttpBase.hpp"
#include "check/parse/MediaType.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule missing_content_range_206{
    .id = "206-missing-content-range",
    .level = Level::error,
    .reference = "RFC 9110 §15.3.7.1",
    .summary = "206 (not multipart/byteranges) without Content-Range",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 5\n\nhello",
};
constinit Rule missing_content_range_416{
    .id = "416-missing-content-range",
    .level = Level::warning,
    .reference = "RFC 9110 §15.5.17",
    .summary = "416 without Content-Range: */length",
    .example = "HTTP/1.1 416 Range Not Satisfiable\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};


using message::concat;
using message::quote;

bool is_multipart_byteranges(const RawHead& head) {
    const FieldLine* content_type = head.first(KnownField::content_type);
    if (!content_type) return false;
    const auto parsed = parse_media_type(content_type->value);
    return parsed.media_type && grammar::iequals(parsed.media_type->type, "multipart") &&
           grammar::iequals(parsed.media_type->subtype, "byteranges");
}

void check_partial_content(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (is_multipart_byteranges(head)) return;  // each part carries its own Content-Range
    const FieldLine* content_range = head.first(KnownField::content_range);
    if (content_range) {
        const auto range = parse_content_range(content_range->value);
        if (range && range->kind == ContentRange::Kind::range) return;
    }
    check.sink.report(missing_content_range_206, [&] {
        if (!content_range)
            return std::string(
                "206 Partial Content has no Content-Range; send the range it carries, e.g. "
                "Content-Range: bytes 0-499/1234 (or use a multipart/byteranges body)");
        return concat({"206 Partial Content has Content-Range ", quote(content_range->value),
                       ", which is not a satisfied range (first-last/length with first <= last "
                       "< length); send e.g. Content-Range: bytes 0-499/1234"});
    });
}

void check_range_not_satisfiable(const HeadCheck& check) {
    const RawHead& head = check.head;
    const FieldLine* content_range = head.first(KnownField::content_range);
    if (content_range) {
        const auto range = parse_content_range(content_range->value);
        if (range && range->kind == ContentRange::Kind::unsatisfied) return;
    }
    check.sink.report(missing_content_range_416, [&] {
        if (!content_range)
            return std::string(
                "416 response has no Content-Range; send the current length so the client can "
                "ask again, e.g. Content-Range: bytes */1234");
        return concat({"416 response has Content-Range ", quote(content_range->value),
                       "; send the unsatisfied-range form with the current length, e.g. "
                       "Content-Range: bytes */1234"});
    });
}

}  // namespace

static void check_ranges(const HeadCheck& check) {
    if (check.head.status() == 206) check_partial_content(check);
    if (check.head.status() == 416) check_range_not_satisfiable(check);
}

namespace {
Rule* const ranges_rules[] = {&missing_content_range_206, &missing_content_range_416};
}  // namespace

extern const Subject ranges_subject{"ranges", ranges_rules, check_ranges, nullptr, nullptr};

}  // namespace cproxy::check

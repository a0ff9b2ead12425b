// Range requests and responses (RFC 9110 §14, §15.3.7, §15.5.17): 206 and 416 need
// Content-Range; Content-Range and Accept-Ranges grammar; a 206 must answer the request's Range.
#include <cstdint>
#include <optional>
#include <string>

#include "check/Framing.hpp"
#include "check/parse/ContentRange.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/HttpBase.hpp"
#include "check/parse/EntityTag.hpp"
#include "check/parse/MediaType.hpp"
#include "check/parse/RangeSpec.hpp"
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

constinit Rule content_range_syntax{
    .id = "content-range-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §14.4",
    .summary = "Content-Range is not range-unit SP ( first-last/length / */length )",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: video/mp4\nContent-Range: bytes=0-4/20\nContent-Length: 5\n\nhello",
    .example_request = "GET /v.mp4\nRange: bytes=0-4",
};
constinit Rule content_range_invalid_range{
    .id = "content-range-invalid-range",
    .level = Level::error,
    .reference = "RFC 9110 §14.4",
    .summary = "Content-Range with last-pos < first-pos or complete-length <= last-pos",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: video/mp4\nContent-Range: bytes 15-20/20\nContent-Length: 6\n\nhello!",
    .example_request = "GET /v.mp4\nRange: bytes=15-20",
};
constinit Rule content_range_length_mismatch{
    .id = "content-range-length-mismatch",
    .level = Level::error,
    .reference = "RFC 9110 §14.4, §8.6, §15.3.7.1",
    .summary = "206 whose Content-Length differs from the Content-Range's length",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: video/mp4\nContent-Range: bytes 0-9/100\nContent-Length: 5\n\nhello",
    .example_request = "GET /v.mp4\nRange: bytes=0-9",
};
constinit Rule content_range_on_other_status{
    .id = "content-range-on-other-status",
    .level = Level::warning,
    .reference = "RFC 9110 §14.4",
    .summary = "Content-Range on a status other than 206 or 416",
    .example = "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nContent-Range: bytes 0-4/5\nContent-Length: 5\n\nhello",
};
constinit Rule without_range_request_206{
    .id = "206-without-range-request",
    .level = Level::warning,
    .reference = "RFC 9110 §15.3.7",
    .summary = "206 to a request without Range",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nContent-Range: bytes 0-4/20\nContent-Length: 5\n\nhello",
    .example_request = "GET /a.txt",
};
constinit Rule method_not_get_206{
    .id = "206-method-not-get",
    .level = Level::error,
    .reference = "RFC 9110 §14.2",
    .summary = "206 to POST, PUT, DELETE, OPTIONS, TRACE, CONNECT or PATCH",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nContent-Range: bytes 0-4/20\nContent-Length: 5\n\nhello",
    .example_request = "POST /search\nRange: bytes=0-4\nContent-Type: text/plain\nContent-Length: 0",
};
constinit Rule multipart_single_range_206{
    .id = "206-multipart-single-range",
    .level = Level::error,
    .reference = "RFC 9110 §15.3.7.2",
    .summary = "206 multipart/byteranges to a request for a single range",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: multipart/byteranges; boundary=THIS_STRING\nContent-Length: 0\n",
    .example_request = "GET /a.txt\nRange: bytes=0-4",
};
constinit Rule multipart_with_content_range_206{
    .id = "206-multipart-with-content-range",
    .level = Level::error,
    .reference = "RFC 9110 §15.3.7.2",
    .summary = "206 multipart/byteranges with a Content-Range in its header section",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: multipart/byteranges; boundary=THIS_STRING\nContent-Range: bytes 0-4/20\nContent-Length: 0\n",
    .example_request = "GET /a.txt\nRange: bytes=0-4, 10-14",
};
constinit Rule content_range_unsatisfied_206{
    .id = "206-content-range-unsatisfied",
    .level = Level::error,
    .reference = "RFC 9110 §14.4, §15.3.7.1",
    .summary = "206 whose Content-Range is the unsatisfied form */length",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nContent-Range: bytes */20\nContent-Length: 0\n",
    .example_request = "GET /a.txt\nRange: bytes=0-4",
};
constinit Rule content_range_mismatch_206{
    .id = "206-content-range-mismatch",
    .level = Level::warning,
    .reference = "RFC 9110 §14.2, §15.3.7",
    .summary = "206 whose Content-Range shares no byte with the single requested range",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: application/octet-stream\nContent-Range: bytes 0-99/1000\nContent-Length: 0\n",
    .example_request = "GET /file.bin\nRange: bytes=100-199",
};
constinit Rule if_range_mismatch_206{
    .id = "206-if-range-mismatch",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.5, §8.8.3.2",
    .summary = "206 whose ETag does not strongly match the request's If-Range",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nETag: \"v2\"\nContent-Range: bytes 0-4/20\nContent-Length: 5\n\nhello",
    .example_request = "GET /a.txt\nRange: bytes=0-4\nIf-Range: \"v1\"",
};
constinit Rule without_range_request_416{
    .id = "416-without-range-request",
    .level = Level::warning,
    .reference = "RFC 9110 §15.5.17",
    .summary = "416 to a request with neither Range nor Content-Range",
    .example = "HTTP/1.1 416 Range Not Satisfiable\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Range: bytes */20\nContent-Length: 0\n",
    .example_request = "GET /a.txt",
};
constinit Rule accept_ranges_syntax{
    .id = "accept-ranges-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §14.3, §14.1",
    .summary = "Accept-Ranges is not a non-empty list of range-unit tokens",
    .example = "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nAccept-Ranges: bytes=0-\nContent-Length: 5\n\nhello",
};
constinit Rule accept_ranges_none_with_206{
    .id = "accept-ranges-none-with-206",
    .level = Level::warning,
    .reference = "RFC 9110 §14.3, §15.3.7",
    .summary = "206 whose Accept-Ranges says none",
    .example = "HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nAccept-Ranges: none\nContent-Range: bytes 0-4/20\nContent-Length: 5\n\nhello",
    .example_request = "GET /a.txt\nRange: bytes=0-4",
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

std::string number_text(std::uint64_t n) { return std::to_string(n); }

// The Content-Range lines: grammar and range validity, each line.
void check_content_range_lines(const HeadCheck& check) {
    check.head.for_each(KnownField::content_range, [&](const FieldLine& line) {
        const auto range = parse_content_range_grammar(line.value);
        if (!range) {
            check.sink.report(content_range_syntax, [&] {
                return concat({"Content-Range ", quote(line.value),
                               " is not range-unit SP first-last/length (or */length); send e.g. "
                               "Content-Range: bytes 0-499/1234 (no \"=\", one space, a length "
                               "or \"*\" after \"/\")"});
            });
            return;
        }
        if (range->valid()) return;
        check.sink.report(content_range_invalid_range, [&] {
            const std::string_view why =
                range->first > range->last
                    ? " has its last position below its first"
                    : " has a complete length not above its last position (positions count from 0)";
            return concat({"Content-Range ", quote(line.value), why,
                           "; send first <= last < length, e.g. Content-Range: bytes 0-499/1234"});
        });
    });
}

// The one Content-Range line of the head when it is a valid range-resp.
std::optional<ContentRange> single_range_resp(const RawHead& head) noexcept {
    if (head.count(KnownField::content_range) != 1) return std::nullopt;
    auto range = parse_content_range(head.first(KnownField::content_range)->value);
    if (!range || range->kind != ContentRange::Kind::range || range->overflow) return std::nullopt;
    return range;
}

void check_partial_content(const HeadCheck& check, bool multipart) {
    const RawHead& head = check.head;
    if (multipart) {
        // Each part carries its own Content-Range.
        if (const FieldLine* content_range = head.first(KnownField::content_range)) {
            check.sink.report(multipart_with_content_range_206, [&] {
                return concat({"206 multipart/byteranges also carries Content-Range ",
                               quote(content_range->value),
                               " in its header section; each part carries its own Content-Range: "
                               "remove it from the header section"});
            });
        }
        return;
    }
    const FieldLine* content_range = head.first(KnownField::content_range);
    if (!content_range) {
        check.sink.report(missing_content_range_206, [&] {
            return std::string(
                "206 Partial Content has no Content-Range; send the range it carries, e.g. "
                "Content-Range: bytes 0-499/1234 (or use a multipart/byteranges body)");
        });
        return;
    }
    head.for_each(KnownField::content_range, [&](const FieldLine& line) {
        const auto range = parse_content_range_grammar(line.value);
        if (!range || range->kind != ContentRange::Kind::unsatisfied) return;
        check.sink.report(content_range_unsatisfied_206, [&] {
            return concat({"206 Partial Content has Content-Range ", quote(line.value),
                           ", the unsatisfied form meant for 416; describe the enclosed range, "
                           "e.g. Content-Range: bytes 0-499/1234"});
        });
    });

    const auto range = single_range_resp(head);
    if (!range || !grammar::iequals(range->unit, "bytes")) return;
    if (!check.is_head_request()) {
        const Framing& framing = check.framing();
        const std::uint64_t enclosed = range->last - range->first + 1;
        if (!framing.has_transfer_encoding && framing.content_length_valid &&
            framing.content_length != enclosed && enclosed != 0) {
            check.sink.report(content_range_length_mismatch, [&] {
                return concat({"206 Partial Content has Content-Range ", quote(content_range->value),
                               " (", number_text(enclosed), " bytes) but Content-Length ",
                               number_text(framing.content_length),
                               "; the content must be exactly the enclosed range: send "
                               "Content-Length: ", number_text(enclosed)});
            });
        }
    }
}

// Whether the requested single byte range and the enclosed [first, last] share no byte; nullopt
// when it cannot be judged (a suffix range without a known length).
std::optional<bool> disjoint(const ByteRangeSpec& spec, const ContentRange& range) noexcept {
    std::uint64_t want_first = 0;
    std::uint64_t want_last = UINT64_MAX;  // "first-" runs to the end
    if (spec.suffix) {
        if (!range.complete_length) return std::nullopt;
        const std::uint64_t length = *range.complete_length;
        if (spec.suffix_length == 0) return true;  // unsatisfiable: nothing was asked for
        want_first = spec.suffix_length >= length ? 0 : length - spec.suffix_length;
        want_last = length - 1;
    } else {
        want_first = spec.first;
        if (spec.has_last) want_last = spec.last;
        if (range.complete_length && want_last >= *range.complete_length)
            want_last = *range.complete_length - 1;  // a clamped end is fine
        if (want_first > want_last) return true;  // starts past the end
    }
    return want_last < range.first || range.last < want_first;
}

void check_answers_range(const HeadCheck& check, const RawHead& request, bool multipart) {
    const RawHead& head = check.head;
    const std::string_view method = check.request.method;
    if (!request.has(KnownField::range)) {
        check.sink.report(without_range_request_206, [&] {
            return concat({"206 Partial Content answers ", method.empty() ? "a request" : method,
                           " without a Range field; 206 only fulfils a range request: send 200 "
                           "with the whole representation"});
        });
    }
    if (method == "POST" || method == "PUT" || method == "DELETE" || method == "OPTIONS" ||
        method == "TRACE" || method == "CONNECT" || method == "PATCH") {
        check.sink.report(method_not_get_206, [&] {
            return concat({"206 Partial Content answers ", method,
                           "; range handling is defined for GET only and a server must ignore "
                           "Range on other methods: send the normal response"});
        });
    }

    // If-Range (one line, an entity-tag) against the 206's one ETag, strong comparison.
    if (request.count(KnownField::if_range) == 1) {
        const FieldLine& if_range = *request.first(KnownField::if_range);
        const auto wanted = parse_entity_tag(if_range.value);
        const auto etag = wanted ? single_entity_tag(head) : std::nullopt;
        if (wanted && etag && !strong_match(*wanted, *etag)) {
            check.sink.report(if_range_mismatch_206, [&] {
                return concat({"206 Partial Content carries ETag ",
                               quote(head.first(KnownField::etag)->value),
                               ", which does not strongly match the request's If-Range ",
                               quote(if_range.value),
                               "; the condition is false, so ignore Range and send the whole "
                               "representation with 200"});
            });
        }
    }

    if (request.count(KnownField::range) != 1) return;
    const FieldLine& range_line = *request.first(KnownField::range);
    const RangeRequest requested = parse_range_request(range_line.value);
    if (!requested.valid || !requested.bytes || requested.spec_count != 1) return;
    if (multipart) {
        check.sink.report(multipart_single_range_206, [&] {
            return concat({"206 multipart/byteranges answers the single range ",
                           quote(range_line.value),
                           "; a single-range request gets a single-part 206 with Content-Range"});
        });
        return;
    }
    const auto range = single_range_resp(head);
    if (!range || !grammar::iequals(range->unit, "bytes")) return;
    if (disjoint(requested.first_spec, *range).value_or(false)) {
        check.sink.report(content_range_mismatch_206, [&] {
            return concat({"206 Partial Content sends Content-Range ",
                           quote(head.first(KnownField::content_range)->value),
                           " for the request's Range ", quote(range_line.value),
                           ", which shares no byte with it; send (part of) the requested range"});
        });
    }
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

// Accept-Ranges = 1#range-unit, all lines joined; and "none" on a 206.
void check_accept_ranges(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::accept_ranges)) return;
    std::size_t units = 0;
    bool says_none = false;
    const FieldLine* bad_line = nullptr;
    std::string_view bad_element;
    const FieldLine* none_line = nullptr;
    head.for_each(KnownField::accept_ranges, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view element) {
            if (element.empty()) return true;
            ++units;
            if (!grammar::is_token(element)) {
                if (!bad_line) {
                    bad_line = &line;
                    bad_element = element;
                }
            } else if (grammar::iequals(element, "none") && !says_none) {
                says_none = true;
                none_line = &line;
            }
            return true;
        });
    });
    if (bad_line || units == 0) {
        check.sink.report(accept_ranges_syntax, [&] {
            const FieldLine& line = bad_line ? *bad_line : *head.first(KnownField::accept_ranges);
            if (!bad_line)
                return concat({"Accept-Ranges ", quote(line.value),
                               " lists no range unit; send Accept-Ranges: bytes, or "
                               "Accept-Ranges: none"});
            return concat({"Accept-Ranges ", quote(line.value), ": ", quote(bad_element),
                           " is not a range-unit token; send Accept-Ranges: bytes (or none)"});
        });
    }
    if (says_none && head.status() == 206) {
        check.sink.report(accept_ranges_none_with_206, [&] {
            return concat({"206 Partial Content says Accept-Ranges ", quote(none_line->value),
                           ", yet fulfils a range request; send Accept-Ranges: bytes"});
        });
    }
}

}  // namespace

static void check_ranges(const HeadCheck& check) {
    const RawHead& head = check.head;
    const int status = head.status();
    if (head.status_class() == 1) return;  // final responses only
    check_content_range_lines(check);
    check_accept_ranges(check);
    if (status == 206) {
        const bool multipart = is_multipart_byteranges(head);
        check_partial_content(check, multipart);
        if (const RawHead* request = check.request_head()) check_answers_range(check, *request, multipart);
    } else if (status == 416) {
        check_range_not_satisfiable(check);
        const RawHead* request = check.request_head();
        if (request && !request->has(KnownField::range) && !request->has(KnownField::content_range)) {
            check.sink.report(without_range_request_416, [&] {
                return concat({"416 Range Not Satisfiable answers ",
                               check.request.method.empty() ? "a request" : check.request.method,
                               " without a Range field; 416 rejects the ranges a request asked "
                               "for: send the normal response"});
            });
        }
    } else if (head.status_valid() && head.has(KnownField::content_range)) {
        check.sink.report(content_range_on_other_status, [&] {
            return concat({head.status_text(), " response carries Content-Range ",
                           quote(head.first(KnownField::content_range)->value),
                           "; Content-Range only has a meaning on 206 and 416: remove it"});
        });
    }
}

namespace {
Rule* const ranges_rules[] = {
    &missing_content_range_206, &missing_content_range_416, &content_range_syntax,
    &content_range_invalid_range, &content_range_length_mismatch, &content_range_on_other_status,
    &without_range_request_206, &method_not_get_206, &multipart_single_range_206,
    &multipart_with_content_range_206, &content_range_unsatisfied_206, &content_range_mismatch_206,
    &if_range_mismatch_206, &without_range_request_416, &accept_ranges_syntax,
    &accept_ranges_none_with_206,
};
}  // namespace

extern const Subject ranges_subject{"ranges", ranges_rules, check_ranges, nullptr, nullptr};

}  // namespace cproxy::check

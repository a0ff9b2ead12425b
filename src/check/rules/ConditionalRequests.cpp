// Conditional requests answered with 304 or 412 (RFC 9110 §13, §15.4.5, §15.5.13): the
// response must agree with the request's preconditions. Most rules read the request head and
// stay silent without it.
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/EntityTag.hpp"

namespace cproxy::check {
namespace {

constinit Rule unconditional_request_304{
    .id = "304-unconditional-request",
    .level = Level::warning,
    .reference = "RFC 9110 §15.4.5, §13.2.2",
    .summary = "304 to a request with neither If-None-Match nor If-Modified-Since",
    .example = "HTTP/1.1 304 Not Modified\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nETag: \"v1\"\n",
    .example_request = "GET /a",
};
constinit Rule method_not_get_head_304{
    .id = "304-method-not-get-head",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.2, §13.1.3",
    .summary = "304 to a method other than GET or HEAD",
    .example = "HTTP/1.1 304 Not Modified\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nETag: \"v1\"\n",
    .example_request = "PUT /a\nIf-None-Match: \"v1\"\nContent-Length: 0",
};
constinit Rule etag_mismatch_304{
    .id = "304-etag-mismatch",
    .level = Level::warning,
    .reference = "RFC 9110 §13.1.2, §15.4.5",
    .summary = "304 whose ETag matches none of the request's If-None-Match tags",
    .example = "HTTP/1.1 304 Not Modified\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nETag: \"v3\"\n",
    .example_request = "GET /a\nIf-None-Match: \"v1\", \"v2\"",
};
constinit Rule missing_etag_304{
    .id = "304-missing-etag",
    .level = Level::warning,
    .reference = "RFC 9110 §15.4.5",
    .summary = "304 without ETag to an If-None-Match with entity-tags",
    .example = "HTTP/1.1 304 Not Modified\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nCache-Control: max-age=60\n",
    .example_request = "GET /a\nIf-None-Match: \"v1\"",
};
constinit Rule representation_metadata_304{
    .id = "304-representation-metadata",
    .level = Level::info,
    .reference = "RFC 9110 §15.4.5",
    .summary = "304 carrying Content-Type, Content-Encoding or Content-Language",
    .example = "HTTP/1.1 304 Not Modified\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nETag: \"v1\"\nContent-Type: text/html\n",
    .example_request = "GET /a\nIf-None-Match: \"v1\"",
};
constinit Rule if_none_match_ignored{
    .id = "if-none-match-ignored",
    .level = Level::error,
    .reference = "RFC 9110 §13.1.2, §13.2.1",
    .summary = "2xx to GET/HEAD whose ETag matches the request's If-None-Match",
    .example = "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/plain\nETag: \"v1\"\nContent-Length: 5\n\nhello",
    .example_request = "GET /a\nIf-None-Match: \"v1\"",
};
constinit Rule instead_of_304_412{
    .id = "412-instead-of-304",
    .level = Level::warning,
    .reference = "RFC 9110 §13.1.2, §13.1.3, §13.2.2",
    .summary = "412 to GET/HEAD whose only preconditions are If-None-Match/If-Modified-Since",
    .example = "HTTP/1.1 412 Precondition Failed\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Length: 0\n",
    .example_request = "GET /a\nIf-None-Match: \"v1\"",
};

using message::concat;
using message::quote;

bool is_get_or_head(std::string_view method) noexcept { return method == "GET" || method == "HEAD"; }

// A field name whose hyphen-separated words include "if" (If-Match, If, If-Schedule-Tag-Match,
// x-amz-copy-source-if-match), case-insensitive.
bool names_a_precondition(std::string_view name) noexcept {
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('-', start);
        if (end == std::string_view::npos) end = name.size();
        if (grammar::iequals(name.substr(start, end - start), "if")) return true;
        start = end + 1;
    }
    return false;
}

// A precondition other than If-None-Match, If-Modified-Since and If-Range.
bool has_other_precondition(const RawHead& request) noexcept {
    for (const FieldLine& line : request.fields()) {
        if (line.known == KnownField::if_none_match || line.known == KnownField::if_modified_since ||
            line.known == KnownField::if_range)
            continue;
        if (line.known == KnownField::if_match || line.known == KnownField::if_unmodified_since ||
            line.known == KnownField::if_ || names_a_precondition(line.name))
            return true;
    }
    return false;
}

std::string_view first_value(const RawHead& head, KnownField field) noexcept {
    const FieldLine* line = head.first(field);
    return line ? line->value : std::string_view();
}

void check_not_modified(const HeadCheck& check, const RawHead& request) {
    const RawHead& head = check.head;
    const std::string_view method = check.request.method;
    const bool has_none_match = request.has(KnownField::if_none_match);
    if (!has_none_match && !request.has(KnownField::if_modified_since)) {
        check.sink.report(unconditional_request_304, [&] {
            return concat({"304 Not Modified answers ", method.empty() ? "a request" : method,
                           " without If-None-Match or If-Modified-Since; 304 only answers a "
                           "conditional GET or HEAD whose condition was false: send the full "
                           "response (e.g. 200 OK)"});
        });
    }
    if (!method.empty() && !is_get_or_head(method)) {
        check.sink.report(method_not_get_head_304, [&] {
            return concat({"304 Not Modified answers ", method,
                           "; only GET and HEAD get 304: for other methods a false "
                           "If-None-Match is answered 412 Precondition Failed and "
                           "If-Modified-Since is ignored"});
        });
    }
    if (!has_none_match) return;
    if (read_entity_tag_list(request, KnownField::if_none_match).kind() != EntityTagListReader::Kind::tags)
        return;
    if (!head.has(KnownField::etag)) {
        check.sink.report(missing_etag_304, [&] {
            return concat({"304 Not Modified has no ETag although the request's If-None-Match ",
                           quote(first_value(request, KnownField::if_none_match)),
                           " lists entity-tags; send the ETag a 200 would carry, e.g. ETag: \"v1\""});
        });
        return;
    }
    const auto etag = single_entity_tag(head);
    if (!etag || list_weakly_matches(request, KnownField::if_none_match, *etag)) return;
    check.sink.report(etag_mismatch_304, [&] {
        return concat({"304 Not Modified carries ETag ", quote(head.first(KnownField::etag)->value),
                       ", which matches none of the request's If-None-Match ",
                       quote(first_value(request, KnownField::if_none_match)),
                       "; the condition was true, so send the full 200 response (or the 304 "
                       "carries the wrong ETag)"});
    });
}

void check_representation_metadata(const HeadCheck& check) {
    const FieldLine* metadata = nullptr;
    for (const FieldLine& line : check.head.fields()) {
        if (line.known == KnownField::content_type || line.known == KnownField::content_encoding ||
            line.known == KnownField::content_language) {
            metadata = &line;
            break;
        }
    }
    if (!metadata) return;
    check.sink.report(representation_metadata_304, [&] {
        return concat({"304 Not Modified carries ", metadata->name, ": ", quote(metadata->value),
                       "; a 304 should not send representation metadata (Content-Type, "
                       "Content-Encoding, Content-Language) unless it is meant to update "
                       "caches: drop it"});
    });
}

void check_success(const HeadCheck& check, const RawHead& request) {
    const RawHead& head = check.head;
    if (read_entity_tag_list(request, KnownField::if_none_match).kind() != EntityTagListReader::Kind::tags)
        return;
    const auto etag = single_entity_tag(head);
    if (!etag || !list_weakly_matches(request, KnownField::if_none_match, *etag)) return;
    check.sink.report(if_none_match_ignored, [&] {
        return concat({head.status_text(), " to ", check.request.method, " carries ETag ",
                       quote(head.first(KnownField::etag)->value),
                       ", which matches the request's If-None-Match ",
                       quote(first_value(request, KnownField::if_none_match)),
                       "; the condition is false: answer 304 Not Modified"});
    });
}

void check_precondition_failed(const HeadCheck& check, const RawHead& request) {
    if (!request.has(KnownField::if_none_match) && !request.has(KnownField::if_modified_since)) return;
    if (has_other_precondition(request)) return;
    check.sink.report(instead_of_304_412, [&] {
        const std::string_view field =
            request.has(KnownField::if_none_match) ? "If-None-Match" : "If-Modified-Since";
        const std::string_view value =
            first_value(request, request.has(KnownField::if_none_match) ? KnownField::if_none_match
                                                                        : KnownField::if_modified_since);
        return concat({"412 Precondition Failed answers ", check.request.method, " with ", field, " ",
                       quote(value),
                       " and no other precondition; a false If-None-Match or If-Modified-Since "
                       "on GET or HEAD is answered 304 Not Modified"});
    });
}

}  // namespace

static void check_conditional(const HeadCheck& check) {
    const RawHead& head = check.head;
    const int status = head.status();
    if (status == 304) check_representation_metadata(check);

    const bool get_or_head = is_get_or_head(check.request.method);
    const bool relevant = status == 304 || (status == 412 && get_or_head) ||
                          (head.status_class() == 2 && get_or_head && head.has(KnownField::etag));
    if (!relevant) return;
    const RawHead* request = check.request_head();
    if (!request) return;
    if (status == 304)
        check_not_modified(check, *request);
    else if (status == 412)
        check_precondition_failed(check, *request);
    else if (request->has(KnownField::if_none_match))
        check_success(check, *request);
}

namespace {
Rule* const conditional_rules[] = {
    &unconditional_request_304, &method_not_get_head_304, &etag_mismatch_304, &missing_etag_304,
    &representation_metadata_304, &if_none_match_ignored, &instead_of_304_412,
};
}  // namespace

extern const Subject conditional_requests_subject{"conditional-requests", conditional_rules,
                                                  check_conditional, nullptr, nullptr};

}  // namespace cproxy::check

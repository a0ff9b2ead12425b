// Content-Type (RFC 9110 §8.3): valid media type, and present whenever there is content.
#include <string>

#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/parse/MediaType.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule content_type_missing{
    .id = "content-type-missing",
    .level = Level::warning,
    .reference = "RFC 9110 §8.3",
    .summary = "response with content but no Content-Type",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 5\n\nhello",
};
constinit Rule content_type_syntax{
    .id = "content-type-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §8.3.1",
    .summary = "Content-Type is not a valid media type",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text\n",
};

}  // namespace

using message::concat;
using message::quote;

static void check_content_type(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::content_type, [&](const FieldLine& line) {
        const MediaTypeParse parsed = parse_media_type(line.value);
        if (parsed.media_type) return;
        check.sink.report(content_type_syntax, [&] {
            return concat({"Content-Type ", quote(line.value), " is not a media type: ",
                           parsed.error.problem,
                           "; write type/subtype with optional parameters, e.g. Content-Type: "
                           "application/json; charset=utf-8"});
        });
    });

    if (head.has(KnownField::content_type) || check.is_head_request() ||
        status_has_no_content(head.status()) || !head.status_valid())
        return;
    const Framing& framing = check.framing();
    const bool has_content =
        framing.has_transfer_encoding ||
        (framing.content_length_valid && framing.content_length > 0);
    if (!has_content) return;
    check.sink.report(content_type_missing, [&] {
        const std::string announced =
            framing.has_transfer_encoding
                ? concat({"Transfer-Encoding ", quote(head.first(KnownField::transfer_encoding)->value)})
                : concat({"Content-Length ", std::to_string(framing.content_length)});
        return concat({head.status_text(), " response has content (", announced,
                       ") but no Content-Type; send its media type, e.g. Content-Type: "
                       "application/json or text/html; charset=utf-8"});
    });
}

namespace {
Rule* const content_type_rules[] = {&content_type_missing, &content_type_syntax};
}  // namespace

extern const Subject content_type_subject{"content-type", content_type_rules, check_content_type, nullptr, nullptr};

}  // namespace cproxy::check

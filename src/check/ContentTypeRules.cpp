// Content-Type (RFC 9110 §8.3): valid media type, and present whenever there is content.
#include <string>

#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/MediaType.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {

using message::concat;
using message::quote;

void check_content_type(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::content_type, [&](const FieldLine& line) {
        const MediaTypeParse parsed = parse_media_type(line.value);
        if (parsed.media_type) return;
        check.sink.report(RuleId::content_type_syntax, [&] {
            return concat({"Content-Type ", quote(line.value), " is not a media type: ",
                           parsed.error.problem,
                           "; write type/subtype with optional parameters, e.g. Content-Type: "
                           "application/json; charset=utf-8"});
        });
    });

    if (head.has(KnownField::content_type) || check.is_head_request() ||
        status_has_no_content(head.status()) || !head.status_valid())
        return;
    const Framing framing = read_framing(head);
    const bool has_content =
        framing.has_transfer_encoding ||
        (framing.content_length_valid && framing.content_length > 0);
    if (!has_content) return;
    check.sink.report(RuleId::content_type_missing, [&] {
        const std::string announced =
            framing.has_transfer_encoding
                ? concat({"Transfer-Encoding ", quote(head.first(KnownField::transfer_encoding)->value)})
                : concat({"Content-Length ", std::to_string(framing.content_length)});
        return concat({head.status_text(), " response has content (", announced,
                       ") but no Content-Type; send its media type, e.g. Content-Type: "
                       "application/json or text/html; charset=utf-8"});
    });
}

}  // namespace cproxy::check

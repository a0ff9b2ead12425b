#pragma once
// Whether a response's content is JSON the body rules can read: a JSON media type
// (application/json or any +json suffix, RFC 6839) with no content coding applied. Shared by the
// JSON content rules and the OpenAPI schema rule, which must agree on what they inspect.
#include <string_view>

#include "check/HttpBase.hpp"
#include "check/parse/MediaType.hpp"

namespace cproxy::check {

inline bool is_json_media_type(const MediaType& media_type) noexcept {
    const std::string_view subtype = media_type.subtype;
    if (grammar::iequals(media_type.type, "application") && grammar::iequals(subtype, "json")) return true;
    return subtype.size() > 5 && grammar::iequals(subtype.substr(subtype.size() - 5), "+json");
}

// No Content-Encoding, or only "identity": the bytes are the JSON text itself.
inline bool identity_coded(const RawHead& head) noexcept {
    bool identity = true;
    head.for_each(KnownField::content_encoding, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view coding) {
            if (!coding.empty() && !grammar::iequals(coding, "identity")) identity = false;
            return identity;
        });
    });
    return identity;
}

}  // namespace cproxy::check

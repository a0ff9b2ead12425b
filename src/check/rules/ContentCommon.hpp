#pragma once
// What the content, links and json subjects share: the response's media type, its parameters,
// and whether the captured content may be judged at all.
#include <optional>
#include <string_view>

#include "check/HeadRules.hpp"
#include "check/parse/MediaType.hpp"

namespace cproxy::check {

// Whether a parsed media type's parameters (MediaType::parameters, already valid) include
// `name` (case-insensitive).
inline bool has_media_type_parameter(std::string_view parameters, std::string_view name) noexcept {
    std::size_t pos = 0;
    while (pos < parameters.size()) {
        pos = grammar::skip_ows(parameters, pos);
        if (pos < parameters.size() && parameters[pos] == ';') {
            pos = grammar::skip_ows(parameters, pos + 1);
            continue;
        }
        const std::size_t name_length = grammar::token_length(parameters, pos);
        if (name_length == 0) return false;
        if (grammar::iequals(parameters.substr(pos, name_length), name)) return true;
        pos += name_length + 1;  // the name and its "="
        if (pos < parameters.size() && parameters[pos] == '"') {
            const std::size_t end = grammar::quoted_string_end(parameters, pos);
            if (end == grammar::npos) return false;
            pos = end;
        } else {
            pos += grammar::token_length(parameters, pos);
        }
    }
    return false;
}

// Before the body: whether a response with this head can have content the content rules judge
// (the head-only half of content_may_be_judged, for the subjects' wants_content).
inline bool content_may_come(const HeadCheck& check) noexcept {
    const int status = check.head.status();
    return !check.is_head_request() && check.head.status_valid() && !status_has_no_content(status) &&
           status != 206;
}

// The content rules never judge HEAD responses, 1xx, 204, 206 (a range may start anywhere),
// 304, or empty content.
inline bool content_may_be_judged(const HeadCheck& check, const BodyOutcome& outcome) noexcept {
    return content_may_come(check) && !outcome.content.empty();
}

}  // namespace cproxy::check

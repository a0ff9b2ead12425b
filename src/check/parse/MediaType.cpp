#include "check/parse/MediaType.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {

using grammar::npos;

namespace {
MediaTypeParse failure(std::string_view problem) { return MediaTypeParse{std::nullopt, {problem}}; }
}  // namespace

MediaTypeParse parse_media_type(std::string_view text) noexcept {
    const std::size_t type_length = grammar::token_length(text, 0);
    if (type_length == 0) return failure("it does not start with a type token");
    if (type_length == text.size() || text[type_length] != '/')
        return failure("the type is not followed by \"/\" and a subtype");
    const std::size_t subtype_start = type_length + 1;
    const std::size_t subtype_length = grammar::token_length(text, subtype_start);
    if (subtype_length == 0) return failure("the subtype after \"/\" is missing or not a token");

    MediaType media_type{text.substr(0, type_length), text.substr(subtype_start, subtype_length),
                         text.substr(subtype_start + subtype_length)};
    const std::string_view params = media_type.parameters;
    std::size_t pos = 0;
    while (true) {
        pos = grammar::skip_ows(params, pos);
        if (pos == params.size()) break;
        if (params[pos] != ';')
            return failure("parameters must be separated by \";\"");
        pos = grammar::skip_ows(params, pos + 1);
        if (pos == params.size() || params[pos] == ';') continue;  // empty parameter
        const std::size_t name_length = grammar::token_length(params, pos);
        if (name_length == 0) return failure("a parameter name is not a token");
        pos += name_length;
        if (pos == params.size() || params[pos] != '=')
            return failure("a parameter lacks \"=\" right after its name");
        ++pos;
        if (pos < params.size() && params[pos] == '"') {
            const std::size_t end = grammar::quoted_string_end(params, pos);
            if (end == npos) return failure("a quoted parameter value is not a valid quoted-string");
            pos = end;
        } else {
            const std::size_t value_length = grammar::token_length(params, pos);
            if (value_length == 0)
                return failure("a parameter value is neither a token nor a quoted-string");
            pos += value_length;
        }
    }
    return MediaTypeParse{media_type, {}};
}

}  // namespace cproxy::check

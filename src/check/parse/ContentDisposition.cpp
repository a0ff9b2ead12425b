#include "check/parse/ContentDisposition.hpp"

#include "check/parse/LanguageTag.hpp"
#include "check/parse/Text.hpp"

namespace cproxy::check {
namespace {

using grammar::npos;

constexpr bool is_mime_charsetc(char c) noexcept {
    return grammar::is_alpha(c) || grammar::is_digit(c) ||
           std::string_view("!#$%&+-^_`{}~").find(c) != npos;
}
constexpr bool is_attr_char(char c) noexcept {
    return grammar::is_alpha(c) || grammar::is_digit(c) ||
           std::string_view("!#$&+-.^_`|~").find(c) != npos;
}

ContentDispositionParse failure(std::string_view type, std::string_view problem) noexcept {
    return {type, problem};
}

}  // namespace

ExtValueParse parse_ext_value(std::string_view text) noexcept {
    ExtValueParse result;
    if (!text.empty() && text.front() == '"') {
        result.problem = "an ext-value is never quoted";
        return result;
    }
    const std::size_t first_quote = text.find('\'');
    if (first_quote == npos) {
        result.problem = "it lacks the charset and language parts (charset'language'value)";
        return result;
    }
    const std::size_t second_quote = text.find('\'', first_quote + 1);
    if (second_quote == npos) {
        result.problem = "it has one \"'\" where charset'language'value needs two";
        return result;
    }
    result.value.charset = text.substr(0, first_quote);
    result.value.language = text.substr(first_quote + 1, second_quote - first_quote - 1);
    result.value.value_chars = text.substr(second_quote + 1);
    if (result.value.charset.empty()) {
        result.problem = "the charset before the first \"'\" is missing";
        return result;
    }
    for (char c : result.value.charset) {
        if (!is_mime_charsetc(c)) {
            result.problem = "the charset is not a charset name";
            return result;
        }
    }
    if (!result.value.language.empty() && !is_language_tag(result.value.language)) {
        result.problem = "the language between the \"'\"s is not a language tag";
        return result;
    }
    const std::string_view chars = result.value.value_chars;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (chars[i] == '%') {
            if (!is_pct_encoded_at(chars, i)) {
                result.problem = "a \"%\" is not followed by two hex digits";
                return result;
            }
            i += 2;
        } else if (!is_attr_char(chars[i])) {
            result.problem = chars[i] == ' '
                                 ? std::string_view("it holds a raw space (write %20)")
                                 : std::string_view("it holds a character that must be percent-encoded");
            return result;
        }
    }
    return result;
}

ContentDispositionParse parse_content_disposition(std::string_view value,
                                                  DispositionParams& params) noexcept {
    const std::size_t type_length = grammar::token_length(value, 0);
    if (type_length == 0) return failure({}, "it does not start with a disposition type token");
    const std::string_view type = value.substr(0, type_length);
    std::size_t pos = type_length;
    while (true) {
        pos = grammar::skip_ows(value, pos);
        if (pos == value.size()) return {type, {}};
        if (value[pos] != ';') {
            if (value[pos] == '=' && params.empty())
                return failure(type, "it starts with a parameter, not a disposition type");
            return failure(type, params.empty()
                                     ? std::string_view("the disposition type is not followed by \";\"")
                                     : std::string_view("a parameter value holds a space or another "
                                                        "character that needs quoting, or a \";\" is missing"));
        }
        pos = grammar::skip_ows(value, pos + 1);
        if (pos == value.size()) return failure(type, "a \";\" is not followed by a parameter");
        const std::size_t name_length = grammar::token_length(value, pos);
        if (name_length == 0) return failure(type, "a parameter name is not a token");
        const std::string_view name = value.substr(pos, name_length);
        pos = grammar::skip_ows(value, pos + name_length);
        if (pos == value.size() || value[pos] != '=')
            return failure(type, "a parameter has no \"=\" and value");
        pos = grammar::skip_ows(value, pos + 1);
        const std::size_t value_start = pos;
        DispositionParam param{name, {}};
        if (param.extended()) {
            // An ext-value has neither ";" nor whitespace: take all up to ";" and judge it,
            // so a raw space is named as such.
            while (pos < value.size() && value[pos] != ';') {
                if (value[pos] == '"') {  // take a quoted ext-value whole, to name the problem
                    const std::size_t end = grammar::quoted_string_end(value, pos);
                    pos = end == npos ? value.size() : end;
                } else {
                    ++pos;
                }
            }
            param.value = grammar::trim_ows(value.substr(value_start, pos - value_start));
            if (param.value.empty()) return failure(type, "an extended parameter has no value");
            const ExtValueParse ext = parse_ext_value(param.value);
            if (!ext.problem.empty()) return failure(type, ext.problem);
        } else if (pos < value.size() && value[pos] == '"') {
            const std::size_t end = grammar::quoted_string_end(value, pos);
            if (end == npos) return failure(type, "a quoted parameter value is not a valid quoted-string");
            pos = end;
            param.value = value.substr(value_start, pos - value_start);
        } else {
            const std::size_t length = grammar::token_length(value, pos);
            if (length == 0)
                return failure(type, "a parameter value is neither a token nor a quoted-string");
            pos += length;
            param.value = value.substr(value_start, length);
        }
        params.push_back(param);
    }
}

}  // namespace cproxy::check

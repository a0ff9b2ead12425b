#include "check/parse/Link.hpp"

#include <boost/url/parse.hpp>

namespace cproxy::check {
namespace {
LinkValueParse failure(std::string_view target, std::string_view problem) noexcept {
    return {target, problem};
}
}  // namespace

LinkValueParse parse_link_value(std::string_view member, LinkParams& params) noexcept {
    if (member.empty() || member.front() != '<')
        return failure({}, "the URI is not enclosed in \"<\" and \">\"");
    const std::size_t close = member.find('>');
    if (close == grammar::npos) return failure({}, "the \"<\" has no closing \">\"");
    const std::string_view target = member.substr(1, close - 1);
    if (!boost::urls::parse_uri_reference(target))
        return failure(target, "the URI between \"<\" and \">\" is not a URI-reference");
    std::size_t pos = close + 1;
    while (true) {
        pos = grammar::skip_ows(member, pos);
        if (pos == member.size()) return {target, {}};
        if (member[pos] != ';')
            return failure(target, pos == grammar::skip_ows(member, close + 1)
                                       ? std::string_view("the \">\" is not followed by \";\"")
                                       : std::string_view("a parameter value holds a space or another "
                                                          "character that needs quoting, or a \";\" is missing"));
        pos = grammar::skip_ows(member, pos + 1);
        const std::size_t name_length = grammar::token_length(member, pos);
        if (name_length == 0) return failure(target, "a parameter name is missing or not a token");
        LinkParam param{member.substr(pos, name_length), {}};
        pos = grammar::skip_ows(member, pos + name_length);
        if (pos < member.size() && member[pos] == '=') {
            pos = grammar::skip_ows(member, pos + 1);
            std::size_t end;
            if (pos < member.size() && member[pos] == '"') {
                end = grammar::quoted_string_end(member, pos);
                if (end == grammar::npos)
                    return failure(target, "a quoted parameter value is unterminated or invalid");
            } else {
                end = pos + grammar::token_length(member, pos);
                if (end == pos)
                    return failure(target, "a parameter value is neither a token nor a quoted-string");
            }
            param.value = member.substr(pos, end - pos);
            pos = end;
        }
        params.push_back(param);
    }
}

}  // namespace cproxy::check

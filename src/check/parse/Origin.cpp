#include "check/parse/Origin.hpp"

#include <boost/url/grammar/parse.hpp>
#include <boost/url/rfc/ipv6_address_rule.hpp>

#include "check/HttpBase.hpp"

namespace cproxy::check {
namespace {

constexpr bool is_hexdig(char c) noexcept {
    return grammar::is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_unreserved(char c) noexcept {
    return grammar::is_alpha(c) || grammar::is_digit(c) || c == '-' || c == '.' || c == '_' ||
           c == '~';
}
constexpr bool is_sub_delim(char c) noexcept {
    return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}
constexpr bool is_scheme_char(char c) noexcept {
    return grammar::is_alpha(c) || grammar::is_digit(c) || c == '+' || c == '-' || c == '.';
}

// reg-name = *( unreserved / pct-encoded / sub-delims )
constexpr bool is_reg_name(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_unreserved(c) || is_sub_delim(c)) continue;
        if (c == '%' && i + 2 < text.size() && is_hexdig(text[i + 1]) && is_hexdig(text[i + 2])) {
            i += 2;
            continue;
        }
        return false;
    }
    return true;
}

// IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
constexpr bool is_ipvfuture(std::string_view text) noexcept {
    if (text.empty() || (text[0] != 'v' && text[0] != 'V')) return false;
    std::size_t i = 1;
    while (i < text.size() && is_hexdig(text[i])) ++i;
    if (i == 1 || i >= text.size() || text[i] != '.') return false;
    if (++i >= text.size()) return false;
    for (; i < text.size(); ++i)
        if (!(is_unreserved(text[i]) || is_sub_delim(text[i]) || text[i] == ':')) return false;
    return true;
}

bool is_ipv6(std::string_view text) noexcept {
    return !boost::urls::grammar::parse(text, boost::urls::ipv6_address_rule).has_error();
}

}  // namespace

OriginParse parse_origin(std::string_view text) noexcept {
    OriginParse result;
    const std::size_t separator = text.find("://");
    // The scheme ends at the first ':'; a value without "://" right there has no scheme.
    const std::size_t colon = text.find(':');
    if (separator == std::string_view::npos || colon != separator) {
        // "https//a", "a.example", "a.example:443", "//a"
        result.problem = OriginProblem::no_scheme;
        return result;
    }
    if (separator == 0) {  // "://a"
        result.problem = OriginProblem::bad_scheme;
        return result;
    }
    const std::string_view scheme = text.substr(0, separator);
    if (!grammar::is_alpha(scheme[0])) {
        result.problem = OriginProblem::bad_scheme;
        return result;
    }
    for (char c : scheme) {
        if (!is_scheme_char(c)) {
            result.problem = OriginProblem::bad_scheme;
            return result;
        }
    }
    std::string_view rest = text.substr(separator + 3);
    const std::size_t authority_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, authority_end);
    if (authority.find('@') != std::string_view::npos) {
        result.problem = OriginProblem::userinfo;
        return result;
    }
    std::string_view host;
    std::string_view after_host;
    if (!authority.empty() && authority[0] == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            result.problem = OriginProblem::bad_host;
            return result;
        }
        host = authority.substr(0, close + 1);
        const std::string_view literal = authority.substr(1, close - 1);
        if (!(is_ipvfuture(literal) || is_ipv6(literal))) {
            result.problem = OriginProblem::bad_host;
            return result;
        }
        after_host = authority.substr(close + 1);
    } else {
        const std::size_t port_colon = authority.find(':');
        host = authority.substr(0, port_colon);
        if (!is_reg_name(host)) {
            result.problem = OriginProblem::bad_host;
            return result;
        }
        after_host = port_colon == std::string_view::npos ? std::string_view()
                                                          : authority.substr(port_colon);
    }
    std::string_view port;
    if (!after_host.empty()) {
        if (after_host[0] != ':') {  // "[::1]x"
            result.problem = OriginProblem::bad_host;
            return result;
        }
        port = after_host.substr(1);
        for (char c : port) {
            if (!grammar::is_digit(c)) {
                result.problem = OriginProblem::bad_port;
                return result;
            }
        }
    }
    if (authority_end != std::string_view::npos) {
        result.problem = OriginProblem::path;
        return result;
    }
    result.origin = Origin{scheme, host, port};
    return result;
}

std::string_view describe(OriginProblem problem) noexcept {
    switch (problem) {
        case OriginProblem::none: return "is an origin";
        case OriginProblem::no_scheme: return "has no scheme (\"scheme://\")";
        case OriginProblem::bad_scheme: return "has an invalid scheme";
        case OriginProblem::userinfo: return "carries userinfo (\"user@\")";
        case OriginProblem::bad_host: return "has an invalid host (a space, quote or other character outside RFC 3986 host)";
        case OriginProblem::bad_port: return "has a port that is not all digits";
        case OriginProblem::path: return "has a path, query or fragment (a trailing slash counts)";
    }
    return "is not an origin";
}

}  // namespace cproxy::check

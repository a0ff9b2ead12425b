#include "proxy/RequestGrammar.hpp"

#include <algorithm>

#include <boost/url/parse.hpp>

namespace cproxy::proxy {

namespace {

// The usual Host: a name or IPv4 address of unreserved characters, an optional non-empty
// decimal port. Always a valid authority without userinfo, so Boost.URL need not parse it;
// anything else (IP literals, percent-encoding, sub-delims, errors) takes the full parse.
bool is_plain_host_port(std::string_view value) noexcept {
    const auto colon = value.find(':');
    const auto host = value.substr(0, colon);
    const auto is_host_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '_' || c == '~';
    };
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_char)) return false;
    if (colon == std::string_view::npos) return true;
    const auto port = value.substr(colon + 1);
    return !port.empty() && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An origin-form target of path and query characters only (RFC 3986 pchar, "/", "?"),
// without percent-encoding: always valid, so Boost.URL need not parse it. A "%" or any
// other character takes the full parse.
bool is_plain_origin_form(std::string_view target) noexcept {
    static constexpr std::string_view allowed = "!$&'()*+,;=:@/?-._~";  // sub-delims, ":", "@", "/", "?", unreserved
    return std::all_of(target.begin(), target.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               allowed.find(c) != std::string_view::npos;
    });
}

}  // namespace

std::optional<std::string> host_value_problem(std::string_view value, bool target_has_authority) {
    if (value.empty()) {
        if (target_has_authority) return std::nullopt;
        return "the Host header field is empty, and the origin-form target names no host";
    }
    // A comma is allowed in a reg-name, but in Host it is how two joined Host lines look.
    if (value.find(',') != std::string_view::npos)
        return "the Host header field holds a list; send exactly one host";
    if (is_plain_host_port(value)) return std::nullopt;
    const auto authority = boost::urls::parse_authority(value);
    if (!authority) return "the Host header field is not host[:port]";
    if (authority->has_userinfo()) return "the Host header field carries userinfo (user@host); send only host[:port]";
    if (authority->host_address().empty()) return "the Host header field has no host";
    if (authority->has_port() && authority->port().empty()) return "the Host header field has an empty port";
    return std::nullopt;
}

std::optional<std::string> origin_form_problem(std::string_view target) {
    if (target.empty() || target.front() != '/') return std::nullopt;  // another form: routed elsewhere
    if (target.find('#') != std::string_view::npos)
        return "the request target has a fragment (#...); fragments stay in the client";
    if (is_plain_origin_form(target)) return std::nullopt;
    if (!boost::urls::parse_origin_form(target))
        return "the request target is not a valid origin-form (RFC 3986): percent-encode bytes outside ASCII "
               "and characters such as space, \", <, >, {, }";
    return std::nullopt;
}

OversizedHead classify_oversized_head(std::string_view head_start, std::size_t limit) {
    if (head_start.empty())
        return {431, "Request header fields too large",
                "The request head exceeds " + std::to_string(limit) + " bytes; send fewer or smaller header fields."};
    const auto line_end = head_start.find('\n');
    const auto request_line = head_start.substr(0, line_end);
    const auto space = request_line.find(' ');
    if (space == std::string_view::npos || space > max_method_length)
        return {400, "Bad request",
                "The request method is longer than " + std::to_string(max_method_length) + " bytes."};
    if (line_end == std::string_view::npos)
        return {414, "URI too long",
                "The request line exceeds the head limit of " + std::to_string(limit) + " bytes."};
    return {431, "Request header fields too large",
            "The request head exceeds " + std::to_string(limit) + " bytes; send fewer or smaller header fields."};
}

RequestVersion classify_request_version(std::string_view head) {
    auto line = head.substr(0, head.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos) return {};
    const auto version = line.substr(space + 1);
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !digit(version[5]) || version[6] != '.' ||
        !digit(version[7]))
        return {};
    if (version[5] != '1') return {RequestVersion::Kind::other_major, 0};
    if (version[7] > '1') return {RequestVersion::Kind::higher_minor, space + 1 + 7};
    return {};
}

std::optional<std::string> method_problem(std::string_view method) {
    if (method.size() > max_method_length)
        return "the request method is longer than " + std::to_string(max_method_length) + " bytes";
    return std::nullopt;
}

bool field_name_smuggles_by_underscore(std::string_view name) { return name.find('_') != std::string_view::npos; }

}  // namespace cproxy::proxy

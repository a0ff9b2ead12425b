#include "proxy/Destination.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/parse_path.hpp>
#include <fnmatch.h>

namespace cproxy::proxy {

namespace {

Destination make(std::string host, std::string port) {
    Destination d;
    d.host = std::move(host);
    d.port = std::move(port);
    d.key = d.host + ":" + d.port;
    return d;
}

std::string lower(std::string_view s) {
    std::string out{s};
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::optional<Destination> parse_absolute_form(std::string_view target, std::optional<DestinationError>& error) {
    if (target.empty() || target.front() == '/' || target == "*") return std::nullopt;
    auto url = boost::urls::parse_absolute_uri(target);
    if (!url) {
        error = DestinationError{400, "Bad request", "The request target is neither origin-form nor a valid absolute URI."};
        return std::nullopt;
    }
    if (url->scheme() != "http") {
        error = DestinationError{400, "Bad request",
                                 "Only http:// targets can be forwarded as absolute-form; use CONNECT for https."};
        return std::nullopt;
    }
    if (url->host_address().empty()) {
        error = DestinationError{400, "Bad request", "The absolute-form target has no host."};
        return std::nullopt;
    }
    if (url->has_userinfo()) {
        error = DestinationError{400, "Bad request", "Credentials in the request URI are not forwarded; remove them."};
        return std::nullopt;
    }
    auto d = make(lower(url->host_address()), url->has_port() ? std::string(url->port()) : "80");
    d.origin_form = url->encoded_path().empty() ? "/" : std::string(url->encoded_path());
    if (url->has_query()) d.origin_form += "?" + std::string(url->encoded_query());
    d.host_header = std::string(url->encoded_host_and_port());
    return d;
}

std::optional<Destination> parse_connect_authority(std::string_view target, std::optional<DestinationError>& error) {
    auto authority = boost::urls::parse_authority(target);
    if (!authority || !authority->has_port() || authority->port().empty() || authority->has_userinfo() ||
        authority->host_address().empty()) {
        error = DestinationError{400, "Bad request", "CONNECT needs an authority-form target, host:port (RFC 9112 §3.2.3)."};
        return std::nullopt;
    }
    return make(lower(authority->host_address()), std::string(authority->port()));
}

bool destination_allowed(const std::vector<std::string>& allow_list, std::string_view host, std::string_view port) {
    if (allow_list.empty()) return true;
    const std::string host_text{host};
    const std::string with_port = host_text + ":" + std::string(port);
    for (const auto& pattern : allow_list) {
        const bool has_port = pattern.find(':') != std::string::npos && pattern.find(']') == std::string::npos;
        const auto& subject = has_port ? with_port : host_text;
        if (::fnmatch(pattern.c_str(), subject.c_str(), FNM_CASEFOLD) == 0) return true;
    }
    return false;
}

}  // namespace cproxy::proxy

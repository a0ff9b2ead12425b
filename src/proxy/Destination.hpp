#pragma once
// Where a request goes. Reverse mode: always the configured upstream. Forward mode: the
// host of an absolute-form target (RFC 9112 §3.2.2) or a CONNECT authority (§3.2.3),
// limited by the destination allow-list.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/proxy/ProxyOptions.hpp"

namespace cproxy::proxy {

struct Destination {
    std::string host;
    std::string port;
    std::string key;          // "host:port": the upstream pool key
    std::string origin_form;  // the target to send upstream ("/path?q"), empty for CONNECT
    std::string host_header;  // Host regenerated from an absolute-form target, else empty
    bool tls = false;         // https upstream
};

struct DestinationError {
    unsigned status;    // 400 or 403
    std::string title;
    std::string detail;
};

// Absolute-form "http://host[:port]/path?q" -> destination; other forms -> nullopt.
// error is set when the target is absolute-form but unusable (e.g. https, no host).
std::optional<Destination> parse_absolute_form(std::string_view target, std::optional<DestinationError>& error);
// CONNECT "host:port" -> destination, or error.
std::optional<Destination> parse_connect_authority(std::string_view target, std::optional<DestinationError>& error);

// Allow-list patterns: "host", "host:port", "*.example.com", "*.example.com:443", "*".
// An empty list allows everything.
bool destination_allowed(const std::vector<std::string>& allow_list, std::string_view host, std::string_view port);

}  // namespace cproxy::proxy

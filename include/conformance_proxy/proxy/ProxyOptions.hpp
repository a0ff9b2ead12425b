#pragma once
// Everything the proxy's I/O layer needs to know, parsed and validated once at start-up.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cproxy::proxy {

// The origin in reverse-proxy mode (absent = forward-proxy mode).
struct UpstreamTarget {
    std::string scheme = "http";
    std::string host;
    std::uint16_t port = 80;
    std::string authority() const { return host + ":" + std::to_string(port); }
};

enum class Mode { report, annotate, enforce };
enum class ForwardedStyle { x_forwarded, forwarded, none };

struct ProxyOptions {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::optional<UpstreamTarget> upstream;
    unsigned threads = 0;  // 0 = one io_context thread per core
    Mode mode = Mode::report;
    ForwardedStyle forwarded = ForwardedStyle::x_forwarded;
    bool preserve_host = true;

    std::size_t max_request_head_bytes = 32 * 1024;           // over -> 431
    std::size_t max_response_head_bytes = 64 * 1024;          // over -> 502
    std::uint64_t max_request_body_bytes = 1024ull << 20;     // over -> 413
    std::size_t max_chunk_extension_bytes = 4 * 1024;         // one chunk's extensions; over -> 400
    // Fields named with "_" (Content_Length) are dropped: CGI/WSGI read them as "-" fields.
    bool forward_underscore_fields = false;
    // A request field naming rules to silence for that exchange only ("Conformance-Silence:
    // rule-id, rule-id"); never forwarded. Empty = the feature is off (the field goes upstream).
    std::string silence_field = "Conformance-Silence";
    // The content prefix the content rules see, copied only for responses they want; 0 = off.
    std::size_t inspect_body_limit = 64 * 1024;
    // Resources (and clients) the stateful rules remember, least recently used first out; 0 = off.
    std::size_t history_resources = 10'000;

    std::chrono::milliseconds client_head_timeout{10'000};    // slow head -> 408
    std::chrono::milliseconds client_idle_timeout{60'000};    // keep-alive idle -> close
    std::chrono::milliseconds upstream_connect_timeout{5'000};   // -> 502
    std::chrono::milliseconds upstream_response_timeout{60'000}; // head not in time -> 504
    std::chrono::milliseconds io_timeout{60'000};             // body stalls -> abort
    std::chrono::milliseconds drain_timeout{10'000};          // graceful shutdown bound

    // Forward-proxy mode: destinations allowed ("host", "host:port", "*.example.com"); empty = any.
    std::vector<std::string> allowed_destinations;

    // TLS: towards https upstreams, and on the listener.
    std::string upstream_ca_file;    // extra CA bundle (PEM) for a private CA
    bool upstream_insecure = false;  // skip certificate verification (warned about)
    std::string tls_cert_file;       // listener certificate chain (PEM); empty = plain HTTP
    std::string tls_key_file;

    std::size_t upstream_max_idle_per_thread = 64;
    std::size_t upstream_max_connections = 0;  // open at once, per destination; 0 = unlimited
    std::chrono::milliseconds upstream_idle_timeout{30'000};
};

}  // namespace cproxy::proxy

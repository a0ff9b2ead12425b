#pragma once
// A serialized origin as Fetch (Access-Control-Allow-Origin) and RFC 6454 §7.1 (Origin) write it:
//   origin = scheme "://" host [ ":" port ]
// with the RFC 3986 productions: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ),
// host = IP-literal / IPv4address / reg-name (reg-name may be empty and may hold sub-delims
// such as "*" or ","), port = *DIGIT. Nothing may follow: no path, query, fragment, userinfo.
// Allocation-free.
#include <cstdint>
#include <string_view>

namespace cproxy::check {

enum class OriginProblem : std::uint8_t {
    none,
    no_scheme,      // "app.example", "//app.example": no `scheme "://"`
    bad_scheme,     // "1http://a", "ht tp://a"
    userinfo,       // "https://user@app.example"
    bad_host,       // a character outside reg-name, or a malformed IP-literal
    bad_port,       // "https://a.example:80x"
    path,           // "https://a.example/", "https://a.example/x", "?q", "#f" after the host
};

struct Origin {
    std::string_view scheme;
    std::string_view host;  // IP-literals with their brackets
    std::string_view port;  // empty when absent (or written as a bare ":")
};

struct OriginParse {
    OriginProblem problem = OriginProblem::none;
    Origin origin;
    explicit operator bool() const noexcept { return problem == OriginProblem::none; }
};

OriginParse parse_origin(std::string_view text) noexcept;

inline bool is_origin(std::string_view text) noexcept { return bool(parse_origin(text)); }

// A short phrase for messages: "has a path (or a trailing slash)", "has no scheme", ...
std::string_view describe(OriginProblem problem) noexcept;

}  // namespace cproxy::check

#pragma once
// The fast path for the common response: a clean head whose body is framed by
// Content-Length (or has none). The head is rewritten as text straight from the upstream's
// bytes (hop-by-hop fields dropped, Via added) instead of being parsed into Beast's field
// tree and serialized again: no allocation once the output string has grown. Anything
// unusual (obs-fold, bare LF, Transfer-Encoding, duplicate Content-Length, a control
// character, 1xx/101) is left to the general Beast path, which knows how to repair it.
#include <cstdint>
#include <string>
#include <string_view>

#include "conformance_proxy/http/RawHead.hpp"

namespace cproxy::proxy {

struct ForwardedHeadOptions {
    bool keep_alive = true;         // whether the client connection stays open after this response
    bool client_http10 = false;     // the client spoke HTTP/1.0 (needs an explicit keep-alive)
    std::string_view findings_ids;  // annotate mode: Conformance-Findings value, "" for none
};

struct ForwardedHead {
    unsigned status = 0;
    bool upstream_keep_alive = true;  // the upstream allows reusing its connection
};

// Writes the head to send to the client into out (cleared first) and returns true, or
// returns false when the head needs the general path. Expects a complete raw head.
bool rewrite_response_head(std::string_view raw_head, const ForwardedHeadOptions& options, std::string& out,
                           ForwardedHead& info);
// The same over the checker's parse of the head (the proxy parses each head once).
bool rewrite_response_head(const cproxy::http::RawHead& head, const ForwardedHeadOptions& options, std::string& out,
                           ForwardedHead& info);

}  // namespace cproxy::proxy

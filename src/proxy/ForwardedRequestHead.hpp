#pragma once
// The upstream request head of a request without a body (the common GET), written as text
// straight from the parsed client head. It makes the changes MessageRewriter makes to a
// Beast field tree (hop-by-hop fields dropped, Via and X-Forwarded-*/Forwarded added, Host
// replaced when asked) without allocating a tree node per change: on the hot path that
// cost more than the checker. Requests with a body keep the Beast path, whose serializer
// frames the body; a unit test holds the two to the same result.
#include <boost/beast/http/message.hpp>
#include <string>
#include <string_view>

#include "proxy/MessageRewriter.hpp"
#include "proxy/RequestFields.hpp"

namespace cproxy::proxy {

struct ForwardedRequestOptions {
    std::string_view method;
    std::string_view target;       // as it goes upstream (origin-form in reverse mode)
    unsigned received_version = 11;  // the client's HTTP version (10 or 11), for Via
    bool keep_upgrade = false;     // a WebSocket handshake: Upgrade stays, Connection: upgrade
    std::string_view host;         // replaces Host when not empty (--no-preserve-host)
    ForwardedStyle forwarded = ForwardedStyle::x_forwarded;
    ClientInfo client;
};

// Writes "METHOD target HTTP/1.1", the kept fields, the added ones and the empty line
// into out (cleared first; its capacity is reused).
void write_forwarded_request_head(const RequestFields& fields, const ForwardedRequestOptions& options,
                                  std::string& out);

// The same changes made in place to the parsed head of a request with a body (Beast's
// serializer then frames the body); the request becomes HTTP/1.1. method and target are
// left as they are.
void rewrite_forwarded_request(boost::beast::http::request_header<RequestFields>& request,
                               const ForwardedRequestOptions& options);

}  // namespace cproxy::proxy

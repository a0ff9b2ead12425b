#pragma once
// The proxy's own gate on a client's request, before anything goes upstream: heads that
// could be framed one way here and another way upstream (request smuggling), requests
// HTTP/1.1 forbids, the configured limits, and where the request may go. Pure functions of
// the parsed request and the options, so each refusal is tested without a socket.
#include <boost/system/error_code.hpp>
#include <optional>
#include <string_view>

#include "conformance_proxy/proxy/ProxyOptions.hpp"
#include "proxy/Destination.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/RequestFields.hpp"

namespace cproxy::proxy {

// Hands a complete request head, as read from the client, to Beast's parser. The error (a
// head Beast refuses, or one it did not take whole) is for vet_request to answer.
boost::system::error_code parse_request_head(RequestParser& parser, std::string_view raw_head);

// The 431 for a head over --max-request-head-bytes (found while reading it, or by the parser).
Problem request_head_too_large(const ProxyOptions& options);
// The 413 for a body over --max-request-body-bytes (found by the parser, or while streaming it).
Problem request_body_too_large(const ProxyOptions& options);

// Every refusal ends the connection: after a head the proxy refused, it cannot tell where
// the client's next request would start.
struct RequestVerdict {
    std::optional<Problem> refusal;  // empty: the request may go on
    bool accepted() const noexcept { return !refusal; }
};

// The head as the client wrote it (raw_head), as Beast parsed it, and the parse error.
RequestVerdict vet_request(const RequestParser& parser, boost::system::error_code parse_error,
                           std::string_view raw_head, const ProxyOptions& options);

struct Route {
    std::optional<Problem> refusal;  // empty: the request may go on
    // The destination the target names: an absolute-form target (its origin-form and Host
    // are what goes upstream) or a CONNECT authority. Forward mode sends the request there;
    // reverse mode sends every request to the upstream, but still rewrites an
    // absolute-form target from it.
    std::optional<Destination> named;
};

// Where the request may go: CONNECT only in forward mode, absolute-form targets in forward
// mode, and only to destinations on the allow-list.
Route route_request(const RequestParser::value_type& request, const ProxyOptions& options);

}  // namespace cproxy::proxy

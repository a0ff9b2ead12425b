#pragma once
// The proxy's own gate on a client's request, before anything goes upstream: heads that
// could be framed one way here and another way upstream (request smuggling), requests
// HTTP/1.1 forbids, the configured limits, and where the request may go. Pure functions of
// the parsed request and the options, so each refusal is tested without a socket.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "conformance_proxy/proxy/ProxyOptions.hpp"
#include "proxy/Destination.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/RequestFields.hpp"

namespace cproxy::proxy {

// Hands a complete request head, as read from the client, to Beast's parser. The error (a
// head Beast refuses, or one it did not take whole) is for vet_request to answer.
boost::system::error_code parse_request_head(RequestParser& parser, std::string_view raw_head);

// Before the head goes to Beast's parser: a higher HTTP/1.x minor becomes 1.1 in the buffered
// head (RFC 9112 §2.3); another major version is the 505 returned. A head with obs-fold is
// left for vet_request to refuse.
std::optional<Problem> settle_request_head(boost::beast::flat_buffer& buffer, std::size_t head_length);

// The answer to a head over --max-request-head-bytes (found while reading it, or by the
// parser): 400 (method), 414 (request line) or 431 (fields), judged from the bytes received.
Problem request_head_too_large(const ProxyOptions& options, std::string_view received = {});
// The 413 for a body over --max-request-body-bytes (found by the parser, or while streaming it).
Problem request_body_too_large(const ProxyOptions& options);

// A request body that broke off while it was streamed upstream: true, with `out` set, when
// the client still waits for an answer (413 over the limit, 400 for broken chunked framing);
// false when the client went away.
bool refuse_request_body(const boost::system::error_code& read_error, const std::string& framing_problem,
                         const ProxyOptions& options, Problem& out);

// Every refusal ends the connection: after a head the proxy refused, it cannot tell where
// the client's next request would start.
struct RequestVerdict {
    std::optional<Problem> refusal;  // empty: the request may go on
    bool accepted() const noexcept { return !refusal; }
};

// The head as the client wrote it (raw_head), as Beast parsed it, and the parse error.
// Includes the strict grammar of StrictRequestHead (method, origin-form target, Host value).
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

#pragma once
// Applies RequestGrammar to a request Beast has parsed: the one place Session asks whether a
// request head is strict enough to forward, and where smuggling-prone fields are dropped.
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>

#include "conformance_proxy/proxy/ProxyOptions.hpp"
#include "proxy/ChunkBoundary.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/RequestFields.hpp"

namespace cproxy::proxy {

using RequestMessage = RequestParser::value_type;

// Before the head goes to Beast's parser (which refuses every version but 1.0 and 1.1): a
// higher HTTP/1.x minor becomes 1.1 in the buffered head (RFC 9112 §2.3); another major
// version is a 505 to answer.
std::optional<Problem> settle_request_version(boost::beast::flat_buffer& buffer, std::size_t head_length);

// The 400 to answer for a parsed request, or nothing.
std::optional<Problem> strict_request_problem(const RequestMessage& req);

// Removes request fields whose names contain "_" (see RequestGrammar.hpp), unless
// `forward_them`; returns the names removed, for a debug line (never the values).
std::vector<std::string> drop_underscore_fields(RequestMessage& req, bool forward_them);
void log_dropped_fields(const std::vector<std::string>& names, const std::string& client_address);

// A request body whose framing is broken gets a 400 (the client still waits for an answer);
// nothing for other read errors (the client went away).
std::optional<Problem> request_body_problem(const boost::system::error_code& read_error,
                                            const std::string& framing_problem);
ChunkLimits request_chunk_limits(const ProxyOptions& options);

}  // namespace cproxy::proxy

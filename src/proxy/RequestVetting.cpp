#include "proxy/RequestVetting.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

#include "proxy/RequestGrammar.hpp"
#include "proxy/StrictRequestHead.hpp"

namespace cproxy::proxy {

namespace {

namespace http = boost::beast::http;
using Request = RequestParser::value_type;

Problem bad_request(std::string detail) { return Problem{400, "Bad request", std::move(detail)}; }

// RFC 9112 §5.2: obs-fold is refused in a request. Beast would join the lines silently.
bool uses_obs_fold(std::string_view raw_head) {
    // One pass over the line ends (every request passes here twice).
    for (auto lf = raw_head.find('\n'); lf != std::string_view::npos && lf + 1 < raw_head.size();
         lf = raw_head.find('\n', lf + 1))
        if (raw_head[lf + 1] == ' ' || raw_head[lf + 1] == '\t') return true;
    return false;
}

std::optional<Problem> parse_problem(boost::system::error_code parse_error, std::string_view raw_head,
                                     const ProxyOptions& options) {
    if (!parse_error) return std::nullopt;
    if (parse_error == http::error::header_limit) return request_head_too_large(options, raw_head);
    if (parse_error == http::error::body_limit) return request_body_too_large(options);
    return bad_request("The request could not be parsed: " + parse_error.message() + ".");
}

// RFC 9112 §6.1/§6.3: a request body is framed only by a final chunked coding. Anything
// else is a smuggling shape (refused with 400) or a coding this proxy cannot pass on (501).
std::optional<Problem> transfer_coding_problem(const Request& req) {
    if (req.count(http::field::transfer_encoding) == 0) return std::nullopt;
    std::string codings;
    for (auto it = req.find(http::field::transfer_encoding);
         it != req.end() && it->name() == http::field::transfer_encoding; ++it) {
        if (!codings.empty()) codings += ", ";
        codings += it->value();
    }
    if (req.version() < 11)
        return bad_request("Transfer-Encoding in an HTTP/1.0 request cannot be trusted (RFC 9112 §6.1).");
    if (req.count(http::field::content_length) > 0)
        return bad_request("Content-Length together with Transfer-Encoding (RFC 9112 §6.1).");
    std::string_view rest = codings;
    std::string_view last;
    bool unknown = false;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (!item.empty()) {
            last = item;
            if (!boost::beast::iequals(item, "chunked")) unknown = true;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (!boost::beast::iequals(last, "chunked"))
        return bad_request("Transfer-Encoding '" + codings +
                           "' does not end in chunked, so the body length cannot be determined (RFC 9112 §6.3).");
    if (unknown)
        return Problem{501, "Transfer coding not implemented",
                       "Transfer-Encoding '" + codings +
                           "' uses a coding this proxy does not implement; send only chunked."};
    return std::nullopt;
}

// RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host field.
std::optional<Problem> host_problem(const Request& req) {
    const auto count = req.count(http::field::host);
    if (req.version() >= 11 && count == 0)
        return bad_request("HTTP/1.1 request without a Host header field (RFC 9112 §3.2).");
    if (count > 1) return bad_request("request with more than one Host header field (RFC 9112 §3.2).");
    return std::nullopt;
}

}  // namespace

std::optional<Problem> settle_request_head(boost::beast::flat_buffer& buffer, std::size_t head_length) {
    if (uses_obs_fold({static_cast<const char*>(buffer.data().data()), head_length})) return std::nullopt;
    return settle_request_version(buffer, head_length);
}

Problem request_head_too_large(const ProxyOptions& options, std::string_view received) {
    auto verdict = classify_oversized_head(received, options.max_request_head_bytes);
    return Problem{static_cast<unsigned>(verdict.status), std::move(verdict.title), std::move(verdict.detail)};
}

bool refuse_request_body(const boost::system::error_code& read_error, const std::string& framing_problem,
                         const ProxyOptions& options, Problem& out) {
    if (read_error == http::error::body_limit) {
        out = request_body_too_large(options);
        return true;
    }
    auto problem = request_body_problem(read_error, framing_problem);
    if (problem) out = std::move(*problem);
    return problem.has_value();
}

Problem request_body_too_large(const ProxyOptions& options) {
    return Problem{413, "Content too large",
                   "The request body exceeds the limit of " + std::to_string(options.max_request_body_bytes) +
                       " bytes."};
}

boost::system::error_code parse_request_head(RequestParser& parser, std::string_view raw_head) {
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(raw_head), ec);
    if (!ec && (!parser.is_header_done() || used != raw_head.size())) ec = http::error::partial_message;
    return ec;
}

RequestVerdict vet_request(const RequestParser& parser, boost::system::error_code parse_error,
                           std::string_view raw_head, const ProxyOptions& options) {
    if (uses_obs_fold(raw_head))
        return {bad_request("The request head uses obsolete line folding (RFC 9112 §5.2); send each field on one line.")};
    if (auto problem = parse_problem(parse_error, raw_head, options)) return {std::move(problem)};
    const auto& req = parser.get();
    if (auto problem = strict_request_problem(req)) return {std::move(problem)};
    if (auto problem = transfer_coding_problem(req)) return {std::move(problem)};
    if (req.target() == "*" && req.method() != http::verb::options)
        return {bad_request("The asterisk-form target is only for OPTIONS (RFC 9112 §3.2.4).")};
    if (auto problem = host_problem(req)) return {std::move(problem)};
    if (const auto length = parser.content_length(); length && *length > options.max_request_body_bytes)
        return {Problem{413, "Content too large",
                        "The request body of " + std::to_string(*length) + " bytes exceeds the limit of " +
                            std::to_string(options.max_request_body_bytes) + " bytes."}};
    return {};
}

Route route_request(const Request& req, const ProxyOptions& options) {
    Route route;
    std::optional<DestinationError> target_error;
    if (req.method() == http::verb::connect) {
        if (options.upstream) {
            route.refusal = Problem{501, "Not implemented",
                                    "CONNECT is served in forward-proxy mode only (start without --upstream)."};
            return route;
        }
        route.named = parse_connect_authority(req.target(), target_error);
    } else {
        route.named = parse_absolute_form(req.target(), target_error);
        if (!route.named && !target_error && !options.upstream)
            target_error = DestinationError{
                400, "Bad request",
                "This is a forward proxy: send absolute-form targets (GET http://host/path HTTP/1.1)."};
    }
    if (target_error) {
        route.refusal = Problem{target_error->status, target_error->title, target_error->detail};
        route.named.reset();
        return route;
    }
    if (route.named && !options.upstream &&
        !destination_allowed(options.allowed_destinations, route.named->host, route.named->port)) {
        route.refusal = Problem{403, "Destination not allowed",
                                "The destination " + route.named->key + " is not on this proxy's allow-list."};
        route.named.reset();
    }
    return route;
}

}  // namespace cproxy::proxy

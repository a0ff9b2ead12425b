#include "proxy/StrictRequestHead.hpp"

#include <boost/beast/http/error.hpp>

#include "proxy/Logging.hpp"
#include "proxy/RequestGrammar.hpp"

namespace cproxy::proxy {

namespace http = boost::beast::http;

std::optional<Problem> settle_request_version(boost::beast::flat_buffer& buffer, std::size_t head_length) {
    char* head = static_cast<char*>(buffer.data().data());
    const auto version = classify_request_version({head, head_length});
    if (version.kind == RequestVersion::Kind::other_major)
        return Problem{505, "HTTP version not supported",
                       "This proxy speaks HTTP/1.1 and HTTP/1.0 on this connection; send one of those."};
    if (version.kind == RequestVersion::Kind::higher_minor) head[version.minor_offset] = '1';
    return std::nullopt;
}

std::optional<Problem> strict_request_problem(const RequestMessage& req) {
    if (auto why = method_problem(req.method_string())) return Problem{400, "Bad request", "Refused: " + *why + "."};
    if (auto why = origin_form_problem(req.target()))
        return Problem{400, "Bad request", "Refused: " + *why + " (RFC 9112 §3.2)."};
    const bool target_has_authority = !req.target().empty() && req.target().front() != '/';
    if (auto host = req.find(http::field::host); host != req.end()) {
        if (auto why = host_value_problem(host->value(), target_has_authority))
            return Problem{400, "Bad request", "Refused: " + *why + " (RFC 9112 §3.2, RFC 9110 §7.2)."};
    }
    return std::nullopt;
}

std::vector<std::string> drop_underscore_fields(RequestMessage& req, bool forward_them) {
    std::vector<std::string> dropped;
    if (forward_them) return dropped;
    for (auto it = req.begin(); it != req.end();) {
        if (field_name_smuggles_by_underscore(it->name_string())) {
            dropped.emplace_back(it->name_string());
            it = req.erase(it);
        } else {
            ++it;
        }
    }
    return dropped;
}

std::optional<Problem> request_body_problem(const boost::system::error_code& read_error,
                                            const std::string& framing_problem) {
    if (!framing_problem.empty())
        return Problem{400, "Bad request", "The chunked request body is malformed: " + framing_problem + " (RFC 9112 §7.1)."};
    if (read_error == http::error::bad_chunk || read_error == http::error::bad_chunk_extension)
        return Problem{400, "Bad request", "The chunked request body is malformed (" + read_error.message() + ")."};
    return std::nullopt;
}

ChunkLimits request_chunk_limits(const ProxyOptions& options) {
    return ChunkLimits{options.max_chunk_extension_bytes, options.max_request_head_bytes};
}

void log_dropped_fields(const std::vector<std::string>& names, const std::string& client_address) {
    if (names.empty() || !debug_logging()) return;
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    log_debug("dropped request fields from " + client_address + " whose names contain an underscore: " + list +
              " (--forward-underscore-fields forwards them)");
}

}  // namespace cproxy::proxy

#include "proxy/HeadReader.hpp"

#include "conformance_proxy/check/head_summary.hpp"

namespace cproxy::proxy {

std::optional<HeadReadResult> head_in_buffer(const beast::flat_buffer& buffer, std::size_t limit) {
    const std::string_view bytes{static_cast<const char*>(buffer.data().data()), buffer.size()};
    // The checker's own head scanner, so proxy and checker agree on where a head ends.
    if (const auto end = check::find_head_end(bytes)) return HeadReadResult{{}, end};
    if (bytes.size() >= limit) return HeadReadResult{beast::http::error::header_limit, 0};
    return std::nullopt;
}

}  // namespace cproxy::proxy

#include "proxy/HeadReader.hpp"

#include <boost/beast/http/error.hpp>

#include "conformance_proxy/check/head_summary.hpp"

namespace cproxy::proxy {

awaitable<HeadReadResult> read_raw_head(AnyStream& stream, beast::flat_buffer& buffer,
                                        std::size_t limit, std::size_t read_size) {
    for (;;) {
        const std::string_view bytes{static_cast<const char*>(buffer.data().data()), buffer.size()};
        // The checker's own head scanner, so proxy and checker agree on where a head ends.
        if (const auto end = check::find_head_end(bytes)) co_return HeadReadResult{{}, end};
        if (bytes.size() >= limit) co_return HeadReadResult{beast::http::error::header_limit, 0};
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_size), nothrow_awaitable);
        if (ec) co_return HeadReadResult{ec, 0};
        buffer.commit(n);
    }
}

}  // namespace cproxy::proxy

#include "proxy/HeadReader.hpp"

#include <boost/beast/http/error.hpp>

namespace cproxy::proxy {

std::size_t find_head_end(std::string_view bytes, std::size_t scan_from) noexcept {
    for (std::size_t i = scan_from; i < bytes.size(); ++i) {
        const auto lf = bytes.find('\n', i);
        if (lf == std::string_view::npos) return 0;
        // A blank line is "\n\n" or "\n\r\n" (covers CRLFCRLF and bare-LF heads).
        if (lf + 1 < bytes.size() && bytes[lf + 1] == '\n') return lf + 2;
        if (lf + 2 < bytes.size() && bytes[lf + 1] == '\r' && bytes[lf + 2] == '\n') return lf + 3;
        i = lf;
    }
    return 0;
}

awaitable<HeadReadResult> read_raw_head(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                        std::size_t limit) {
    std::size_t scanned = 0;
    for (;;) {
        const std::string_view bytes{static_cast<const char*>(buffer.data().data()), buffer.size()};
        if (const auto end = find_head_end(bytes, scanned)) co_return HeadReadResult{{}, end};
        if (bytes.size() >= limit) co_return HeadReadResult{beast::http::error::header_limit, 0};
        // Resume two bytes back: the blank line may straddle two reads.
        scanned = bytes.size() >= 2 ? bytes.size() - 2 : 0;
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(16 * 1024), nothrow_awaitable);
        if (ec) co_return HeadReadResult{ec, 0};
        buffer.commit(n);
    }
}

}  // namespace cproxy::proxy

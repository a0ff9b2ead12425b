#pragma once
// Reads a message head as raw bytes. The checker must see the head exactly as the peer
// wrote it (Beast's parser joins obs-fold and refuses shapes rules must name), so the bytes
// are kept and only then handed to Beast's parser for framing.
//
// An Asio composed operation, not a coroutine: each exchange reads two heads, and a
// coroutine's frame comes from a small per-thread cache that misses at tens of connections
// (malloc and free then), while a composed operation's state travels inside the socket
// operation, whose memory Asio recycles anyway.
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <optional>
#include <string_view>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"

namespace cproxy::proxy {

struct HeadReadResult {
    error_code error;            // from the socket, or http::error::header_limit
    std::size_t head_length = 0; // bytes of buffer.data() that form the head (incl. blank line)
};

// What the buffer alone decides: a whole head (its length), a head over the limit (the
// error), or nothing yet (more bytes are needed).
std::optional<HeadReadResult> head_in_buffer(const beast::flat_buffer& buffer, std::size_t limit);

namespace detail {
struct ReadRawHeadOp {
    AnyStream& stream;
    beast::flat_buffer& buffer;
    std::size_t limit;
    std::size_t read_size;
    enum class Step { start, posted, reading } step = Step::start;

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t n = 0) {
        if (step == Step::reading) {
            if (ec) return self.complete(ec, 0);
            buffer.commit(n);
        }
        if (auto decided = head_in_buffer(buffer, limit)) {
            // An asynchronous operation never completes inside its initiating call (Asio's
            // rule; the caller may not be ready for its handler yet): once via the executor.
            if (step == Step::start) {
                step = Step::posted;
                return asio::post(stream.get_executor(), std::move(self));
            }
            return self.complete(decided->error, decided->head_length);
        }
        step = Step::reading;
        stream.async_read_some(buffer.prepare(read_size), std::move(self));
    }
};
}  // namespace detail

// Reads until buffer holds a whole head (it may hold more: the start of the body), at most
// read_size bytes per read. Completes with (error, head length).
template <class Token>
auto async_read_raw_head(AnyStream& stream, beast::flat_buffer& buffer, std::size_t limit, std::size_t read_size,
                         Token&& token) {
    return asio::async_compose<Token, void(error_code, std::size_t)>(
        detail::ReadRawHeadOp{stream, buffer, limit, read_size}, std::forward<Token>(token), stream);
}

}  // namespace cproxy::proxy

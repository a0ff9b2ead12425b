#pragma once
// Streams a message body from one connection to another through a bounded buffer, as in
// Beast's http_relay example: the parser fills the buffer, the serializer drains it, and
// Beast re-frames (chunked or not) from the outgoing message's fields.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <algorithm>
#include <chrono>
#include <span>
#include <sys/socket.h>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/ChunkBoundary.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

struct RelayResult {
    error_code read_error;   // from the side the body comes from
    error_code write_error;  // from the side the body goes to
    std::uint64_t bytes = 0; // body bytes relayed
    std::string framing_problem;  // the chunked framing was malformed (read_error is bad_chunk): why
    bool answered_early = false;  // the receiver answered before the body was all sent; sending stopped
    // The trailer section's field lines (chunked bodies). Never forwarded (framing must not
    // change after the head), but the checker judges them.
    std::string trailer_section;
};

// Whether the peer sent something (a response) on a plain TCP connection we are still
// writing a request body to. Under TLS a peek would also see records that are no answer
// (TLS 1.3 session tickets), so there only a failed write tells.
// An interim response (some servers send 100 Continue unasked) is no answer: the body goes on.
inline bool peer_answered(AnyStream& stream) {
    if (stream.is_tls()) return false;
    char start[10];
    const auto n = ::recv(stream.lowest().native_handle(), start, sizeof start, MSG_PEEK | MSG_DONTWAIT);
    if (n < static_cast<ssize_t>(sizeof start)) return n > 0 && start[0] != 'H';  // too little to tell yet
    return start[9] != '1';  // "HTTP/1.1 1xx"
}

namespace detail {

// One step of the parser over `from_buffer`, reading more until it made progress (as Beast's
// http::async_read_some does), with every chunk boundary checked by inspect_chunk_boundary
// first. `data_left`: bytes of the current chunk's data the parser has not taken yet.
// `reset_ends_body`: a reset is taken as the close that ends a close-delimited body (an
// upstream that answered before reading the whole request resets when it closes).
template <bool isRequest, class Allocator>
awaitable<error_code> parse_some(AnyStream& from, beast::flat_buffer& from_buffer,
                                 beast::http::parser<isRequest, beast::http::buffer_body, Allocator>& parser,
                                 const ChunkLimits& limits, std::uint64_t& data_left, std::string& problem,
                                 std::string& trailer_section, bool reset_ends_body) {
    namespace http = beast::http;
    auto& body = parser.get().body();
    for (;;) {
        if (from_buffer.size() > 0) {
            const std::string_view pending{static_cast<const char*>(from_buffer.data().data()), from_buffer.size()};
            std::string_view input = pending;
            std::size_t skip = 0;  // bytes consumed in place of the parser (the trailer section)
            if (parser.chunked() && data_left == 0) {
                const auto boundary = inspect_chunk_boundary(pending, limits);
                using Kind = ChunkBoundary::Kind;
                if (boundary.kind == Kind::malformed) {
                    problem = boundary.problem;
                    co_return http::error::bad_chunk;
                }
                if (boundary.kind == Kind::chunk) data_left = boundary.size;
                if (boundary.kind == Kind::last_chunk) {
                    // The parser gets a last chunk without trailer fields: they never change framing.
                    input = boundary.leading_crlf ? std::string_view("\r\n0\r\n\r\n") : std::string_view("0\r\n\r\n");
                    skip = boundary.length;
                    trailer_section.assign(pending.substr(boundary.trailer_offset, boundary.trailer_length));
                }
                if (boundary.kind == Kind::need_more) input = {};
            }
            if (!input.empty()) {
                error_code ec;
                const auto room = body.size;
                const auto used = parser.put(asio::buffer(input.data(), input.size()), ec);
                from_buffer.consume(skip ? skip : used);
                const std::uint64_t taken = room - body.size;
                data_left -= std::min(data_left, taken);
                if (ec == http::error::need_buffer) co_return error_code{};
                if (ec && ec != http::error::need_more) co_return ec;
                if (used > 0 || parser.is_done()) co_return error_code{};
            }
        }
        auto [ec, n] = co_await from.async_read_some(from_buffer.prepare(beast::read_size(from_buffer, 65536)),
                                                     nothrow_awaitable);
        if (ec == asio::error::eof || (reset_ends_body && ec == asio::error::connection_reset)) {
            error_code eof_ec;
            parser.put_eof(eof_ec);  // completes a body delimited by the close; else partial_message
            co_return eof_ec;
        }
        if (ec) co_return ec;
        from_buffer.commit(n);
    }
}

}  // namespace detail
// The first `limit` bytes of a body's content as it streams past, for the content rules: a
// copy, never a delay; the string's capacity is reused from one response to the next.
struct ContentCapture {
    std::string bytes;
    std::size_t limit = 0;
    std::uint64_t seen = 0;  // content bytes that went past, captured or not
    bool active = false;

    void start(bool wanted, std::size_t limit_bytes) noexcept {
        bytes.clear();
        seen = 0;
        limit = limit_bytes;
        active = wanted && limit_bytes > 0;
    }
    void add(const char* data, std::size_t size) {
        seen += size;
        if (bytes.size() < limit) bytes.append(data, std::min(size, limit - bytes.size()));
    }
    // All of the content went past and all of it was kept.
    bool whole() const noexcept { return seen == bytes.size(); }
};

template <bool isRequest, class Allocator>
awaitable<RelayResult> relay_body(AnyStream& from, beast::flat_buffer& from_buffer,
                                  beast::http::parser<isRequest, beast::http::buffer_body, Allocator>& parser,
                                  AnyStream& to,
                                  beast::http::serializer<isRequest, beast::http::buffer_body,
                                                          beast::http::basic_fields<Allocator>>& serializer,
                                  std::span<char> scratch, Watchdog& watchdog,
                                  std::chrono::milliseconds io_timeout, const ChunkLimits& chunk_limits = {},
                                  bool stop_when_answered = false, bool reset_ends_body = false,
                                  ContentCapture* capture = nullptr) {
    namespace http = beast::http;
    RelayResult result;
    auto& body = parser.get().body();
    std::uint64_t chunk_data_left = 0;
    while (!serializer.is_done()) {
        if (!parser.is_done()) {
            body.data = scratch.data();
            body.size = scratch.size();
            watchdog.arm(io_timeout);
            // read_some, not read: a chunk that arrived is passed on at once (server-sent
            // events, long polls) instead of waiting for the buffer to fill.
            const auto ec = co_await detail::parse_some(from, from_buffer, parser, chunk_limits, chunk_data_left,
                                                        result.framing_problem, result.trailer_section,
                                                        reset_ends_body);
            if (ec) {
                result.read_error = ec;
                co_return result;
            }
            body.size = scratch.size() - body.size;
            if (body.size == 0) {
                // Only framing was parsed (a chunk header). Handing the serializer an empty
                // buffer would make it write a zero-size chunk, i.e. end the body early.
                if (!parser.is_done()) continue;
                body.data = nullptr;
                body.more = false;
            } else {
                body.data = scratch.data();
                body.more = !parser.is_done();
                result.bytes += body.size;
                if (capture) capture->add(scratch.data(), body.size);  // de-chunked by the parser
            }
        } else {
            body.data = nullptr;
            body.size = 0;
            body.more = false;
        }
        // RFC 9112 §9.5: a client sending content watches for an error response meanwhile.
        if (stop_when_answered && peer_answered(to)) {
            result.answered_early = true;
            co_return result;
        }
        watchdog.arm(io_timeout);
        auto [ec, n] = co_await http::async_write(to, serializer, nothrow_awaitable);
        if (ec == http::error::need_buffer) ec = {};
        if (ec) {
            result.write_error = ec;
            co_return result;
        }
    }
    co_return result;
}

}  // namespace cproxy::proxy

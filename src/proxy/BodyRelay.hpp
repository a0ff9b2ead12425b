#pragma once
// Streams a message body from one connection to another through a bounded buffer, as in
// Beast's http_relay example: the parser fills the buffer, the serializer drains it, and
// Beast re-frames (chunked or not) from the outgoing message's fields.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <algorithm>
#include <chrono>
#include <span>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

struct RelayResult {
    error_code read_error;   // from the side the body comes from
    error_code write_error;  // from the side the body goes to
    std::uint64_t bytes = 0; // body bytes relayed
};

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
                                  std::chrono::milliseconds io_timeout, ContentCapture* capture = nullptr) {
    namespace http = beast::http;
    RelayResult result;
    auto& body = parser.get().body();
    while (!serializer.is_done()) {
        if (!parser.is_done()) {
            body.data = scratch.data();
            body.size = scratch.size();
            watchdog.arm(io_timeout);
            // read_some, not read: a chunk that arrived is passed on at once (server-sent
            // events, long polls) instead of waiting for the buffer to fill.
            auto [ec, n] = co_await http::async_read_some(from, from_buffer, parser, nothrow_awaitable);
            if (ec == http::error::need_buffer) ec = {};
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

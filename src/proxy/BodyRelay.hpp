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
#include <chrono>
#include <span>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

struct RelayResult {
    error_code read_error;   // from the side the body comes from
    error_code write_error;  // from the side the body goes to
    std::uint64_t bytes = 0; // body bytes relayed
};

template <bool isRequest, class Allocator>
awaitable<RelayResult> relay_body(AnyStream& from, beast::flat_buffer& from_buffer,
                                  beast::http::parser<isRequest, beast::http::buffer_body, Allocator>& parser,
                                  AnyStream& to,
                                  beast::http::serializer<isRequest, beast::http::buffer_body,
                                                          beast::http::basic_fields<Allocator>>& serializer,
                                  std::span<char> scratch, Watchdog& watchdog,
                                  std::chrono::milliseconds io_timeout) {
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

#include "proxy/Tunnel.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/write.hpp>
#include <vector>

namespace cproxy::proxy {

namespace {

awaitable<bool> flush(beast::flat_buffer& buffer, AnyStream& to) {
    if (buffer.size() == 0) co_return true;
    auto [ec, n] = co_await asio::async_write(to, buffer.data(), nothrow_awaitable);
    buffer.consume(buffer.size());
    co_return !ec;
}

awaitable<void> pipe(AnyStream& from, AnyStream& to, Watchdog& watchdog, std::chrono::milliseconds idle_timeout) {
    std::vector<char> buffer(16 * 1024);
    for (;;) {
        watchdog.arm(idle_timeout);
        auto [ec, n] = co_await from.async_read_some(asio::buffer(buffer), nothrow_awaitable);
        if (ec) {
            error_code ignored;
            if (ec == asio::error::eof) {
                to.lowest().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
            } else {
                to.lowest().close(ignored);
            }
            co_return;
        }
        watchdog.arm(idle_timeout);
        auto [wec, written] = co_await asio::async_write(to, asio::buffer(buffer.data(), n), nothrow_awaitable);
        if (wec) {
            error_code ignored;
            from.lowest().close(ignored);
            co_return;
        }
    }
}

}  // namespace

awaitable<void> tunnel(AnyStream& client, beast::flat_buffer& client_buffer, AnyStream& upstream,
                       beast::flat_buffer& upstream_buffer, Watchdog& watchdog, std::chrono::milliseconds idle_timeout) {
    using namespace asio::experimental::awaitable_operators;
    if (!co_await flush(client_buffer, upstream) || !co_await flush(upstream_buffer, client)) co_return;
    co_await (pipe(client, upstream, watchdog, idle_timeout) && pipe(upstream, client, watchdog, idle_timeout));
}

}  // namespace cproxy::proxy

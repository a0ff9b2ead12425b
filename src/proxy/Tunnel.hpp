#pragma once
// After CONNECT or a protocol switch (101), the proxy no longer speaks HTTP on the
// connection: bytes go both ways unchanged until either side closes.
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

// Bytes already read past the heads (client_buffer, upstream_buffer) belong to the tunnelled
// protocol and go first. An end of stream from one side is passed on as a half-close; the
// watchdog, armed with idle_timeout before every wait, ends a tunnel nobody uses.
awaitable<void> tunnel(AnyStream& client, beast::flat_buffer& client_buffer, AnyStream& upstream,
                       beast::flat_buffer& upstream_buffer, Watchdog& watchdog, std::chrono::milliseconds idle_timeout);

}  // namespace cproxy::proxy

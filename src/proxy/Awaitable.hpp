#pragma once
// Shared coroutine vocabulary for the proxy's I/O code.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

namespace cproxy::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
using error_code = boost::system::error_code;
template <class T = void>
using awaitable = asio::awaitable<T>;

// Errors come back as values: a dropped connection is an expected event, not an exception.
inline constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

}  // namespace cproxy::proxy

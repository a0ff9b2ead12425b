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

// Completion condition for asio::async_write: everything in one system call when the socket
// takes it. asio::transfer_all caps each call at 64 KiB, which split every head + 64 KiB body
// into two writes (and two reads for the client).
struct in_as_few_writes_as_possible {
    std::size_t operator()(const error_code& ec, std::size_t) const noexcept {
        return ec ? 0 : static_cast<std::size_t>(-1);
    }
};

}  // namespace cproxy::proxy

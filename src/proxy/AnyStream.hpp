#pragma once
// A connection that is either plain TCP or TLS over TCP, behind one AsyncStream interface,
// so the session, the relay and the tunnel are written once for both. Beast's HTTP
// algorithms only need async_read_some / async_write_some / get_executor.
// The TCP layer is a bare Asio socket, not beast::tcp_stream: timeouts come from the
// session's Watchdog, and tcp_stream's per-operation timer bookkeeping and its allocating
// move constructor (a pooled connection moves twice per exchange) cost ~10% of the CPU.
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <utility>
#include <variant>

#include "proxy/ConnectionLease.hpp"

namespace cproxy::proxy {

class AnyStream {
public:
    using tcp_type = boost::asio::ip::tcp::socket;
    using tls_type = boost::beast::ssl_stream<tcp_type>;
    using executor_type = tcp_type::executor_type;

    explicit AnyStream(tcp_type stream) : stream_(std::in_place_type<tcp_type>, std::move(stream)) {}
    explicit AnyStream(tls_type stream) : stream_(std::in_place_type<tls_type>, std::move(stream)) {}

    executor_type get_executor() { return lowest().get_executor(); }
    // The TCP socket (under TLS, if any).
    tcp_type& lowest() {
        if (auto* tcp = std::get_if<tcp_type>(&stream_)) return *tcp;
        return std::get<tls_type>(stream_).next_layer();
    }
    tls_type* tls() { return std::get_if<tls_type>(&stream_); }
    // Upstream connections carry their place under --upstream-max-connections.
    void hold(ConnectionLease lease) { lease_ = std::move(lease); }
    ConnectionLease take_lease() { return std::move(lease_); }
    bool is_tls() const { return std::holds_alternative<tls_type>(stream_); }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        if (auto* tcp = std::get_if<tcp_type>(&stream_)) return tcp->async_read_some(buffers, std::forward<Token>(token));
        return std::get<tls_type>(stream_).async_read_some(buffers, std::forward<Token>(token));
    }
    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        if (auto* tcp = std::get_if<tcp_type>(&stream_)) return tcp->async_write_some(buffers, std::forward<Token>(token));
        return std::get<tls_type>(stream_).async_write_some(buffers, std::forward<Token>(token));
    }

private:
    ConnectionLease lease_;  // declared first: destroyed last, after the socket closed
    std::variant<tcp_type, tls_type> stream_;
};

}  // namespace cproxy::proxy

#pragma once
// Connected TCP pairs on 127.0.0.1 for the proxy's unit tests: our end comes back as the
// AnyStream the proxy works with, the peer end stays here and plays the client or upstream.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <string_view>

#include "proxy/AnyStream.hpp"

namespace cproxy::proxy::testing {

struct LoopbackPairs {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor{
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
    std::deque<boost::asio::ip::tcp::socket> peer_ends;  // a deque: references stay valid

    boost::asio::ip::tcp::socket connect_tcp() {
        boost::asio::ip::tcp::socket ours(io);
        ours.connect(acceptor.local_endpoint());
        peer_ends.push_back(acceptor.accept());
        return ours;
    }

    AnyStream connect() { return AnyStream(connect_tcp()); }
};

// The peer end writes `bytes` whole (blocking; loopback buffers take a test's few bytes).
inline void send_from_peer(boost::asio::ip::tcp::socket& peer, std::string_view bytes) {
    boost::asio::write(peer, boost::asio::buffer(bytes));
}

}  // namespace cproxy::proxy::testing

// The raw head reader over real loopback sockets: a head that arrives in pieces, a head
// already buffered (no read at all), a head over the limit, and a peer that closes first.
// It is awaited from a coroutine, as the session does.
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <optional>
#include <string>

#include "LoopbackPairs.hpp"
#include "proxy/HeadReader.hpp"

using namespace cproxy::proxy;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;

namespace {

struct Loopback {
    testing::LoopbackPairs pairs;
    boost::asio::io_context& io = pairs.io;
    AnyStream reader = pairs.connect();
    tcp::socket& peer = pairs.peer_ends.front();
    beast::flat_buffer buffer;

    void send(const std::string& bytes) { testing::send_from_peer(peer, bytes); }

    // Reads one head with the given limit and read size; bounded in time so a hang fails.
    std::optional<HeadReadResult> read(std::size_t limit, std::size_t read_size) {
        std::optional<HeadReadResult> result;
        boost::asio::co_spawn(
            io,
            [&]() -> awaitable<void> {
                auto [ec, length] = co_await async_read_raw_head(reader, buffer, limit, read_size, nothrow_awaitable);
                result = HeadReadResult{ec, length};
            },
            boost::asio::detached);
        io.restart();
        io.run_for(2s);
        return result;
    }

    std::string buffered() const { return {static_cast<const char*>(buffer.data().data()), buffer.size()}; }
};

const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Long: " + std::string(100, 'x') + "\r\n\r\n";

}  // namespace

TEST_CASE("head reader: a head in pieces across several small reads; the body's start stays buffered") {
    Loopback loop;
    loop.send(head.substr(0, 10));
    loop.send(head.substr(10) + "hel");
    // 16-byte reads: the head needs several, and the last one brings body bytes with it.
    const auto result = loop.read(8 * 1024, 16);
    REQUIRE(result.has_value());
    CHECK_FALSE(result->error);
    CHECK(result->head_length == head.size());
    CHECK(loop.buffered().substr(0, head.size()) == head);
}

TEST_CASE("head reader: a head already in the buffer completes without reading") {
    Loopback loop;
    const std::string next = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    auto space = loop.buffer.prepare(next.size());
    std::copy(next.begin(), next.end(), static_cast<char*>(space.data()));
    loop.buffer.commit(next.size());
    // The peer sends nothing: a read would wait out the 2 s bound and leave no result.
    const auto result = loop.read(8 * 1024, 1024);
    REQUIRE(result.has_value());
    CHECK_FALSE(result->error);
    CHECK(result->head_length == next.size());
    CHECK(head_in_buffer(loop.buffer, 8 * 1024).has_value());
}

TEST_CASE("head reader: a head over the limit ends with header_limit, not a longer wait") {
    Loopback loop;
    loop.send(head.substr(0, 120));  // no blank line yet, and over the 64-byte limit
    const auto result = loop.read(64, 1024);
    REQUIRE(result.has_value());
    CHECK(result->error == beast::http::error::header_limit);
    CHECK(result->head_length == 0);
}

TEST_CASE("head reader: a peer that closes before the head is complete ends the read with its error") {
    Loopback loop;
    loop.send(head.substr(0, 30));
    loop.peer.close();
    const auto result = loop.read(8 * 1024, 1024);
    REQUIRE(result.has_value());
    CHECK(result->error == boost::asio::error::eof);
    CHECK(result->head_length == 0);
    CHECK(loop.buffered() == head.substr(0, 30));
}

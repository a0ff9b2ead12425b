// The drained-reads patch to Boost.Asio 1.81 (patches/boost-asio-1.81-drained-reads.patch),
// over real loopback sockets: a read that does not fill its buffer ends the speculative reads
// (no failing recv before the peer's next bytes), and nothing the peer still sends is lost:
// bytes after a drained read, a full buffer, a peek, and an end of stream or a reset that
// arrive with the last bytes (one epoll edge for both). A hang fails after two seconds.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <optional>
#include <string>

#include "LoopbackPairs.hpp"

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using boost::system::error_code;

// Every recv(2) this test binary makes goes through here (the executable's definition wins
// over glibc's), so a test can count the reads that found nothing. It forwards to the kernel.
namespace {
std::atomic<int> recv_would_block{0};
}
extern "C" ssize_t recv(int fd, void* data, size_t size, int flags) {
    const long result = syscall(SYS_recvfrom, fd, data, size, flags, nullptr, nullptr);
    if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ++recv_would_block;
    return static_cast<ssize_t>(result);
}

namespace {

struct ReadResult {
    error_code ec;
    std::string bytes;
};

struct Pair {
    cproxy::proxy::testing::LoopbackPairs pairs;
    boost::asio::io_context& io = pairs.io;
    tcp::socket ours = pairs.connect_tcp();
    tcp::socket& peer = pairs.peer_ends.front();

    void send(const std::string& bytes) { cproxy::proxy::testing::send_from_peer(peer, bytes); }

    // Starts one read of up to `size` bytes; `result` is set when it completes.
    void start_read(std::size_t size, std::optional<ReadResult>& result,
                    boost::asio::socket_base::message_flags flags = 0) {
        auto buffer = std::make_shared<std::string>(size, '\0');
        ours.async_receive(boost::asio::buffer(*buffer), flags, [buffer, &result](error_code ec, std::size_t n) {
            result = ReadResult{ec, buffer->substr(0, n)};
        });
    }

    // One read, run to completion or for two seconds; nullopt means it hung.
    std::optional<ReadResult> read(std::size_t size, boost::asio::socket_base::message_flags flags = 0) {
        std::optional<ReadResult> result;
        start_read(size, result, flags);
        run_until(result);
        return result;
    }

    // A read that waits in the reactor for `bytes`: their epoll edge is used up by this read,
    // so a following read finds no stale edge to wake it and must not need one.
    std::optional<ReadResult> read_waiting_for(const std::string& bytes, std::size_t size,
                                               boost::asio::socket_base::message_flags flags = 0) {
        std::optional<ReadResult> result;
        start_read(size, result, flags);
        send(bytes);
        run_until(result);
        return result;
    }

    void run_until(const std::optional<ReadResult>& result) {
        io.restart();
        for (auto deadline = std::chrono::steady_clock::now() + 2s;
             !result && std::chrono::steady_clock::now() < deadline;)
            io.run_one_for(100ms);
    }
};

}  // namespace

TEST_CASE("drained reads: the patched Asio headers are the ones compiled") {
#ifdef CPROXY_ASIO_PATCH_EXPECTED
#ifdef CPROXY_ASIO_DRAINED_READS
    CHECK(CPROXY_ASIO_DRAINED_READS == 1);
#else
    FAIL("the build applied the Asio patch but the system's epoll_reactor.hpp was included");
#endif
#else
    MESSAGE("built without the Asio patch (another Boost version, or CPROXY_ASIO_DRAINED_READS=OFF)");
#endif
}

#ifdef CPROXY_ASIO_PATCH_EXPECTED
TEST_CASE("drained reads: request and reply turns make no read that finds nothing") {
    Pair pair;
    // Warm up: the first read after connecting finds nothing and waits, as it must.
    REQUIRE(pair.read_waiting_for("hello", 1024).value().bytes == "hello");
    const int before = recv_would_block.load();
    for (int turn = 0; turn < 20; ++turn) {
        // The read starts before the peer has sent anything (a proxy awaiting a reply).
        const auto reply = pair.read_waiting_for("turn " + std::to_string(turn), 1024);
        REQUIRE(reply.has_value());
        CHECK(reply->bytes == "turn " + std::to_string(turn));
    }
    CHECK(recv_would_block.load() - before == 0);
}
#endif

TEST_CASE("drained reads: bytes that come after a drained read still wake the next read") {
    Pair pair;
    REQUIRE(pair.read_waiting_for("first", 1024).value().bytes == "first");
    boost::asio::steady_timer later(pair.io, 50ms);
    later.async_wait([&](error_code) { pair.send("second"); });
    const auto second = pair.read(1024);
    REQUIRE(second.has_value());
    CHECK(second->bytes == "second");
}

TEST_CASE("drained reads: a read that fills its buffer does not drain the socket") {
    Pair pair;
    REQUIRE(pair.read_waiting_for("abcdefgh", 4).value().bytes == "abcd");
    // No new edge will come: the rest must be read without waiting for one.
    const auto rest = pair.read(4);
    REQUIRE(rest.has_value());
    CHECK(rest->bytes == "efgh");

    // The same with a sequence of two buffers (the patch sums their sizes).
    pair.send("12345678");
    std::array<char, 2> a{}, b{};
    std::array<boost::asio::mutable_buffer, 2> two{boost::asio::buffer(a), boost::asio::buffer(b)};
    std::optional<std::size_t> got;
    pair.ours.async_receive(two, [&](error_code, std::size_t n) { got = n; });
    pair.io.restart();
    pair.io.run_for(2s);
    REQUIRE(got == 4u);
    const auto tail = pair.read(16);
    REQUIRE(tail.has_value());
    CHECK(tail->bytes == "5678");
}

TEST_CASE("drained reads: a short peek does not drain the socket") {
    Pair pair;
    REQUIRE(pair.read_waiting_for("peek", 1024, boost::asio::socket_base::message_peek).value().bytes == "peek");
    const auto read = pair.read(1024);
    REQUIRE(read.has_value());
    CHECK(read->bytes == "peek");
}

TEST_CASE("drained reads: the last bytes and the end of stream in one edge, read waiting") {
    Pair pair;
    std::optional<ReadResult> first;
    pair.start_read(1024, first);  // queued: nothing to read yet
    pair.send("last bytes");
    pair.peer.shutdown(tcp::socket::shutdown_send);  // FIN right behind the bytes
    pair.run_until(first);
    REQUIRE(first.has_value());
    CHECK(first->bytes == "last bytes");
    const auto end = pair.read(1024);
    REQUIRE(end.has_value());  // without the EPOLLRDHUP half of the patch this read hangs
    CHECK(end->ec == boost::asio::error::eof);
}

TEST_CASE("drained reads: the last bytes and the end of stream already there before the read") {
    Pair pair;
    pair.send("last bytes");
    pair.peer.shutdown(tcp::socket::shutdown_send);
    REQUIRE(pair.read(1024).value().bytes == "last bytes");
    const auto end = pair.read(1024);
    REQUIRE(end.has_value());
    CHECK(end->ec == boost::asio::error::eof);
}

TEST_CASE("drained reads: the last bytes and a reset in one edge, read waiting") {
    Pair pair;
    std::optional<ReadResult> first;
    pair.start_read(1024, first);
    pair.send("cut");
    pair.peer.set_option(boost::asio::socket_base::linger(true, 0));  // close sends a reset
    pair.peer.close();
    pair.run_until(first);
    REQUIRE(first.has_value());
    // Linux may hand over the bytes or report the reset first; either way nothing waits.
    if (!first->ec) {
        CHECK(first->bytes == "cut");
        const auto next = pair.read(1024);
        REQUIRE(next.has_value());
        CHECK(next->ec);
    } else {
        CHECK(first->ec == boost::asio::error::connection_reset);
    }
}

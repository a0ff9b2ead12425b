// The proxy's socket read skips the speculative recv after a read that drained the socket.
// What must never happen: a byte or an end of stream that is already in the socket being
// waited for (the read would hang until a timeout). Real TCP sockets on 127.0.0.1.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "proxy/ReadyAwareRead.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

namespace {

struct Connected {
    asio::io_context io;
    tcp::socket reader{io};  // read with async_read_some_ready_aware
    tcp::socket writer{io};  // written with plain blocking calls

    Connected() {
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        writer.connect(acceptor.local_endpoint());
        acceptor.accept(reader);
    }
    void send(const std::string& bytes) { asio::write(writer, asio::buffer(bytes)); }

    // Lets the reactor take the readiness events already raised while no read is waiting, as
    // it does in the proxy, where other sockets keep it busy: those events are then spent.
    void spend_events() {
        asio::steady_timer keep_busy(io, 1h);
        keep_busy.async_wait([](error_code) {});
        io.restart();
        io.poll();
        keep_busy.cancel();
        io.run_for(10ms);
    }

    struct Result {
        error_code ec;
        std::string bytes;
    };
    // One read with a buffer of `size`; nullopt if it did not complete within `limit`.
    std::optional<Result> read(std::size_t size, std::chrono::milliseconds limit = 2000ms) {
        std::string buffer(size, '\0');
        std::optional<Result> result;
        io.restart();  // an earlier read may have run the context out of work
        cproxy::proxy::async_read_some_ready_aware(reader, asio::buffer(buffer), [&](error_code ec, std::size_t n) {
            result = Result{ec, buffer.substr(0, n)};
        });
        asio::steady_timer timer(io, limit);
        timer.async_wait([&](error_code) {});
        while (!result && timer.expiry() > std::chrono::steady_clock::now()) io.run_one_for(10ms);
        if (!result) {  // give the pending read back before the buffer goes
            error_code ignored;
            reader.cancel(ignored);
            io.restart();
            io.run_for(100ms);
            return std::nullopt;
        }
        return result;
    }
};

}  // namespace

TEST_CASE("a read that drains the socket waits for new data, and gets it when it comes") {
    Connected c;
    c.send("first");
    auto first = c.read(4096);
    REQUIRE(first);
    CHECK(first->bytes == "first");
    CHECK(!first->ec);
    // Nothing is there now; the next read is queued and completes when data arrives.
    std::thread later([&] {
        std::this_thread::sleep_for(200ms);
        c.send("second");
    });
    auto second = c.read(4096);
    later.join();
    REQUIRE(second);
    CHECK(second->bytes == "second");
}

TEST_CASE("data followed at once by the end of the stream: the end is not waited for") {
    Connected c;
    c.send("last words");
    c.writer.shutdown(tcp::socket::shutdown_send);
    std::this_thread::sleep_for(50ms);  // both the data and the FIN are in the socket
    c.spend_events();
    auto data = c.read(4096);
    REQUIRE(data);
    CHECK(data->bytes == "last words");
    auto end = c.read(4096, 1000ms);
    REQUIRE(end);  // before: the FIN's readiness event was spent, the read hung
    CHECK(end->ec == asio::error::eof);
    CHECK(end->bytes.empty());
}

TEST_CASE("more data than the buffer: every byte arrives, in order, over several reads") {
    Connected c;
    std::string sent;
    for (int i = 0; i < 1000; ++i) sent += "line " + std::to_string(i) + "\n";
    c.send(sent);
    c.writer.shutdown(tcp::socket::shutdown_send);
    std::this_thread::sleep_for(50ms);
    c.spend_events();
    std::string got;
    for (;;) {
        auto part = c.read(64);  // 63 bytes + the second read's byte
        REQUIRE(part);
        if (part->ec == asio::error::eof) break;
        REQUIRE(!part->ec);
        CHECK(part->bytes.size() <= 64);
        got += part->bytes;
    }
    CHECK(got == sent);
}

TEST_CASE("a buffer filled exactly, then the end of the stream") {
    Connected c;
    c.send(std::string(10, 'x'));
    c.writer.shutdown(tcp::socket::shutdown_send);
    std::this_thread::sleep_for(50ms);
    c.spend_events();
    auto full = c.read(10);
    REQUIRE(full);
    CHECK(full->bytes == std::string(10, 'x'));
    auto end = c.read(10, 1000ms);
    REQUIRE(end);
    CHECK(end->ec == asio::error::eof);
}

TEST_CASE("one-byte buffers read byte by byte, and the end of the stream is seen") {
    Connected c;
    c.send("abc");
    c.writer.shutdown(tcp::socket::shutdown_send);
    std::this_thread::sleep_for(50ms);
    c.spend_events();
    std::string got;
    for (int i = 0; i < 10; ++i) {
        auto part = c.read(1, 1000ms);
        REQUIRE(part);
        if (part->ec == asio::error::eof) break;
        got += part->bytes;
    }
    CHECK(got == "abc");
}

TEST_CASE("a closed socket and a cancelled read report errors instead of hanging") {
    Connected c;
    {
        auto pending = c.read(16, 100ms);  // nothing sent: times out and is cancelled
        CHECK(!pending);
    }
    error_code ignored;
    c.reader.close(ignored);
    auto closed = c.read(16, 500ms);
    REQUIRE(closed);
    CHECK(closed->ec == asio::error::bad_descriptor);
}

TEST_CASE("a reset peer is reported") {
    Connected c;
    c.writer.set_option(asio::socket_base::linger(true, 0));
    error_code ignored;
    c.writer.close(ignored);  // linger 0: RST
    std::this_thread::sleep_for(50ms);
    auto reset = c.read(16, 1000ms);
    REQUIRE(reset);
    CHECK(reset->ec == asio::error::connection_reset);
}

// The pool of idle upstream connections, with real loopback sockets: the warmest connection
// comes back first, expired ones are dropped (when given back and when taken), the pool
// stays within its bound, and a connection the upstream closed is not handed out once it
// idled long enough to be peeked at.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "LoopbackPairs.hpp"
#include "proxy/UpstreamPool.hpp"

using namespace cproxy::proxy;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using cproxy::proxy::testing::LoopbackPairs;  // the client end goes into the pool
using cproxy::proxy::testing::send_from_peer;

namespace {

int handle_of(AnyStream& stream) { return stream.lowest().native_handle(); }

const std::string key = "127.0.0.1:8080";
const UpstreamPool::TimePoint t0{std::chrono::hours(1)};

}  // namespace

TEST_CASE("pool: the most recently given back connection is taken first; other keys are apart") {
    LoopbackPairs pairs;
    UpstreamPool pool(8, 60s);
    CHECK_FALSE(pool.take(key, t0).has_value());
    auto a = pairs.connect(), b = pairs.connect(), c = pairs.connect();
    const int ha = handle_of(a), hb = handle_of(b), hc = handle_of(c);
    pool.give_back(key, std::move(a), t0);
    pool.give_back(key, std::move(b), t0 + 10ms);
    pool.give_back("other:80", std::move(c), t0 + 20ms);
    CHECK(pool.idle_count() == 3);

    auto first = pool.take(key, t0 + 30ms);
    REQUIRE(first.has_value());
    CHECK(handle_of(*first) == hb);
    auto second = pool.take(key, t0 + 30ms);
    REQUIRE(second.has_value());
    CHECK(handle_of(*second) == ha);
    CHECK_FALSE(pool.take(key, t0 + 30ms).has_value());
    auto other = pool.take("other:80", t0 + 30ms);
    REQUIRE(other.has_value());
    CHECK(handle_of(*other) == hc);
    CHECK(pool.idle_count() == 0);
}

TEST_CASE("pool: expired connections are dropped from the cold end on give-back and skipped on take") {
    LoopbackPairs pairs;
    UpstreamPool pool(8, 5s);
    pool.give_back(key, pairs.connect(), t0);
    pool.give_back(key, pairs.connect(), t0 + 1s);
    auto warm = pairs.connect();
    const int warm_handle = handle_of(warm);
    // At t0 + 5.5 s the first has idled past the 5 s timeout, the second not yet.
    pool.give_back(key, std::move(warm), t0 + 5500ms);
    CHECK(pool.idle_count() == 2);

    auto taken = pool.take(key, t0 + 5500ms);
    REQUIRE(taken.has_value());
    CHECK(handle_of(*taken) == warm_handle);
    // The one left (given back at t0 + 1 s) has expired by t0 + 7 s: nothing to take.
    CHECK_FALSE(pool.take(key, t0 + 7s).has_value());
    CHECK(pool.idle_count() == 0);
}

TEST_CASE("pool: a full pool closes what is given back instead of keeping it") {
    LoopbackPairs pairs;
    UpstreamPool pool(2, 60s);
    pool.give_back(key, pairs.connect(), t0);
    pool.give_back(key, pairs.connect(), t0);
    auto third = pairs.connect();
    const int third_handle = handle_of(third);
    pool.give_back(key, std::move(third), t0);
    CHECK(pool.idle_count() == 2);
    auto taken = pool.take(key, t0);
    REQUIRE(taken.has_value());
    CHECK(handle_of(*taken) != third_handle);
}

TEST_CASE("pool: a connection the upstream closed is not handed out after it idled past the peek threshold") {
    LoopbackPairs pairs;
    UpstreamPool pool(8, 60s);
    auto live = pairs.connect();
    const int live_handle = handle_of(live);
    pool.give_back(key, std::move(live), t0);
    pool.give_back(key, pairs.connect(), t0 + 1ms);  // warmer, but its upstream goes away
    pairs.peer_ends.back().close();
    // Idle for a second: the pool peeks, finds the end of stream and moves on to the live one.
    auto taken = pool.take(key, t0 + 1s);
    REQUIRE(taken.has_value());
    CHECK(handle_of(*taken) == live_handle);
    CHECK(pool.idle_count() == 0);
}

TEST_CASE("pool: after a response without content, stray bytes close the connection however fresh it is") {
    LoopbackPairs pairs;
    UpstreamPool pool(8, 60s);
    pool.give_back(key, pairs.connect(), t0, true);  // a HEAD response's connection
    send_from_peer(pairs.peer_ends.back(), "stray");  // the content the head said nothing of
    pool.give_back(key, pairs.connect(), t0, true);   // another, clean
    std::this_thread::sleep_for(20ms);
    auto clean = pool.take(key, t0 + 1ms);  // the warm end: the clean one
    CHECK(clean.has_value());
    CHECK_FALSE(pool.take(key, t0 + 1ms).has_value());  // fresh, yet peeked at and dropped
    CHECK(pool.idle_count() == 0);

    SUBCASE("a connection given back after an ordinary response is not peeked at while fresh") {
        pool.give_back(key, pairs.connect(), t0);
        send_from_peer(pairs.peer_ends.back(), "x");
        std::this_thread::sleep_for(20ms);
        CHECK(pool.take(key, t0 + 1ms).has_value());  // (the retry of idempotent requests covers it)
    }
}

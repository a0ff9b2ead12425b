// Open connections per upstream against --upstream-max-connections: a place is taken per new
// connection and given back when its lease goes (the connection closed), whichever thread
// holds it then.
#include <doctest/doctest.h>

#include <optional>
#include <thread>
#include <vector>

#include "proxy/UpstreamHandover.hpp"

using namespace cproxy::proxy;

TEST_CASE("limits: no limit hands out uncounted leases") {
    UpstreamLimits limits;
    std::vector<ConnectionLease> leases;
    for (int i = 0; i < 100; ++i) {
        auto lease = limits.try_acquire("a:80");
        REQUIRE(lease.has_value());
        leases.push_back(std::move(*lease));
    }
    CHECK(limits.open("a:80") == 0);
}

TEST_CASE("limits: at most N per upstream; a lease that goes frees its place") {
    UpstreamLimits limits;
    limits.set_limit(2);
    auto first = limits.try_acquire("a:80");
    auto second = limits.try_acquire("a:80");
    REQUIRE(first);
    REQUIRE(second);
    CHECK_FALSE(limits.try_acquire("a:80"));
    CHECK(limits.try_acquire("b:80"));  // another upstream counts on its own (and frees at once)
    CHECK(limits.open("a:80") == 2);
    ConnectionLease moved = std::move(*first);
    first.reset();  // the moved-from lease frees nothing
    CHECK(limits.open("a:80") == 2);
    { ConnectionLease gone = std::move(moved); }
    CHECK(limits.open("a:80") == 1);
    CHECK(limits.try_acquire("a:80"));
}

TEST_CASE("limits: threads racing for the places never get more than N") {
    UpstreamLimits limits;
    limits.set_limit(3);
    std::vector<std::optional<ConnectionLease>> held(8);
    std::vector<std::jthread> threads;
    for (auto& slot : held) threads.emplace_back([&limits, &slot] { slot = limits.try_acquire("a:80"); });
    threads.clear();
    int granted = 0;
    for (auto& slot : held) granted += slot.has_value();
    CHECK(granted == 3);
    CHECK(limits.open("a:80") == 3);
}

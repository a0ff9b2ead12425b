// Deadlines are armed from a coarse clock (the time of the last sweep). A deadline must
// never fire before its timeout, however old the coarse time is, and must fire soon after.
#include <doctest/doctest.h>

#include "proxy/Watchdog.hpp"

using namespace cproxy::proxy;
using namespace std::chrono_literals;

TEST_CASE("a deadline armed from a tick-old coarse time does not fire before its timeout") {
    CoarseClock clock;
    const auto coarse = clock.now();
    Watchdog watchdog(clock);
    // The worst case: armed a whole tick after the coarse time was read.
    const auto armed_at = coarse + CoarseClock::tick;
    watchdog.arm(1000ms);
    CHECK_FALSE(watchdog.expire_if_due(armed_at + 999ms));
    CHECK_FALSE(watchdog.expired());
    CHECK(watchdog.expire_if_due(armed_at + 1000ms));
    CHECK(watchdog.expired());
    // Once fired, it stays quiet until armed again.
    CHECK_FALSE(watchdog.expire_if_due(armed_at + 5000ms));
}

TEST_CASE("a deadline fires at most one tick past its timeout when armed on a fresh coarse time") {
    CoarseClock clock;
    clock.refresh();
    Watchdog watchdog(clock);
    watchdog.arm(200ms);
    CHECK(watchdog.expire_if_due(clock.now() + 200ms + CoarseClock::tick));
}

TEST_CASE("re-arming moves the deadline and clears the expired mark; disarm never fires") {
    CoarseClock clock;
    Watchdog watchdog(clock);
    watchdog.arm(10ms);
    CHECK(watchdog.expire_if_due(clock.now() + 10s));
    watchdog.arm(30s);
    CHECK_FALSE(watchdog.expired());
    CHECK_FALSE(watchdog.expire_if_due(clock.now() + 10s));
    watchdog.disarm();
    CHECK_FALSE(watchdog.expire_if_due(clock.now() + std::chrono::hours(24 * 365)));
}

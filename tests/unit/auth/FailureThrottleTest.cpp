#include "conformance_proxy/auth/FailureThrottle.hpp"

#include <doctest/doctest.h>

using namespace cproxy::auth;
using namespace std::chrono_literals;

namespace {
const auto t0 = FailureThrottle::Clock::time_point{} + 1000h;
}

TEST_CASE("FailureThrottle: engages on the Nth failure within the window and lifts by itself") {
    FailureThrottle throttle;  // defaults: 10 failures in 60 s -> 60 s
    for (int i = 0; i < 9; ++i) CHECK_FALSE(throttle.record_failure("10.0.0.1", t0 + 1s * i));
    CHECK_FALSE(throttle.retry_after("10.0.0.1", t0 + 9s));
    CHECK(throttle.record_failure("10.0.0.1", t0 + 9s));
    CHECK(throttle.retry_after("10.0.0.1", t0 + 9s) == 60s);
    CHECK(throttle.retry_after("10.0.0.1", t0 + 9s + 30500ms) == 30s);  // 29.5 s rounds up
    CHECK(throttle.retry_after("10.0.0.1", t0 + 68s + 999ms) == 1s);
    CHECK(throttle.retry_after("10.0.0.2", t0 + 10s) == std::nullopt);  // per address
    CHECK_FALSE(throttle.retry_after("10.0.0.1", t0 + 69s));
    // Lifted with a clean slate: one more failure does not re-engage it.
    CHECK_FALSE(throttle.record_failure("10.0.0.1", t0 + 70s));
    CHECK_FALSE(throttle.retry_after("10.0.0.1", t0 + 70s));
}

TEST_CASE("FailureThrottle: failures older than the window do not count") {
    FailureThrottle throttle({.max_failures = 3, .window = 10s, .period = 30s});
    CHECK_FALSE(throttle.record_failure("a", t0));
    CHECK_FALSE(throttle.record_failure("a", t0 + 5s));
    CHECK_FALSE(throttle.record_failure("a", t0 + 11s));  // the first has left the window
    CHECK(throttle.record_failure("a", t0 + 12s));
    CHECK(throttle.retry_after("a", t0 + 12s) == 30s);
}

TEST_CASE("FailureThrottle: max_failures 0 disables it") {
    FailureThrottle throttle({.max_failures = 0});
    for (int i = 0; i < 100; ++i) CHECK_FALSE(throttle.record_failure("a", t0));
    CHECK_FALSE(throttle.retry_after("a", t0));
}

TEST_CASE("FailureThrottle: tracked addresses stay bounded, throttled ones are kept") {
    FailureThrottle throttle({.max_failures = 2, .window = 10s, .period = 60s, .max_addresses = 3});
    throttle.record_failure("bad", t0);
    CHECK(throttle.record_failure("bad", t0));
    for (int i = 0; i < 50; ++i) throttle.record_failure("flood-" + std::to_string(i), t0 + 1s);
    CHECK(throttle.tracked_addresses() <= 3);
    CHECK(throttle.retry_after("bad", t0 + 2s).has_value());
    // Idle entries are swept first once their window has passed.
    throttle.record_failure("late", t0 + 30s);
    CHECK(throttle.tracked_addresses() == 2);  // "bad" (still throttled) and "late"
}

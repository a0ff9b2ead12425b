#pragma once
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cproxy::auth {

struct ThrottleOptions {
    unsigned max_failures = 10;             // failures within `window` that engage the throttle
    std::chrono::seconds window{60};
    std::chrono::seconds period{60};        // how long an address stays throttled
    std::size_t max_addresses = 100'000;    // bound on tracked addresses (memory under a flood)
};

// Counts authentication failures per client address (sliding window) and throttles an
// address that reaches max_failures, for `period`; it lifts by itself. Time is passed in
// so tests advance it without sleeping. Thread-safe.
class FailureThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit FailureThrottle(ThrottleOptions options = {});

    // Seconds until the address may try again (at least 1), or nullopt if not throttled.
    std::optional<std::chrono::seconds> retry_after(std::string_view address, Clock::time_point now);
    // Records one failure; returns true when this failure engaged the throttle.
    bool record_failure(std::string_view address, Clock::time_point now);
    std::size_t tracked_addresses() const;

private:
    struct State {
        std::deque<Clock::time_point> failures;  // at most max_failures, oldest first
        std::optional<Clock::time_point> throttled_until;
    };
    bool expired(const State& state, Clock::time_point now) const;
    void make_room(Clock::time_point now);

    ThrottleOptions options_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, State> states_;
};

}  // namespace cproxy::auth

#pragma once
// One deadline per session instead of a timer per socket operation. Beast's
// tcp_stream::expires_after arms an Asio timer for every read and write, which cost five
// timerfd_settime calls per exchange; here arming is a clock read and a store, and a
// per-thread sweep (every 250 ms) cancels the operations of sessions whose deadline has
// passed. Timeouts fire up to one sweep late, which no HTTP timeout minds.
#include <chrono>

namespace cproxy::proxy {

class Watchdog {
public:
    using Clock = std::chrono::steady_clock;

    void arm(std::chrono::milliseconds timeout) noexcept {
        deadline_ = Clock::now() + timeout;
        expired_ = false;
    }
    void disarm() noexcept { deadline_ = Clock::time_point::max(); }
    // The sweep: true once when the deadline has passed (the owner then cancels its I/O).
    bool expire_if_due(Clock::time_point now) noexcept {
        if (now < deadline_) return false;
        deadline_ = Clock::time_point::max();
        expired_ = true;
        return true;
    }
    // Whether the operation that just failed was cancelled by the deadline.
    bool expired() const noexcept { return expired_; }

private:
    Clock::time_point deadline_ = Clock::time_point::max();
    bool expired_ = false;
};

}  // namespace cproxy::proxy

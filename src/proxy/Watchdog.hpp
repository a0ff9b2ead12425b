#pragma once
// One deadline per session instead of a timer per socket operation. Beast's
// tcp_stream::expires_after arms an Asio timer for every read and write, which cost five
// timerfd_settime calls per exchange; here arming is a load and a store, and a per-thread
// sweep (every tick, 250 ms) cancels the operations of sessions whose deadline has passed.
#include <chrono>

namespace cproxy::proxy {

// The time as of the last sweep, shared by one thread's sessions. Arming reads it instead
// of the clock: a small exchange arms five deadlines, and on a VM five clock reads were ~1%
// of the proxy's CPU per exchange.
class CoarseClock {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds tick{250};

    Clock::time_point now() const noexcept { return now_; }
    void refresh() noexcept { now_ = Clock::now(); }

private:
    Clock::time_point now_ = Clock::now();
};

class Watchdog {
public:
    using Clock = CoarseClock::Clock;

    explicit Watchdog(const CoarseClock& clock) noexcept : clock_(clock) {}

    // The coarse time may be up to a tick old, so a tick is added: a deadline never fires
    // early, and at most two ticks late, which no HTTP timeout minds.
    void arm(std::chrono::milliseconds timeout) noexcept {
        deadline_ = clock_.now() + CoarseClock::tick + timeout;
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
    const CoarseClock& clock_;
    Clock::time_point deadline_ = Clock::time_point::max();
    bool expired_ = false;
};

}  // namespace cproxy::proxy

#include "conformance_proxy/auth/FailureThrottle.hpp"

#include <algorithm>

namespace cproxy::auth {

FailureThrottle::FailureThrottle(ThrottleOptions options) : options_(options) {}

bool FailureThrottle::expired(const State& state, Clock::time_point now) const {
    const bool throttled = state.throttled_until && *state.throttled_until > now;
    const bool recent = !state.failures.empty() && state.failures.back() + options_.window > now;
    return !throttled && !recent;
}

std::optional<std::chrono::seconds> FailureThrottle::retry_after(std::string_view address,
                                                                 Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = states_.find(std::string(address));
    if (it == states_.end() || !it->second.throttled_until) return std::nullopt;
    const auto until = *it->second.throttled_until;
    if (until <= now) {
        it->second.throttled_until.reset();  // lifted by itself; failures start afresh
        return std::nullopt;
    }
    // Rounded up, so a client that waits Retry-After seconds is never still throttled.
    const auto left = std::chrono::ceil<std::chrono::seconds>(until - now);
    return std::max(left, std::chrono::seconds{1});
}

bool FailureThrottle::record_failure(std::string_view address, Clock::time_point now) {
    if (options_.max_failures == 0) return false;  // throttling disabled
    std::lock_guard lock(mutex_);
    auto it = states_.find(std::string(address));
    if (it == states_.end()) {
        if (states_.size() >= options_.max_addresses) make_room(now);
        it = states_.emplace(std::string(address), State{}).first;
    }
    State& state = it->second;
    if (state.throttled_until && *state.throttled_until > now) return false;  // already throttled
    auto& failures = state.failures;
    while (!failures.empty() && failures.front() + options_.window <= now) failures.pop_front();
    failures.push_back(now);
    if (failures.size() < options_.max_failures) return false;
    failures.clear();
    state.throttled_until = now + options_.period;
    return true;
}

// Under a flood of addresses: drop the idle ones; if that is not enough, drop one that is not
// throttled (losing its count is better than unbounded memory).
void FailureThrottle::make_room(Clock::time_point now) {
    std::erase_if(states_, [&](const auto& entry) { return expired(entry.second, now); });
    if (states_.size() < options_.max_addresses) return;
    const auto victim = std::find_if(states_.begin(), states_.end(), [&](const auto& entry) {
        return !(entry.second.throttled_until && *entry.second.throttled_until > now);
    });
    states_.erase(victim != states_.end() ? victim : states_.begin());
}

std::size_t FailureThrottle::tracked_addresses() const {
    std::lock_guard lock(mutex_);
    return states_.size();
}

}  // namespace cproxy::auth

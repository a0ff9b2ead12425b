#pragma once
// Idle keep-alive connections to upstreams, one pool per io_context thread (no locks on
// the hot path). Bounded in size; idle connections expire; a connection the upstream has
// already closed is detected with a non-blocking peek before reuse. Other threads read
// idle_count() to find idle connections to take over (UpstreamHandover).
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"

namespace cproxy::proxy {

class UpstreamPool {
public:
    UpstreamPool(std::size_t max_idle, std::chrono::milliseconds idle_timeout)
        : max_idle_(max_idle), idle_timeout_(idle_timeout) {}

    using TimePoint = std::chrono::steady_clock::time_point;

    // An idle connection to key ("host:port"), or nullopt. `now` may be coarse (a tick old).
    std::optional<AnyStream> take(const std::string& key, TimePoint now);
    // Returns a connection that finished an exchange cleanly and may be reused.
    // `peek_before_reuse`: its response had no content (HEAD, 204, 304), so stray content the
    // upstream sent anyway may still arrive; it is peeked at whenever it is taken, however
    // fresh, and never mistaken for the start of the next response.
    void give_back(const std::string& key, AnyStream stream, TimePoint now, bool peek_before_reuse = false);
    void clear() { idle_.clear(); set_idle_count(0); }

    // Written by the owning thread only; other threads read it as a hint.
    std::size_t idle_count() const noexcept { return idle_count_.load(std::memory_order_relaxed); }
    std::uint64_t connections_opened() const noexcept { return opened_; }
    void note_opened() noexcept { ++opened_; }

private:
    struct Idle {
        AnyStream stream;
        TimePoint since;
        bool peek_before_reuse = false;
    };
    // A plain store, not an atomic add: only the owner writes.
    void set_idle_count(std::size_t n) noexcept { idle_count_.store(n, std::memory_order_relaxed); }
    std::size_t max_idle_;
    std::chrono::milliseconds idle_timeout_;
    // Oldest first. A vector, not a deque: taking from and giving back to the warm end keeps
    // its capacity, where a deque frees and allocates a block whenever the end crosses one.
    std::unordered_map<std::string, std::vector<Idle>> idle_;
    std::atomic<std::size_t> idle_count_{0};
    std::uint64_t opened_ = 0;
};

// Connects to one of the resolved addresses (the caller bounds the time).
awaitable<error_code> connect_upstream(asio::ip::tcp::socket& socket,
                                       const asio::ip::tcp::resolver::results_type& endpoints);

}  // namespace cproxy::proxy

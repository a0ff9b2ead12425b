#pragma once
// Upstream connections across the I/O threads. Each thread keeps its own pool of idle
// connections (no locks on the hot path), but a request must never wait on a connection
// another thread keeps idle: a dev server that serves one connection at a time (Python's
// http.server) would then never accept the new one, and the request hangs. So a thread whose
// pool is empty takes over an idle connection from another thread's pool (the socket moves
// to this thread's io_context), and with --upstream-max-connections a request waits for one
// of its upstream's connections to come free rather than opening another.
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "conformance_proxy/proxy/ProxyOptions.hpp"
#include "proxy/ConnectionLease.hpp"
#include "proxy/ProblemResponse.hpp"

namespace cproxy::proxy {

struct ProxyServices;
struct ThreadContext;

// Open connections per upstream (host:port), against --upstream-max-connections.
class UpstreamLimits {
public:
    // Set once at start-up, before any connection opens; 0 = no limit.
    void set_limit(std::size_t max_per_upstream) noexcept { max_ = max_per_upstream; }
    // A place for one more connection to key (an uncounted one when there is no limit), or
    // nothing while key has max_per_upstream open.
    std::optional<ConnectionLease> try_acquire(const std::string& key);
    std::size_t open(const std::string& key);  // for tests and logs
    bool limited() const noexcept { return max_ > 0; }

private:
    std::atomic<std::size_t>& counter(const std::string& key);
    std::size_t max_ = 0;
    std::mutex mutex_;  // guards the map only; its nodes (the counters) never move
    std::unordered_map<std::string, std::unique_ptr<std::atomic<std::size_t>>> open_;
};

// Every I/O thread, for taking over idle connections. Filled once before the threads run.
struct UpstreamThreads {
    std::vector<ThreadContext*> all;
};

// Called when `here`'s pool has no idle connection to key. Puts an idle connection from
// another thread's pool into `idle`, or a place to open a new one into `lease`, waiting (up
// to timeouts.upstream_connect) while key is at its limit. False when that wait ran out.
awaitable<bool> find_upstream_connection(ProxyServices& services, ThreadContext& here, const std::string& key,
                                         std::optional<AnyStream>& idle, ConnectionLease& lease);

// The 503 when that wait ran out.
Problem upstream_busy_problem(const std::string& key, const ProxyOptions& options);

}  // namespace cproxy::proxy

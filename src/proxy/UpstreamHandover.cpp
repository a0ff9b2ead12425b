#include "proxy/UpstreamHandover.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/ProxyRuntime.hpp"

namespace cproxy::proxy {

namespace {

using asio::ip::tcp;

// An idle connection leaving its thread: the bare descriptor (Asio sockets belong to one
// io_context) with what is needed to adopt it elsewhere.
struct Departing {
    int fd = -1;
    tcp protocol = tcp::v4();
    ConnectionLease lease;
};

// Runs on the thread that owns the pool. A plain function, not a capturing lambda (g++ 12
// destroys a lambda coroutine's captures twice when co_spawn moves it).
awaitable<Departing> release_idle(ThreadContext* owner, std::string key) {
    Departing out;
    auto stream = owner->pool.take(key, owner->clock.now());
    if (!stream) co_return out;
    // A TLS session cannot change threads; closing it here (the stream goes out of scope)
    // still frees the upstream's place for the new connection.
    if (stream->is_tls()) co_return out;
    error_code ec;
    auto& socket = stream->lowest();
    out.protocol = socket.local_endpoint(ec).protocol();
    if (ec) co_return out;
    out.lease = stream->take_lease();
    out.fd = socket.release(ec);
    if (ec) out.fd = -1;
    co_return out;
}

awaitable<std::optional<AnyStream>> take_over_idle(ProxyServices& services, ThreadContext& here,
                                                   const std::string& key) {
    for (ThreadContext* other : services.upstream_threads.all) {
        if (other == &here || other->pool.idle_count() == 0) continue;
        auto departing = co_await asio::co_spawn(other->io, release_idle(other, key), asio::use_awaitable);
        if (departing.fd < 0) continue;
        tcp::socket socket(here.io);
        error_code ec;
        socket.assign(departing.protocol, departing.fd, ec);
        if (ec) {
            ::close(departing.fd);
            continue;
        }
        AnyStream stream(std::move(socket));
        stream.hold(std::move(departing.lease));
        co_return std::optional<AnyStream>(std::move(stream));
    }
    co_return std::nullopt;
}

}  // namespace

std::atomic<std::size_t>& UpstreamLimits::counter(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto& slot = open_[key];
    if (!slot) slot = std::make_unique<std::atomic<std::size_t>>(0);
    return *slot;
}

std::optional<ConnectionLease> UpstreamLimits::try_acquire(const std::string& key) {
    if (!limited()) return ConnectionLease{};
    auto& open = counter(key);
    auto n = open.load(std::memory_order_acquire);
    while (n < max_)
        if (open.compare_exchange_weak(n, n + 1, std::memory_order_acq_rel)) return ConnectionLease(&open);
    return std::nullopt;
}

std::size_t UpstreamLimits::open(const std::string& key) { return counter(key).load(std::memory_order_acquire); }

awaitable<bool> find_upstream_connection(ProxyServices& services, ThreadContext& here, const std::string& key,
                                         std::optional<AnyStream>& idle, ConnectionLease& lease) {
    const auto deadline = std::chrono::steady_clock::now() + services.options.upstream_connect_timeout;
    for (;;) {
        idle = co_await take_over_idle(services, here, key);
        if (idle) co_return true;
        if (auto place = services.upstream_limits.try_acquire(key)) {
            lease = std::move(*place);
            co_return true;
        }
        // At the limit: one of this thread's own may have come back meanwhile.
        idle = here.pool.take(key, here.clock.now());
        if (idle) co_return true;
        if (std::chrono::steady_clock::now() >= deadline || services.stopping) co_return false;
        // Connections come free when exchanges end anywhere; polling keeps that path free of
        // cross-thread wake-ups (it runs only while an upstream is at its limit).
        asio::steady_timer timer(here.io, std::chrono::milliseconds(5));
        co_await timer.async_wait(nothrow_awaitable);
    }
}

Problem upstream_busy_problem(const std::string& key, const ProxyOptions& options) {
    Problem problem{503, "Upstream busy",
                    "The upstream " + key + " has its " + std::to_string(options.upstream_max_connections) +
                        " connections (--upstream-max-connections) busy, and none came free within " +
                        std::to_string(options.upstream_connect_timeout.count()) + " ms."};
    problem.extra_fields.emplace_back("Retry-After", "1");
    return problem;
}

}  // namespace cproxy::proxy

#include "conformance_proxy/proxy/ProxyServer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <stdexcept>
#include <thread>
#include <vector>

#include "proxy/Logging.hpp"
#include "proxy/ProxyRuntime.hpp"
#include "proxy/Session.hpp"
#include "proxy/TlsSetup.hpp"

namespace cproxy::proxy {

using asio::ip::tcp;

struct ProxyServer::Impl {
    ProxyServices services;
    std::vector<std::unique_ptr<ThreadContext>> threads;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;  // acceptors[i] belongs to threads[i]
    asio::io_context control{1};                            // signals and shutdown coordination
    asio::signal_set signals{control, SIGINT, SIGTERM};
    asio::signal_set reload_signal{control, SIGHUP};
    std::function<void()> on_reload;
    asio::thread_pool blocking_pool{2};  // slow work off the I/O threads (password hashing)

    void wait_for_reload() {
        reload_signal.async_wait([this](error_code ec, int) {
            if (ec) return;
            if (on_reload) on_reload();
            wait_for_reload();
        });
    }
    std::uint16_t port = 0;

    awaitable<void> accept_loop(std::size_t here) {
        auto& acceptor = *acceptors[here];
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(nothrow_awaitable);
            if (ec) {
                if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
                // EMFILE and friends: back off briefly instead of spinning.
                log_warn("accept failed: " + ec.message());
                asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
                co_await pause.async_wait(nothrow_awaitable);
                continue;
            }
            const auto target = least_busy_thread(here);
            auto& thread = *threads[target];
            thread.connections.fetch_add(1, std::memory_order_relaxed);
            if (target == here) {
                start_session(target, std::move(socket));
                continue;
            }
            // The socket moves to the other thread's io_context here (registering it with that
            // reactor is thread-safe); the session is made on that thread, which owns its lists.
            tcp::socket moved(thread.io);
            const auto protocol = socket.local_endpoint(ec).protocol();
            if (!ec) moved.assign(protocol, socket.release(ec), ec);
            if (ec) {
                thread.connections.fetch_sub(1, std::memory_order_relaxed);
                log_warn("could not hand a connection to another I/O thread: " + ec.message());
                continue;
            }
            asio::post(thread.io, [this, target, moved = std::move(moved)]() mutable {
                start_session(target, std::move(moved));
            });
        }
    }

    // SO_REUSEPORT spreads connections by a hash of their addresses, blind to load: 50
    // keep-alive clients landed 33/18 on two threads, and the busier thread's clients waited
    // (small-response p99 1.5x nginx's and 1.7x HAProxy's in bench/load.sh with WORKERS=2;
    // README, Performance). A new connection goes to the thread with the fewest open ones; on
    // a tie it stays where it was accepted.
    std::size_t least_busy_thread(std::size_t here) const {
        std::size_t best = here;
        auto fewest = threads[here]->connections.load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < threads.size(); ++i) {
            const auto count = threads[i]->connections.load(std::memory_order_relaxed);
            if (count < fewest) {
                best = i;
                fewest = count;
            }
        }
        return best;
    }

    void start_session(std::size_t index, tcp::socket socket) {
        auto& thread = *threads[index];
        auto session = std::make_shared<Session>(std::move(socket), thread, services);
        asio::co_spawn(thread.io, session->run(), asio::detached);
    }

    // Timeouts: each session arms a deadline; this sweep cancels the I/O of overdue ones.
    awaitable<void> sweep_deadlines(ThreadContext& thread) {
        asio::steady_timer timer(thread.io);
        for (;;) {
            timer.expires_after(CoarseClock::tick);  // also refreshes the deadlines' clock, below
            auto [ec] = co_await timer.async_wait(nothrow_awaitable);
            if (ec) co_return;
            thread.clock.refresh();
            const auto now = thread.clock.now();
            // Copy: cancelling may complete operations that end sessions, but only after
            // this handler returns (handlers never run inline here); the copy is for safety.
            std::vector<Session*> sessions(thread.sessions.begin(), thread.sessions.end());
            for (auto* session : sessions) session->check_deadline(now);
        }
    }

    void begin_shutdown() {
        if (services.stopping.exchange(true)) return;
        log_info("shutting down: no new connections, draining in-flight exchanges");
        for (std::size_t i = 0; i < threads.size(); ++i) {
            asio::post(threads[i]->io, [this, i] {
                error_code ignored;
                acceptors[i]->close(ignored);
                // Copy: closing a session may end it and unregister it from the list.
                std::vector<Session*> sessions(threads[i]->sessions.begin(), threads[i]->sessions.end());
                for (auto* session : sessions) session->close_if_idle();
            });
        }
    }
};

ProxyServer::ProxyServer(ProxyOptions options, ProxyDependencies dependencies)
    : impl_(std::make_unique<Impl>()) {
    // splice(2) into a socket the client closed raises SIGPIPE (it has no MSG_NOSIGNAL);
    // the error comes back as EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    auto& services = impl_->services;
    services.options = std::move(options);
    services.checker = dependencies.checker;
    services.sink = dependencies.sink;
    services.authenticator = dependencies.authenticator;
    services.history = dependencies.history;
    services.blocking_executor = impl_->blocking_pool.get_executor();
    impl_->on_reload = std::move(dependencies.on_reload);
    const auto& opts = services.options;

    if (opts.upstream) {
        tcp::resolver resolver(impl_->control);
        error_code ec;
        services.upstream_endpoints =
            resolver.resolve(opts.upstream->host, std::to_string(opts.upstream->port), ec);
        if (ec)
            throw std::runtime_error("cannot resolve upstream host '" + opts.upstream->host + "': " + ec.message());
        auto& upstream = services.upstream_destination.emplace();
        upstream.host = opts.upstream->host;
        upstream.port = std::to_string(opts.upstream->port);
        upstream.key = opts.upstream->authority();
        upstream.tls = opts.upstream->scheme == "https";
        services.upstream_origin = opts.upstream->scheme + "://" + upstream.key;
    }

    services.upstream_tls.emplace(make_upstream_tls_context(opts));
    if (!opts.tls_cert_file.empty() || !opts.tls_key_file.empty()) {
        if (opts.tls_cert_file.empty() || opts.tls_key_file.empty())
            throw std::runtime_error("--tls-cert and --tls-key go together: give both or neither");
        services.listener_tls.emplace(make_listener_tls_context(opts.tls_cert_file, opts.tls_key_file));
    }

    const unsigned count = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
    error_code ec;
    const auto address = asio::ip::make_address(opts.listen_host, ec);
    if (ec) throw std::runtime_error("--listen: '" + opts.listen_host + "' is not an IP address");
    tcp::endpoint endpoint{address, opts.listen_port};
    for (unsigned i = 0; i < count; ++i) {
        auto thread = std::make_unique<ThreadContext>(i, opts);
        auto acceptor = std::make_unique<tcp::acceptor>(thread->io);
        acceptor->open(endpoint.protocol());
        acceptor->set_option(asio::socket_base::reuse_address(true));
        // One listener per thread on the same port: accepting scales with the threads; the
        // acceptor then evens out the load (least_busy_thread).
        int one = 1;
        ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        acceptor->bind(endpoint, ec);
        if (ec)
            throw std::runtime_error("cannot listen on " + opts.listen_host + ":" + std::to_string(endpoint.port()) +
                                     ": " + ec.message() + " (is another process using it? choose --listen HOST:PORT)");
        acceptor->listen(asio::socket_base::max_listen_connections);
        endpoint.port(acceptor->local_endpoint().port());  // port 0: all threads share the chosen one
        impl_->threads.push_back(std::move(thread));
        impl_->acceptors.push_back(std::move(acceptor));
    }
    impl_->port = endpoint.port();
    for (auto& thread : impl_->threads) impl_->services.upstream_threads.all.push_back(thread.get());
    impl_->services.upstream_limits.set_limit(opts.upstream_max_connections);
}

ProxyServer::~ProxyServer() = default;

std::uint16_t ProxyServer::port() const noexcept { return impl_->port; }
std::uint64_t ProxyServer::exchanges() const noexcept { return impl_->services.exchanges; }

void ProxyServer::request_stop() {
    asio::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

std::size_t ProxyServer::run() {
    auto& impl = *impl_;
    for (std::size_t i = 0; i < impl.threads.size(); ++i)
    {
        asio::co_spawn(impl.threads[i]->io, impl.accept_loop(i), asio::detached);
        asio::co_spawn(impl.threads[i]->io, impl.sweep_deadlines(*impl.threads[i]), asio::detached);
    }

    std::vector<std::jthread> workers;
    for (auto& thread : impl.threads) workers.emplace_back([&io = thread->io] { io.run(); });

    impl.signals.async_wait([&impl](error_code ec, int) {
        if (!ec) impl.begin_shutdown();
    });
    impl.wait_for_reload();
    // The control context runs until shutdown begins, then waits for the drain.
    while (!impl.services.stopping) impl.control.run_one_for(std::chrono::milliseconds(200));
    impl.signals.cancel();
    impl.reload_signal.cancel();

    const auto deadline = std::chrono::steady_clock::now() + impl.services.options.drain_timeout;
    while (impl.services.active_sessions > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::size_t cut_off = impl.services.active_sessions;
    if (cut_off) log_warn(std::to_string(cut_off) + " connection(s) still busy after the drain bound; closing them");
    for (auto& thread : impl.threads) thread->io.stop();
    workers.clear();  // joins
    return cut_off;
}

}  // namespace cproxy::proxy

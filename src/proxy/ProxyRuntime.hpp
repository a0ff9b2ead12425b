#pragma once
// State shared by the sessions: read-only services for all threads, and one ThreadContext
// per io_context thread (its pool and session list are touched by that thread only).
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <boost/beast/core/flat_buffer.hpp>
#include <list>
#include <vector>
#include <memory>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/proxy/ExchangeSink.hpp"
#include "conformance_proxy/proxy/ProxyOptions.hpp"
#include "proxy/Destination.hpp"
#include "proxy/ParsedRequestHeads.hpp"
#include "proxy/SpliceRelay.hpp"
#include "proxy/UpstreamHandover.hpp"
#include "proxy/UpstreamPool.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::auth {
class ProxyAuthenticator;
}
namespace cproxy::check {
class History;
}

namespace cproxy::proxy {

class Session;

struct ProxyServices {
    ProxyOptions options;
    const check::Checker* checker = nullptr;  // null: no checks (pure proxy)
    ExchangeSink* sink = nullptr;             // null: nothing recorded
    auth::ProxyAuthenticator* authenticator = nullptr;  // null: no proxy authentication
    check::History* history = nullptr;        // null: no stateful rules
    asio::ip::tcp::resolver::results_type upstream_endpoints;  // resolved once at start-up
    std::optional<Destination> upstream_destination;           // reverse mode: where every request goes
    std::string upstream_origin;  // reverse mode: "scheme://authority", the stateful rules' origin
    std::optional<asio::thread_pool::executor_type> blocking_executor;  // for password hashing
    std::optional<asio::ssl::context> upstream_tls;  // https upstreams: verification set-up
    std::optional<asio::ssl::context> listener_tls;  // --tls-cert/--tls-key
    UpstreamThreads upstream_threads;  // every I/O thread, for taking over idle connections
    UpstreamLimits upstream_limits;  // --upstream-max-connections
    std::atomic<std::uint64_t> exchanges{0};
    std::atomic<std::size_t> active_sessions{0};
    std::atomic<bool> stopping{false};
};

struct ThreadContext {
    ThreadContext(std::size_t index, const ProxyOptions& options)
        : index(index), pool(options.upstream_max_idle_per_thread, options.upstream_idle_timeout) {}
    // Pooled sockets must close while their io_context lives; the io_context must go before
    // the session list, since destroying it destroys the sessions' coroutine frames.
    ~ThreadContext() { pool.clear(); }
    const std::size_t index;  // in the server's thread list; named by the debug log
    std::list<Session*> sessions;  // for closing idle keep-alive connections at shutdown
    // Client connections given to this thread and not yet closed. Every acceptor reads it to
    // hand a new connection to the least busy thread; the session's end counts it down.
    std::atomic<std::size_t> connections{0};
    // Relay buffers lent by idle sessions to busy ones (this thread only).
    std::vector<std::unique_ptr<char[]>> spare_scratch;
    std::vector<beast::flat_buffer> spare_buffers;
    PipePool pipes;  // for zero-copy body relays
    // The response head the relay parsed last on this thread (for the checker, the framing and
    // the rewrite), and the exchange it belongs to. The stateful rules at that exchange's end
    // read it instead of parsing again, unless another session's relay replaced it meanwhile
    // (it yielded in between, e.g. for a large body). One per thread, ~11 KiB: kept per
    // exchange it would cost that much for every connection busy at once.
    std::optional<cproxy::http::RawHead> last_response_head;
    std::uint64_t last_response_exchange = 0;
    // Parsed request heads lent to the exchanges in flight (declared before `io`: the exchanges
    // in the sessions' coroutine frames give theirs back when `io` destroys those frames).
    ParsedRequestHeads parsed_request_heads;
    CoarseClock clock;  // refreshed by the deadline sweep
    UpstreamPool pool;
    // UNSAFE_IO: every socket of this context is used by its own thread only, so the
    // reactor's per-descriptor locks (a lock/unlock pair per operation) are not needed.
    asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
};

}  // namespace cproxy::proxy

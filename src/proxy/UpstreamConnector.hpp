#pragma once
// Where an exchange gets its upstream connection: an idle one from this thread's pool, one
// another I/O thread keeps idle (UpstreamHandover: a one-connection dev server never
// starves), or a new one within --upstream-max-connections (resolved in forward mode, TCP
// connect, TLS handshake with SNI and host-name verification), each step bounded by the
// session's watchdog. And when a request may be sent once more on a new connection because
// a pooled one turned out to be stale; and the request body's upload, which stops when the
// upstream answers early (RFC 9112 §9.5).
#include <boost/beast/core/flat_buffer.hpp>
#include <optional>
#include <span>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/BodyRelay.hpp"
#include "proxy/Destination.hpp"
#include "proxy/Exchange.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/ProxyRuntime.hpp"
#include "proxy/RequestFields.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

struct UpstreamConnection {
    error_code error;
    std::string tls_problem;  // why TLS failed (expired, unknown CA, wrong host), for the 502
    std::optional<AnyStream> stream;  // set when there is no error
    bool reused = false;  // open(): an idle connection taken over from another thread
    bool busy = false;    // open(): the upstream stayed at --upstream-max-connections (503)
};

class UpstreamConnector {
public:
    // watched_upstream: the session's pointer to the upstream socket its watchdog cancels.
    UpstreamConnector(AnyStream::executor_type executor, ThreadContext& thread, ProxyServices& services,
                      Watchdog& watchdog, asio::ip::tcp::socket*& watched_upstream)
        : executor_(std::move(executor)), thread_(thread), services_(services), watchdog_(watchdog),
          watched_upstream_(watched_upstream) {}

    // An idle pooled connection to the destination, if this thread has one.
    std::optional<AnyStream> take_idle(const Destination& destination) {
        return thread_.pool.take(destination.key, thread_.clock.now());
    }
    // A connection that finished an exchange cleanly goes back to the pool, unless it is
    // spoiled. `bodiless`: the response had no content (HEAD, 204, 304); see UpstreamPool::give_back.
    void give_back(const std::string& key, AnyStream& upstream, bool bodiless = false) {
        watched_upstream_ = nullptr;
        if (std::exchange(spoiled_, false)) return;  // it closes with the exchange
        thread_.pool.give_back(key, std::move(upstream), thread_.clock.now(), bodiless);
    }
    // The upstream answered mid-body: its connection is not to be pooled, and a reset from
    // it ends a close-delimited response (it closes once it answered).
    bool spoiled() const noexcept { return spoiled_; }

    // When this thread's pool had none: an idle connection from another thread, or a new one
    // carrying its place under --upstream-max-connections (waiting for one while at the limit).
    awaitable<UpstreamConnection> open(const Destination& destination);
    // A new connection, not counted against any limit (CONNECT tunnels).
    awaitable<UpstreamConnection> connect(const Destination& destination);
    // Streams the request body from the client to the upstream, the head first, its chunked
    // framing checked (--max-chunk-extension-size). Peeks at the upstream before each write:
    // an early final response (or a failed write) stops the upload; the answer is then
    // relayed as the response, and both connections close afterwards.
    // A coroutine of its own: Beast's serializer is large, and in the session's frame it would
    // push it past Asio's frame recycling.
    awaitable<RelayResult> send_request_body(Exchange& ex, AnyStream& client, beast::flat_buffer& client_buffer,
                                             AnyStream& upstream, std::span<char> scratch);
    // The 502, 503 or 504 that tells the client why open() or connect() failed.
    Problem failure_problem(const UpstreamConnection& failed, const Destination& destination) const;

private:
    AnyStream::executor_type executor_;
    ThreadContext& thread_;
    ProxyServices& services_;  // not const: a TLS stream needs the context mutable
    Watchdog& watchdog_;
    asio::ip::tcp::socket*& watched_upstream_;
    bool spoiled_ = false;
};

// A pooled connection the upstream closed while it idled fails on first use, before any
// response byte. The request is sent once more on a new connection when that cannot do it
// twice: no body (it was streamed and is gone) and an idempotent method (RFC 9110 §9.2.2).
bool may_resend(const RequestParser& request);
bool is_stale_connection_error(const error_code& ec);

}  // namespace cproxy::proxy

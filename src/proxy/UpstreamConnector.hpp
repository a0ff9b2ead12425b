#pragma once
// Where an exchange gets its upstream connection: an idle one from this thread's pool, or a
// new one (resolved in forward mode, TCP connect, TLS handshake with SNI and host-name
// verification), each step bounded by the session's watchdog. And when a request may be
// sent once more on a new connection because a pooled one turned out to be stale.
#include <optional>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Destination.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/ProxyRuntime.hpp"
#include "proxy/RequestFields.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

struct UpstreamConnection {
    error_code error;
    std::string tls_problem;  // why TLS failed (expired, unknown CA, wrong host), for the 502
    std::optional<AnyStream> stream;  // set when there is no error
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
    // A connection that finished an exchange cleanly goes back to the pool.
    void give_back(const std::string& key, AnyStream& upstream) {
        watched_upstream_ = nullptr;
        thread_.pool.give_back(key, std::move(upstream), thread_.clock.now());
    }
    awaitable<UpstreamConnection> connect(const Destination& destination);
    // The 502 or 504 that tells the client why connect() failed.
    Problem failure_problem(const UpstreamConnection& failed, const Destination& destination) const;

private:
    AnyStream::executor_type executor_;
    ThreadContext& thread_;
    ProxyServices& services_;  // not const: a TLS stream needs the context mutable
    Watchdog& watchdog_;
    asio::ip::tcp::socket*& watched_upstream_;
};

// A pooled connection the upstream closed while it idled fails on first use, before any
// response byte. The request is sent once more on a new connection when that cannot do it
// twice: no body (it was streamed and is gone) and an idempotent method (RFC 9110 §9.2.2).
bool may_resend(const RequestParser& request);
bool is_stale_connection_error(const error_code& ec);

}  // namespace cproxy::proxy

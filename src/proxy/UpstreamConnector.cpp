#include "proxy/UpstreamConnector.hpp"

#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/serializer.hpp>

#include "proxy/StrictRequestHead.hpp"
#include "proxy/TlsSetup.hpp"
#include "proxy/UpstreamHandover.hpp"
#include "proxy/UpstreamPool.hpp"

namespace cproxy::proxy {

namespace http = beast::http;

awaitable<UpstreamConnection> UpstreamConnector::open(const Destination& destination) {
    spoiled_ = false;  // a new exchange's connection
    std::optional<AnyStream> idle;
    ConnectionLease lease;  // the new connection's place under --upstream-max-connections
    if (!co_await find_upstream_connection(services_, thread_, destination.key, idle, lease)) {
        UpstreamConnection busy;
        busy.busy = true;
        co_return busy;
    }
    if (idle) {
        UpstreamConnection taken;
        taken.stream = std::move(idle);
        taken.reused = true;
        co_return taken;
    }
    auto result = co_await connect(destination);
    if (result.stream) result.stream->hold(std::move(lease));
    co_return result;
}

awaitable<RelayResult> UpstreamConnector::send_request_body(Exchange& ex, AnyStream& client,
                                                            beast::flat_buffer& client_buffer, AnyStream& upstream,
                                                            std::span<char> scratch) {
    spoiled_ = false;
    http::request_serializer<http::buffer_body, RequestFields> serializer{ex.request.get()};
    auto relay = co_await relay_body(client, client_buffer, ex.request, upstream, serializer, scratch, watchdog_,
                                     services_.options.io_timeout, request_chunk_limits(services_.options), true);
    // The upstream answered (or closed) before taking the whole body: relay its answer, then
    // close both connections (the rest of the body is still on its way).
    if (relay.answered_early || (relay.write_error && !relay.read_error)) {
        ex.client_keep_alive = false;
        spoiled_ = true;
        relay.write_error = {};
    }
    co_return relay;
}

awaitable<UpstreamConnection> UpstreamConnector::connect(const Destination& destination) {
    const auto& options = services_.options;
    UpstreamConnection result;
    asio::ip::tcp::socket tcp(executor_);
    if (options.upstream) {
        watched_upstream_ = &tcp;
        watchdog_.arm(options.upstream_connect_timeout);
        result.error = co_await connect_upstream(tcp, services_.upstream_endpoints);
    } else {
        asio::ip::tcp::resolver resolver(executor_);
        auto [ec, endpoints] = co_await resolver.async_resolve(destination.host, destination.port, nothrow_awaitable);
        watched_upstream_ = &tcp;
        watchdog_.arm(options.upstream_connect_timeout);
        result.error = ec ? ec : co_await connect_upstream(tcp, endpoints);
    }
    watched_upstream_ = nullptr;  // tcp is about to be moved from
    if (result.error) co_return result;
    thread_.pool.note_opened();
    if (!destination.tls) {
        result.stream.emplace(std::move(tcp));
        co_return result;
    }
    // TLS: SNI and host-name verification against the upstream's name (RFC 9110 §4.3.4).
    AnyStream::tls_type tls(std::move(tcp), *services_.upstream_tls);
    if (const auto problem = prepare_client_tls(tls.native_handle(), destination.host); !problem.empty()) {
        result.error = asio::error::invalid_argument;
        result.tls_problem = problem;
        co_return result;
    }
    watched_upstream_ = &tls.next_layer();
    watchdog_.arm(options.upstream_connect_timeout);
    auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, nothrow_awaitable);
    watched_upstream_ = nullptr;
    if (ec) {
        result.error = ec;
        result.tls_problem = describe_tls_failure(tls.native_handle(), ec);
        co_return result;
    }
    result.stream.emplace(std::move(tls));
    co_return result;
}

Problem UpstreamConnector::failure_problem(const UpstreamConnection& failed, const Destination& destination) const {
    const std::string& key = destination.key;
    if (failed.busy) return upstream_busy_problem(key, services_.options);
    if (!failed.tls_problem.empty())
        return {502, "Upstream TLS failed", "TLS with the upstream " + key + " failed: " + failed.tls_problem + "."};
    if (watchdog_.expired())
        return {504, "Upstream connect timeout",
                "The upstream " + key + " did not accept a connection within " +
                    std::to_string(services_.options.upstream_connect_timeout.count()) + " ms."};
    return {502, "Upstream unreachable",
            "Could not connect to the upstream " + key + ": " + failed.error.message() + "."};
}

bool may_resend(const RequestParser& request) {
    if (!request.is_done()) return false;  // a body follows
    switch (request.get().method()) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::trace:
    case http::verb::put:
    case http::verb::delete_:
        return true;
    default:
        return false;
    }
}

bool is_stale_connection_error(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe;
}

}  // namespace cproxy::proxy

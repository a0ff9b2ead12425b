#include "proxy/Session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/write.hpp>

#include "conformance_proxy/auth/ProxyAuthenticator.hpp"
#include "proxy/AuthRefusal.hpp"
#include "proxy/ForwardedRequestHead.hpp"
#include "proxy/HeadReader.hpp"
#include "proxy/Logging.hpp"
#include "proxy/MessageRewriter.hpp"
#include "proxy/ProblemWriter.hpp"
#include "proxy/RequestVetting.hpp"
#include "proxy/StrictRequestHead.hpp"
#include "proxy/Tunnel.hpp"
#include "proxy/WriteNow.hpp"

namespace cproxy::proxy {

namespace {

namespace http = beast::http;
using Clock = std::chrono::steady_clock;
// Reads of the rest of a request head that did not come whole with the first read.
constexpr std::size_t request_head_read = 16 * 1024;

std::chrono::microseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

AnyStream make_client_stream(asio::ip::tcp::socket socket, ProxyServices& services) {
    if (services.listener_tls) return AnyStream(AnyStream::tls_type(std::move(socket), *services.listener_tls));
    return AnyStream(std::move(socket));
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, ThreadContext& thread, ProxyServices& services)
    : thread_(thread), services_(services), client_(make_client_stream(std::move(socket), services)),
      watchdog_(thread.clock), buffers_(thread),
      connector_(client_.get_executor(), thread, services, watchdog_, watched_upstream_),
      relay_(client_, client_buffer_, buffers_, connector_, thread, services, watchdog_) {
    error_code ec;
    const auto endpoint = client_.lowest().remote_endpoint(ec);
    client_address_ = ec ? "unknown" : endpoint.address().to_string();
    if (!ec) client_port_ = endpoint.port();
    if (services_.options.upstream && !services_.options.preserve_host)
        upstream_authority_ = services_.options.upstream->authority();
    client_.lowest().set_option(asio::ip::tcp::no_delay(true), ec);
    registration_ = thread_.sessions.insert(thread_.sessions.end(), this);
    ++services_.active_sessions;
    if (debug_logging())
        log_debug("connection from " + client_address_ + ":" + std::to_string(client_port_) + " served by I/O thread " +
                  std::to_string(thread_.index) + " (" +
                  std::to_string(thread_.connections.load(std::memory_order_relaxed)) + " open there)");
}

Session::~Session() {
    if (debug_logging())
        log_debug("connection from " + client_address_ + ":" + std::to_string(client_port_) + " closed");
    thread_.sessions.erase(registration_);
    --services_.active_sessions;
    thread_.connections.fetch_sub(1, std::memory_order_relaxed);
}

void Session::check_deadline(Watchdog::Clock::time_point now) {
    if (!watchdog_.expire_if_due(now)) return;
    error_code ignored;
    client_.lowest().cancel(ignored);
    if (watched_upstream_) watched_upstream_->cancel(ignored);
}

void Session::close_if_idle() {
    if (!idle_) return;
    error_code ec;
    client_.lowest().cancel(ec);
    client_.lowest().close(ec);
}

awaitable<void> Session::run() {
    auto self = shared_from_this();  // the session lives as long as its loop
    if (auto* tls = client_.tls()) {
        watchdog_.arm(services_.options.client_head_timeout);
        auto [ec] = co_await tls->async_handshake(asio::ssl::stream_base::server, nothrow_awaitable);
        if (ec) {
            log_debug("TLS handshake with " + client_address_ + " failed: " + ec.message());
            error_code ignored;
            client_.lowest().close(ignored);
            co_return;
        }
    }
    try {
        // One exchange per turn, written out here: a nested coroutine costs a frame per
        // exchange (Asio's small per-thread cache of them misses at tens of connections).
        for (;;) {
            if (client_buffer_.size() == 0) {  // else a pipelined request is already here
                if (services_.stopping) break;
                buffers_.lend_back();
                idle_ = true;
                watchdog_.arm(services_.options.client_idle_timeout);
                auto [ec, n] = co_await client_.async_read_some(client_buffer_.prepare(4096), nothrow_awaitable);
                idle_ = false;
                if (ec) break;  // closed, idle timeout, or shutdown: nothing to answer
                client_buffer_.commit(n);
            }
            bool keep = false;
            {
                Exchange ex(request_arena_.allocator());
                keep = co_await handle_request(ex);
                watched_upstream_ = nullptr;  // the upstream went back to the pool or was closed
                watchdog_.disarm();
                finish(ex);
            }
            request_arena_.reset();  // the request's fields went with the exchange
            if (!keep) break;
        }
    } catch (const std::exception& e) {
        log_error(std::string("session ended by an unexpected error: ") + e.what());
    }
    co_await close_gracefully();
}

awaitable<void> Session::close_gracefully() {
    // Lingering close: a client may still be sending (e.g. a body we refused). Closing with
    // unread data makes the kernel send RST, which can destroy our error response in
    // flight; so stop sending, then read and discard for a short while.
    error_code ec;
    client_.lowest().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (!ec && client_.lowest().is_open()) {
        std::size_t discarded = 0;
        watchdog_.arm(std::chrono::seconds(2));
        while (discarded < 1024 * 1024) {
            client_buffer_.clear();
            auto [rec, n] = co_await client_.async_read_some(client_buffer_.prepare(16 * 1024), nothrow_awaitable);
            if (rec) break;
            discarded += n;
        }
    }
    client_.lowest().close(ec);
}

awaitable<bool> Session::handle_request(Exchange& ex) {
    const auto& options = services_.options;
    ex.info.started = std::chrono::system_clock::now();
    ex.info.client_address = client_address_;
    ex.request.header_limit(static_cast<std::uint32_t>(options.max_request_head_bytes));
    ex.request.body_limit(options.max_request_body_bytes);

    // The head is read as raw bytes first (as for responses): obs-fold and other shapes
    // Beast would silently repair must be refused, and Beast sees the head only after.
    // The head timeout cancels the read without closing the socket, so a 408 can still go out.
    watchdog_.arm(options.client_head_timeout);
    // The first read (in run) usually brought the whole head.
    auto head = head_in_buffer(client_buffer_, options.max_request_head_bytes);
    if (!head) {
        auto [ec, length] = co_await async_read_raw_head(client_, client_buffer_, options.max_request_head_bytes,
                                                         request_head_read, nothrow_awaitable);
        head = HeadReadResult{ec, length};
    }
    if (head->error) {
        if (watchdog_.expired()) {
            pending_problem_ = Problem{408, "Request timeout",
                "The request head was not received within " +
                std::to_string(options.client_head_timeout.count()) + " ms."};
            co_return co_await send_pending_problem(ex, false);
        }
        if (head->error != http::error::header_limit) co_return false;  // the client went away (or shutdown)
        pending_problem_ = request_head_too_large(options, {static_cast<const char*>(client_buffer_.data().data()),
                                                            client_buffer_.size()});
        co_return co_await send_pending_problem(ex, false);
    }
    if (!accept_request_head(ex, head->head_length)) co_return co_await send_pending_problem(ex, false);
    if (services_.authenticator) {
        if (const auto next = co_await authenticate(ex); next != Next::continue_exchange)
            co_return next == Next::keep_connection;
    }
    if (!route(ex)) co_return co_await send_pending_problem(ex, false);

    auto& req = ex.request.get();
    if (req.method() == http::verb::connect) co_return co_await connect_tunnel(ex, *destination_);
    // Expect: 100-continue is answered here, once the request passed the proxy's own gates;
    // the upstream then gets the body without having to negotiate it again.
    if (req.version() >= 11 && list_contains_token(req[http::field::expect], "100-continue")) {
        static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
        watchdog_.arm(options.io_timeout);
        auto [ec, n] = co_await asio::async_write(client_, asio::buffer(continue_line), nothrow_awaitable);
        if (ec) co_return false;
        req.erase(http::field::expect);
    }
    ex.upgrade = req.count(http::field::upgrade) > 0 &&
                 list_contains_token(req[http::field::connection], "upgrade");
    if (ex.request.is_done())
        req.body().more = false;  // forward writes the head as text
    else
        rewrite_forwarded_request(req, upstream_request_options(ex));  // Beast's serializer writes it
    co_return co_await forward(ex, *destination_);
}

bool Session::accept_request_head(Exchange& ex, std::size_t head_length) {
    if (auto problem = settle_request_head(client_buffer_, head_length)) {  // before Beast sees the version
        pending_problem_ = std::move(*problem);
        return false;
    }
    // Numbered on arrival, so concurrent exchanges keep the order of their requests.
    ex.info.number = services_.exchanges.fetch_add(1, std::memory_order_relaxed) + 1;
    const std::string_view raw_head{static_cast<const char*>(client_buffer_.data().data()), head_length};
    const auto parse_error = parse_request_head(ex.request, raw_head);
    auto verdict = vet_request(ex.request, parse_error, raw_head, services_.options);
    if (!parse_error) {
        ex.note_request(services_.options.upstream.has_value(), services_.stopping, services_.options.silence_field);
        // The request rules (and the response rules that read the request) see the head as the
        // client sent it; the copy outlives the client buffer, which the body reads reuse.
        request_head_in_.assign(raw_head);
        ex.context.raw_head = request_head_in_;
        if (services_.checker) {
            ex.context.parsed_head = &ex.parsed_request_head.parse(thread_.parsed_request_heads, request_head_in_);
            services_.checker->check_request(ex.context, ex.findings);
        }
    }
    client_buffer_.consume(head_length);
    if (!verdict.accepted()) {
        pending_problem_ = std::move(*verdict.refusal);
        return false;
    }
    keep_one_content_length(ex.request);
    log_dropped_fields(drop_underscore_fields(ex.request.get(), services_.options.forward_underscore_fields),
                       client_address_);
    return true;
}

awaitable<Next> Session::authenticate(Exchange& ex) {
    std::optional<std::string_view> credentials;
    if (auto it = ex.request.get().find(http::field::proxy_authorization); it != ex.request.get().end())
        credentials = it->value();
    // Password hashing (bcrypt) takes milliseconds: never on an I/O thread.
    auto* authenticator = services_.authenticator;
    const auto decision = co_await asio::co_spawn(
        *services_.blocking_executor, check_credentials(authenticator, credentials, client_address_),
        asio::use_awaitable);
    if (decision.kind == auth::AuthDecision::Kind::allowed) {
        user_ = decision.user;
        ex.info.user = user_;
        co_return Next::continue_exchange;
    }
    const auto refusal = auth_refusal(decision, *authenticator, client_address_);
    // A request body left unread would be taken for the next request: close then.
    const bool keep = refusal.keep_connection && ex.client_keep_alive && ex.request.is_done();
    co_return answered(co_await send_problem(ex, refusal.problem, keep));
}

bool Session::route(Exchange& ex) {
    auto& req = ex.request.get();
    auto route = route_request(req, services_.options);
    if (route.refusal) {
        pending_problem_ = std::move(*route.refusal);
        return false;
    }
    named_destination_ = std::move(route.named);
    // RFC 9112 §3.2.2: an absolute-form target wins over Host, which is regenerated from it.
    if (named_destination_ && !named_destination_->origin_form.empty()) {
        req.target(named_destination_->origin_form);
        req.set(http::field::host, named_destination_->host_header);
    }
    destination_ = services_.options.upstream ? &*services_.upstream_destination : &*named_destination_;
    return true;
}

ForwardedRequestOptions Session::upstream_request_options(const Exchange& ex) const {
    const auto& options = services_.options;
    const auto& req = ex.request.get();
    ForwardedRequestOptions head;
    head.method = req.method_string();
    head.target = req.target();
    head.received_version = ex.client_version;
    head.keep_upgrade = ex.upgrade;
    head.host = upstream_authority_;  // empty: Host goes on as it is
    head.forwarded = options.forwarded;
    head.client = ClientInfo{client_address_, client_.is_tls() ? "https" : "http", req[http::field::host]};
    return head;
}

awaitable<bool> Session::forward(Exchange& ex, const Destination& destination) {
    const auto& options = services_.options;
    const std::string& key = destination.key;
    const bool has_body = !ex.request.is_done();
    const bool resendable = may_resend(ex.request);

    for (int attempt = 0;; ++attempt) {
        auto pooled = connector_.take_idle(destination);
        bool reused = pooled.has_value();
        if (!reused) {
            if (const auto next = co_await open_upstream(ex, destination, pooled, reused);
                next != Next::continue_exchange)
                co_return next == Next::keep_connection;
        }
        // Only a pooled connection can be stale, and only the first one is given that benefit.
        const bool may_retry = reused && attempt == 0 && resendable;
        AnyStream& upstream = *pooled;
        watched_upstream_ = &upstream.lowest();
        buffers_.fresh_upstream_buffer();

        // Send the request head, then the body, streaming. A request without a body (the
        // common GET) is written as one string: no serializer machinery needed.
        ex.request_sent = Clock::now();
        RelayResult relay;
        if (!has_body) {
            write_forwarded_request_head(ex.request.get(), upstream_request_options(ex), request_head_out_);
            watchdog_.arm(options.io_timeout);
            std::array<asio::const_buffer, 1> request_head{asio::buffer(request_head_out_)};
            consume(request_head, write_now(upstream, request_head, relay.write_error));
            if (!relay.write_error && request_head[0].size() > 0) {
                auto [ec, n] = co_await asio::async_write(upstream, request_head, nothrow_awaitable);
                relay.write_error = ec;
            }
        } else {
            // An early answer from the upstream ends the upload: see send_request_body.
            relay = co_await connector_.send_request_body(ex, client_, client_buffer_, upstream,
                                                          buffers_.body_buffer());
        }
        if (relay.read_error) {
            if (refuse_request_body(relay.read_error, relay.framing_problem, options, pending_problem_))
                co_return co_await send_pending_problem(ex, false);
            ex.error = "client closed or broke off the request body: " + relay.read_error.message();
            co_return false;
        }
        if (relay.write_error) {
            if (may_retry) continue;
            pending_problem_ = Problem{502, "Upstream connection failed",
                "Sending the request to the upstream " + key + " failed: " + relay.write_error.message() + "."};
            co_return co_await send_pending_problem(ex, false);
        }

        // Read the response head; interim 1xx responses are passed on and skipped.
        for (;;) {
            watchdog_.arm(options.upstream_response_timeout);
            const auto [head_error, head_length] = co_await relay_.read_head(upstream);
            if (head_error) {
                if (may_retry && buffers_.upstream_buffer().size() == 0 && is_stale_connection_error(head_error))
                    break;  // retry on a fresh connection
                pending_problem_ = relay_.head_read_problem(head_error, key);
                co_return co_await send_pending_problem(ex, false);
            }
            ex.info.upstream_duration = since(ex.request_sent);
            relay_.take_head(head_length);
            if (const auto next = co_await relay_.relay(ex, upstream, key); next != Next::continue_exchange)
                co_return next == Next::keep_connection;
        }
    }
}

awaitable<Next> Session::open_upstream(Exchange& ex, const Destination& destination, std::optional<AnyStream>& out,
                                       bool& reused) {
    auto connection = co_await connector_.open(destination);
    if (connection.stream) {
        out.emplace(std::move(*connection.stream));
        reused = connection.reused;
        co_return Next::continue_exchange;
    }
    // No request body left unread; a wait for a free connection that ran out closes.
    const bool keep = !connection.busy && ex.client_keep_alive && ex.request.is_done();
    co_return answered(co_await send_problem(ex, connector_.failure_problem(connection, destination), keep));
}

awaitable<bool> Session::connect_tunnel(Exchange& ex, const Destination& destination) {
    auto connection = co_await connector_.connect(destination);
    if (connection.error && watchdog_.expired())
        co_return co_await send_problem(ex, {504, "Upstream connect timeout",
            "The destination " + destination.key + " did not accept a connection in time."}, false);
    if (connection.error)
        co_return co_await send_problem(ex, {502, "Destination unreachable",
            "Could not connect to " + destination.key + ": " + connection.error.message() + "."}, false);
    static constexpr std::string_view established = "HTTP/1.1 200 Connection Established\r\n\r\n";
    watchdog_.arm(services_.options.io_timeout);
    auto [wec, n] = co_await asio::async_write(client_, asio::buffer(established), nothrow_awaitable);
    if (wec) co_return false;
    ex.info.status = 200;
    buffers_.upstream_buffer().clear();
    watched_upstream_ = &connection.stream->lowest();
    co_await tunnel(client_, client_buffer_, *connection.stream, buffers_.upstream_buffer(), watchdog_,
                    services_.options.client_idle_timeout);
    watched_upstream_ = nullptr;
    co_return false;
}

awaitable<bool> Session::send_problem(Exchange& ex, const Problem& problem, bool keep_alive) {
    return write_problem(client_, ex, problem, keep_alive && !services_.stopping, watchdog_, services_.options.io_timeout);
}

void Session::finish(Exchange& ex) {
    if (ex.info.status == 0 && ex.info.method.empty()) return;  // the client left before asking
    if (ex.info.number == 0)  // no request head came (408, 431): numbered at its end
        ex.info.number = services_.exchanges.fetch_add(1, std::memory_order_relaxed) + 1;
    if (ex.info.method.empty()) ex.info.method = ex.info.target = "-";
    ex.info.duration = since(ex.started);
    ex.conclude(relay_.raw_head());  // the head, the error, and the silenced findings set aside
    // The response head the relay parsed, if no other session's relay replaced it meanwhile.
    const bool head_still_parsed = thread_.last_response_head && thread_.last_response_exchange == ex.info.number;
    check_across_exchanges(services_, ex, destination_, client_address_,
                           head_still_parsed ? &*thread_.last_response_head : nullptr);
    log_access(ex.info, ex.findings.size());
    for (const auto& finding : ex.findings) log_finding(ex.info, finding);
    if (services_.sink) services_.sink->on_exchange(ex.info, std::move(ex.findings));
}

}  // namespace cproxy::proxy

#include "proxy/Session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "conformance_proxy/auth/ProxyAuthenticator.hpp"
#include "conformance_proxy/check/head_summary.hpp"
#include "check/Framing.hpp"
#include "check/RawHead.hpp"
#include "proxy/BodyRelay.hpp"
#include "proxy/ForwardedRequestHead.hpp"
#include "proxy/ForwardedResponseHead.hpp"
#include "proxy/Destination.hpp"
#include "proxy/HeadReader.hpp"
#include "proxy/Logging.hpp"
#include "proxy/TlsSetup.hpp"
#include "proxy/WriteNow.hpp"
#include "proxy/MessageRewriter.hpp"
#include "proxy/RequestGrammar.hpp"
#include "proxy/StrictRequestHead.hpp"

namespace cproxy::proxy {

namespace {

using Clock = std::chrono::steady_clock;
// Body relay buffer: 64 KiB takes a typical large response in one read and one write (as
// nginx's proxy_buffers 4 64k do); idle sessions lend it back, so it costs idle connections nothing.
constexpr std::size_t scratch_size = 64 * 1024;
// Between plain sockets a body of at least this size after the head goes through splice
// (zero-copy); the head is read in pieces of 16 KiB (nginx's proxy_buffer_size) so that most
// of a large body stays in the socket. Measured on 64 KiB responses: 4 KiB reads saved less
// CPU than 16 KiB ones, and the copying relay costs ~35% more CPU than either.
constexpr std::size_t splice_min_body = 16 * 1024;
constexpr std::size_t splice_head_read = 16 * 1024;
// Reads of the rest of a request head that did not come whole with the first read.
constexpr std::size_t request_head_read = 16 * 1024;

std::chrono::microseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

bool is_idempotent(http::verb method) {
    switch (method) {
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

// A reused keep-alive connection that the upstream closed while idle shows up as one of
// these before any response byte arrived: safe to retry on a fresh connection.
bool is_stale_connection_error(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

bool has_error_findings(const check::Findings& findings) {
    for (const auto& f : findings)
        if (f.level == check::Level::error) return true;
    return false;
}

std::vector<std::string> error_rule_ids(const check::Findings& findings) {
    std::vector<std::string> ids;
    for (const auto& f : findings)
        if (f.level == check::Level::error) ids.emplace_back(f.rule->id);
    return ids;
}

std::string join_rule_ids(const check::Findings& findings) {
    std::string out;
    for (const auto& f : findings) {
        if (out.find(f.rule->id) != std::string::npos) continue;
        if (!out.empty()) out += ", ";
        out += f.rule->id;
    }
    return out;
}

// RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host field.
const char* host_problem(const RequestParser::value_type& req) {
    const auto count = req.count(http::field::host);
    if (req.version() >= 11 && count == 0) return "HTTP/1.1 request without a Host header field";
    if (count > 1) return "request with more than one Host header field";
    return nullptr;
}

// A plain function, not a capturing lambda: g++ 12 destroys a lambda coroutine's captures
// twice when co_spawn moves it (seen as free(): invalid pointer).
awaitable<auth::AuthDecision> check_credentials(auth::ProxyAuthenticator* authenticator,
                                                std::optional<std::string_view> credentials,
                                                std::string client_address) {
    co_return authenticator->check(credentials, client_address);
}

// RFC 9112 §6.1/§6.3: a request body is framed only by a final chunked coding. Anything
// else is a smuggling shape (refused with 400) or a coding this proxy cannot pass on (501).
std::optional<Problem> transfer_coding_problem(const RequestParser::value_type& req) {
    const auto count = req.count(http::field::transfer_encoding);
    if (count == 0) return std::nullopt;
    std::string codings;
    for (auto it = req.find(http::field::transfer_encoding); it != req.end() && it->name() == http::field::transfer_encoding; ++it) {
        if (!codings.empty()) codings += ", ";
        codings += it->value();
    }
    if (req.version() < 11)
        return Problem{400, "Bad request", "Transfer-Encoding in an HTTP/1.0 request cannot be trusted (RFC 9112 §6.1)."};
    if (req.count(http::field::content_length) > 0)
        return Problem{400, "Bad request", "Content-Length together with Transfer-Encoding (RFC 9112 §6.1)."};
    std::string_view rest = codings;
    std::string_view last;
    bool unknown = false;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (!item.empty()) {
            last = item;
            if (!boost::beast::iequals(item, "chunked")) unknown = true;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (!boost::beast::iequals(last, "chunked"))
        return Problem{400, "Bad request",
                       "Transfer-Encoding '" + codings + "' does not end in chunked, so the body length cannot be "
                       "determined (RFC 9112 §6.3)."};
    if (unknown)
        return Problem{501, "Transfer coding not implemented",
                       "Transfer-Encoding '" + codings + "' uses a coding this proxy does not implement; send only chunked."};
    return std::nullopt;
}

AnyStream make_client_stream(asio::ip::tcp::socket socket, ProxyServices& services) {
    if (services.listener_tls) return AnyStream(AnyStream::tls_type(std::move(socket), *services.listener_tls));
    return AnyStream(std::move(socket));
}

}  // namespace

struct Session::Exchange {
    explicit Exchange(RequestAllocator allocator)
        : request(std::piecewise_construct, std::make_tuple(), std::make_tuple(allocator)) {}

    RequestParser request;
    std::optional<http::response_parser<http::buffer_body>> response;
    ExchangeInfo info;
    check::RequestContext context;
    check::Findings findings;
    Clock::time_point started = Clock::now();
    Clock::time_point request_sent;
    bool head_request = false;
    bool client_keep_alive = false;
    bool upgrade = false;
    bool head_checked = false;
    unsigned client_version = 11;  // as the client sent it (the forwarded request becomes 1.1)
    std::string target;
    std::string error;
};

Session::Session(asio::ip::tcp::socket socket, ThreadContext& thread, ProxyServices& services)
    : client_(make_client_stream(std::move(socket), services)), thread_(thread), services_(services),
      watchdog_(thread.clock) {
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

void Session::return_to_pool(const std::string& key, AnyStream& upstream, bool bodiless) {
    watched_upstream_ = nullptr;
    if (std::exchange(upstream_spoiled_, false)) return;  // it closes here
    thread_.pool.give_back(key, std::move(upstream), thread_.clock.now(), bodiless);
}

void Session::close_if_idle() {
    if (!idle_) return;
    error_code ec;
    client_.lowest().cancel(ec);
    client_.lowest().close(ec);
}

std::span<char> Session::scratch() {
    if (!scratch_) {
        if (!thread_.spare_scratch.empty()) {
            scratch_ = std::move(thread_.spare_scratch.back());
            thread_.spare_scratch.pop_back();
        } else {
            scratch_ = std::make_unique<char[]>(scratch_size);
        }
    }
    return {scratch_.get(), scratch_size};
}

void Session::lend_buffers_back() {
    // An idle keep-alive connection should cost little memory: its relay buffers go back to
    // the thread for the next busy session instead of sitting here (issue 7: <= 64 KiB each).
    constexpr std::size_t max_spares = 64;  // bounds what a burst leaves behind: 64 x 64 KiB per thread
    if (scratch_ && thread_.spare_scratch.size() < max_spares) thread_.spare_scratch.push_back(std::move(scratch_));
    scratch_.reset();
    if (upstream_buffer_.capacity() > 0 && upstream_buffer_.size() == 0 && thread_.spare_buffers.size() < max_spares) {
        thread_.spare_buffers.push_back(std::move(upstream_buffer_));
        upstream_buffer_ = beast::flat_buffer{};
    }
}

void Session::borrow_upstream_buffer() {
    if (upstream_buffer_.capacity() == 0 && !thread_.spare_buffers.empty()) {
        upstream_buffer_ = std::move(thread_.spare_buffers.back());
        thread_.spare_buffers.pop_back();
        upstream_buffer_.clear();
    }
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
                lend_buffers_back();
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
    auto& parser = ex.request;
    parser.header_limit(static_cast<std::uint32_t>(options.max_request_head_bytes));
    parser.body_limit(options.max_request_body_bytes);

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
        if (head->error == http::error::header_limit) co_return co_await send_head_too_large(ex);
        co_return false;  // the client went away (or shutdown closed the connection)
    }
    const std::string_view raw_request_head{static_cast<const char*>(client_buffer_.data().data()), head->head_length};
    if (raw_request_head.find("\n ") != std::string_view::npos || raw_request_head.find("\n\t") != std::string_view::npos) {
        pending_problem_ = Problem{400, "Bad request",
            "The request head uses obsolete line folding (RFC 9112 §5.2); send each field on one line."};
        co_return co_await send_pending_problem(ex, false);
    }
    if (set_pending_problem(settle_request_version(client_buffer_, head->head_length)))
        co_return co_await send_pending_problem(ex, false);
    error_code parse_ec;
    const auto used = parser.put(asio::buffer(raw_request_head), parse_ec);
    if (!parse_ec && (!parser.is_header_done() || used != head->head_length)) parse_ec = http::error::partial_message;
    if (parse_ec == http::error::header_limit) co_return co_await send_head_too_large(ex);  // reads the head
    client_buffer_.consume(head->head_length);
    if (parse_ec == http::error::body_limit) {
        pending_problem_ = Problem{413, "Content too large",
            "The request body exceeds the limit of " + std::to_string(options.max_request_body_bytes) + " bytes."};
        co_return co_await send_pending_problem(ex, false);
    }
    if (parse_ec) {
        pending_problem_ = Problem{400, "Bad request",
            "The request could not be parsed: " + parse_ec.message() + "."};
        co_return co_await send_pending_problem(ex, false);
    }

    auto& req = parser.get();
    ex.info.method = req.method_string();
    ex.target = req.target();  // a copy: forward mode rewrites the target in place
    ex.info.target = ex.target;
    ex.context.method = ex.info.method;
    ex.context.target = ex.info.target;
    ex.context.from_origin_in_reverse_mode = options.upstream.has_value();
    ex.head_request = req.method() == http::verb::head;
    ex.client_keep_alive = req.keep_alive() && !services_.stopping;

    if (set_pending_problem(strict_request_problem(req))) co_return co_await send_pending_problem(ex, false);
    log_dropped_fields(drop_underscore_fields(req, options.forward_underscore_fields), client_address_);
    ex.client_version = req.version();
    if (set_pending_problem(transfer_coding_problem(req))) co_return co_await send_pending_problem(ex, false);
    if (req.target() == "*" && req.method() != http::verb::options) {
        pending_problem_ = Problem{400, "Bad request",
            "The asterisk-form target is only for OPTIONS (RFC 9112 §3.2.4)."};
        co_return co_await send_pending_problem(ex, false);
    }
    // Identical duplicate Content-Length values may be accepted, but only one goes on (RFC 9112 §6.3).
    if (const auto length = parser.content_length();
        length && (req.count(http::field::content_length) != 1 || req[http::field::content_length] != std::to_string(*length)))
        req.set(http::field::content_length, std::to_string(*length));
    if (const char* problem = host_problem(req)) {
        pending_problem_ = Problem{400, "Bad request", std::string(problem) + " (RFC 9112 §3.2)."};
        co_return co_await send_pending_problem(ex, false);
    }
    if (const auto length = parser.content_length(); length && *length > options.max_request_body_bytes) {
        pending_problem_ = Problem{413, "Content too large",
            "The request body of " + std::to_string(*length) + " bytes exceeds the limit of " +
            std::to_string(options.max_request_body_bytes) + " bytes."};
        co_return co_await send_pending_problem(ex, false);
    }
    if (services_.authenticator) {
        auto verdict = co_await authenticate(ex);
        if (verdict) co_return *verdict;
    }

    if (!route_request(ex)) co_return co_await send_pending_problem(ex, false);
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
    if (parser.is_done()) {
        req.body().more = false;
        co_return co_await forward(ex, *destination_);  // which writes the head as text
    }
    // A request with a body goes through Beast's serializer: rewrite its fields in place.
    const auto host = std::string{req[http::field::host]};
    const unsigned client_version = req.version();
    remove_hop_by_hop_fields(req, ex.upgrade);
    add_via(req, client_version);
    add_forwarded(req, options.forwarded, ClientInfo{client_address_, client_.is_tls() ? "https" : "http", host});
    if (!options.preserve_host) req.set(http::field::host, options.upstream->authority());
    req.version(11);
    co_return co_await forward(ex, *destination_);
}

bool Session::route_request(Exchange& ex) {
    const auto& options = services_.options;
    auto& req = ex.request.get();
    std::optional<DestinationError> target_error;
    if (req.method() == http::verb::connect) {
        if (options.upstream) {
            pending_problem_ = Problem{501, "Not implemented",
                "CONNECT is served in forward-proxy mode only (start without --upstream)."};
            return false;
        }
        forward_destination_ = parse_connect_authority(req.target(), target_error);
    } else {
        forward_destination_ = parse_absolute_form(req.target(), target_error);
        if (!forward_destination_ && !target_error && !options.upstream)
            target_error = DestinationError{400, "Bad request",
                "This is a forward proxy: send absolute-form targets (GET http://host/path HTTP/1.1)."};
    }
    if (target_error) {
        pending_problem_ = Problem{target_error->status, target_error->title, target_error->detail};
        return false;
    }
    if (forward_destination_ && !options.upstream &&
        !destination_allowed(options.allowed_destinations, forward_destination_->host, forward_destination_->port)) {
        pending_problem_ = Problem{403, "Destination not allowed",
            "The destination " + forward_destination_->key + " is not on this proxy's allow-list."};
        return false;
    }
    // RFC 9112 §3.2.2: an absolute-form target wins over Host, which is regenerated from it.
    if (forward_destination_ && !forward_destination_->origin_form.empty()) {
        req.target(forward_destination_->origin_form);
        req.set(http::field::host, forward_destination_->host_header);
    }
    destination_ = options.upstream ? &*services_.upstream_destination : &*forward_destination_;
    return true;
}

void Session::write_upstream_head(Exchange& ex, std::string& out) {
    const auto& options = services_.options;
    const auto& req = ex.request.get();
    ForwardedRequestOptions head;
    head.method = req.method_string();
    head.target = req.target();
    head.received_version = ex.client_version;
    head.keep_upgrade = ex.upgrade;
    if (!options.preserve_host && options.upstream) head.host = upstream_authority_;
    head.forwarded = options.forwarded;
    head.client = ClientInfo{client_address_, client_.is_tls() ? "https" : "http", req[http::field::host]};
    write_forwarded_request_head(req, head, out);
}

awaitable<Session::UpstreamConnection> Session::connect_to(const Destination& destination) {
    const auto& options = services_.options;
    UpstreamConnection result;
    asio::ip::tcp::socket tcp(client_.get_executor());
    if (options.upstream) {
        watched_upstream_ = &tcp;
        watchdog_.arm(options.upstream_connect_timeout);
        result.error = co_await connect_upstream(tcp, services_.upstream_endpoints);
    } else {
        asio::ip::tcp::resolver resolver(client_.get_executor());
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

awaitable<bool> Session::forward(Exchange& ex, const Destination& destination) {
    const auto& options = services_.options;
    auto& req = ex.request.get();
    const std::string& key = destination.key;
    const bool has_body = !ex.request.is_done();
    const bool retryable = !has_body && is_idempotent(req.method());

    for (int attempt = 0;; ++attempt) {
        auto pooled = thread_.pool.take(key, thread_.clock.now());
        ConnectionLease lease;  // the new connection's place under --upstream-max-connections
        if (!pooled && !co_await find_upstream_connection(services_, thread_, key, pooled, lease)) {
            pending_problem_ = upstream_busy_problem(key, options);
            co_return co_await send_pending_problem(ex, false);
        }
        const bool reused = pooled.has_value();
        if (!reused) {
            if (auto answered = co_await open_upstream(ex, destination, pooled)) co_return *answered;
            pooled->hold(std::move(lease));
        }
        AnyStream& upstream = *pooled;
        watched_upstream_ = &upstream.lowest();
        borrow_upstream_buffer();
        upstream_buffer_.clear();

        // Send the request head, then the body, streaming. A request without a body (the
        // common GET) is written as one string: no serializer machinery needed.
        ex.request_sent = Clock::now();
        RelayResult relay;
        if (!has_body) {
            write_upstream_head(ex, head_out_);
            watchdog_.arm(options.io_timeout);
            std::array<asio::const_buffer, 1> request_head{asio::buffer(head_out_)};
            consume(request_head, write_now(upstream, request_head, relay.write_error));
            if (!relay.write_error && request_head[0].size() > 0) {
                auto [ec, n] = co_await asio::async_write(upstream, request_head, nothrow_awaitable);
                relay.write_error = ec;
            }
        } else {
            relay = co_await send_request_with_body(ex, upstream);
            // The upstream answered (or closed) before taking the whole body: relay its answer,
            // then close both connections (the rest of the body is still on its way).
            if (relay.answered_early || (relay.write_error && !relay.read_error)) {
                ex.client_keep_alive = false;
                upstream_spoiled_ = true;
                relay.write_error = {};
            }
        }
        if (relay.read_error) {
            if (relay.read_error == http::error::body_limit) {
                pending_problem_ = Problem{413, "Content too large",
                    "The request body exceeds the limit of " + std::to_string(options.max_request_body_bytes) +
                    " bytes."};
                co_return co_await send_pending_problem(ex, false);
            }
            if (set_pending_problem(request_body_problem(relay.read_error, relay.framing_problem)))
                co_return co_await send_pending_problem(ex, false);
            ex.error = "client closed or broke off the request body: " + relay.read_error.message();
            co_return false;
        }
        if (relay.write_error) {
            if (reused && attempt == 0 && retryable) continue;
            pending_problem_ = Problem{502, "Upstream connection failed",
                "Sending the request to the upstream " + key + " failed: " + relay.write_error.message() + "."};
            co_return co_await send_pending_problem(ex, false);
        }

        // Read the response head; interim 1xx responses are passed on and skipped.
        for (;;) {
            watchdog_.arm(options.upstream_response_timeout);
            // Between plain sockets, reads of a head are small: the body is best left in the
            // socket for splice. Under TLS, up to 64 KiB: a typical large response comes in
            // with its head.
            const auto [head_error, head_length] =
                co_await async_read_raw_head(upstream, upstream_buffer_, options.max_response_head_bytes,
                                             can_splice(upstream) ? splice_head_read : scratch_size, nothrow_awaitable);
            const HeadReadResult head{head_error, head_length};
            if (head.error) {
                if (reused && attempt == 0 && retryable && upstream_buffer_.size() == 0 &&
                    is_stale_connection_error(head.error))
                    break;  // retry on a fresh connection
                if (watchdog_.expired()) {
                    pending_problem_ = Problem{504, "Upstream timeout",
                        "The upstream " + key + " sent no response head within " +
                        std::to_string(options.upstream_response_timeout.count()) + " ms."};
                    co_return co_await send_pending_problem(ex, false);
                }
                if (head.error == http::error::header_limit) {
                    pending_problem_ = Problem{502, "Upstream response head too large",
                        "The upstream's response head exceeds " + std::to_string(options.max_response_head_bytes) +
                        " bytes."};
                    co_return co_await send_pending_problem(ex, false);
                }
                pending_problem_ = Problem{502, "Upstream closed the connection",
                    "The upstream " + key + " closed or reset the connection before a complete response head (" +
                    head.error.message() + ")."};
                co_return co_await send_pending_problem(ex, false);
            }
            ex.info.upstream_duration = since(ex.request_sent);
            raw_head_.assign(static_cast<const char*>(upstream_buffer_.data().data()), head.head_length);
            upstream_buffer_.consume(head.head_length);

            if (auto fast = co_await try_fast_response(ex, upstream, key)) co_return *fast;

            auto& response = ex.response.emplace();
            response.header_limit(static_cast<std::uint32_t>(options.max_response_head_bytes));
            response.body_limit(boost::none);
            if (ex.head_request) response.skip(true);
            error_code parse_ec;
            response.put(asio::buffer(raw_head_), parse_ec);
            if (!parse_ec && !response.is_header_done()) parse_ec = http::error::partial_message;
            // Beast takes any three digits; a status outside 100-599 cannot be relayed.
            if (!parse_ec && (response.get().result_int() < 100 || response.get().result_int() > 599))
                parse_ec = http::error::bad_status;
            const unsigned status = parse_ec ? 0 : response.get().result_int();
            if (!parse_ec && status >= 100 && status < 200 && status != 101) {
                // Interim responses reach HTTP/1.1 clients only (RFC 9110 §15.2).
                if (ex.client_version >= 11 && !co_await pass_on_interim_response(ex)) co_return false;
                continue;
            }
            co_return co_await relay_response(ex, upstream, key, parse_ec);
        }
    }
}

// Separate coroutines for what the common exchange never does: Beast's serializers are large,
// and in forward()'s frame they would push it past Asio's frame recycling (see Session.hpp).
awaitable<RelayResult> Session::send_request_with_body(Exchange& ex, AnyStream& upstream) {
    http::request_serializer<http::buffer_body, RequestFields> serializer{ex.request.get()};
    co_return co_await relay_body(client_, client_buffer_, ex.request, upstream, serializer, scratch(), watchdog_,
                                  services_.options.io_timeout, request_chunk_limits(services_.options), true);
}

awaitable<bool> Session::pass_on_interim_response(Exchange& ex) {
    auto& interim = ex.response->get();
    remove_hop_by_hop_fields(interim, false);
    interim.version(11);
    http::response_serializer<http::buffer_body> interim_writer{interim};
    watchdog_.arm(services_.options.io_timeout);
    auto [ec, n] = co_await http::async_write_header(client_, interim_writer, nothrow_awaitable);
    co_return !ec;
}

void Session::check_response_head(Exchange& ex) {
    if (ex.head_checked || !services_.checker) return;
    services_.checker->check_head(raw_head_, ex.context, ex.findings);
    ex.head_checked = true;
}

std::optional<Session::FastResponsePlan> Session::plan_fast_response(Exchange& ex) {
    const auto& options = services_.options;
    // "HTTP/1.1 1xx": interim heads and 101 take the general path, which checks what it relays.
    if (raw_head_.size() > 9 && raw_head_[9] == '1') return std::nullopt;
    // One parse of the head gives the findings, the framing and the rewritten head. (A plain
    // function: the parse is ~10 KiB, too big for a coroutine frame.)
    const check::RawHead parsed(raw_head_);
    check::HeadSummary summary;
    if (services_.checker) {
        summary = services_.checker->check_head(parsed, ex.context, ex.findings);
        ex.head_checked = true;
    } else {
        summary = check::summarize(parsed);
    }
    if (summary.status < 200 || summary.status > 599) return std::nullopt;  // interim or invalid
    const auto framing = check::body_framing(summary, ex.info.method);
    if (framing != check::BodyFraming::none && framing != check::BodyFraming::content_length) return std::nullopt;

    if (options.mode == Mode::enforce && has_error_findings(ex.findings)) return std::nullopt;  // general path answers

    FastResponsePlan plan;
    plan.keep = ex.client_keep_alive && !services_.stopping;
    const std::string ids = options.mode == Mode::annotate ? join_rule_ids(ex.findings) : std::string();
    if (!rewrite_response_head(parsed, ForwardedHeadOptions{plan.keep, ex.client_version < 11, ids}, head_out_,
                               plan.head))
        return std::nullopt;
    plan.bodiless = framing == check::BodyFraming::none;
    plan.body_length = framing == check::BodyFraming::content_length ? summary.content_length : 0;
    return plan;
}

awaitable<std::optional<bool>> Session::try_fast_response(Exchange& ex, AnyStream& upstream, const std::string& key) {
    const auto& options = services_.options;
    const auto plan = plan_fast_response(ex);
    if (!plan) co_return std::nullopt;
    const ForwardedHead& head = plan->head;
    const bool keep = plan->keep;
    ex.info.upstream_status = head.status;

    std::uint64_t remaining = plan->body_length;
    const std::uint64_t bytes_after_head = plan->bodiless && !ex.head_request ? upstream_buffer_.size() : 0;
    if (can_splice(upstream) && remaining >= upstream_buffer_.size() + splice_min_body) {
        if (auto pipe = thread_.pipes.take()) {
            const auto first = upstream_buffer_.size();  // < remaining: the rest is still coming
            ex.info.status = head.status;
            const auto relayed = co_await splice_body(
                upstream.lowest(), client_.lowest(), *pipe, head_out_,
                {static_cast<const char*>(upstream_buffer_.data().data()), first}, remaining - first, watchdog_,
                options.io_timeout);
            upstream_buffer_.consume(first);
            thread_.pipes.give_back(std::move(*pipe));  // kept only if empty
            ex.info.response_bytes = relayed.body_bytes;
            if (relayed.read_error) {
                ex.error = "upstream broke off the response body: " + relayed.read_error.message();
                if (services_.checker) {
                    check::BodyOutcome outcome;
                    outcome.complete = false;
                    services_.checker->check_body(raw_head_, ex.context, outcome, ex.findings);
                }
                co_return false;
            }
            if (relayed.write_error) {
                ex.error = "client went away mid-response: " + relayed.write_error.message();
                co_return false;
            }
            if (head.upstream_keep_alive) return_to_pool(key, upstream);
            co_return keep;
        }
    }
    // A body that is still on its way is waited for once, up to 64 KiB, before the first
    // write: a typical large response then reaches the client in one write instead of three,
    // which costs the client, the upstream and this proxy fewer wake-ups. A read error is
    // kept for the body loop below: read again after EOF, Asio would wait for an epoll edge
    // that never comes.
    error_code early_read_error;
    if (const auto want = std::min<std::uint64_t>(remaining, scratch_size); upstream_buffer_.size() < want) {
        watchdog_.arm(options.io_timeout);
        auto [rec, got] = co_await upstream.async_read_some(
            upstream_buffer_.prepare(static_cast<std::size_t>(want - upstream_buffer_.size())), nothrow_awaitable);
        early_read_error = rec;
        if (!rec) upstream_buffer_.commit(got);
    }
    // Head and whatever body already arrived go out in one write.
    const auto first = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, upstream_buffer_.size()));
    const char* const body_start = static_cast<const char*>(upstream_buffer_.data().data());
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_out_), asio::buffer(body_start, first)};
    if (client_.is_tls()) {
        // One contiguous buffer: Beast's ssl_stream wrote body bytes in place of the head when
        // given head + a body over 16 KiB as two buffers (seen with curl: a garbled response).
        // The copy is small next to the encryption.
        head_out_.append(body_start, first);
        buffers = {asio::buffer(head_out_), asio::const_buffer{}};
    }
    ex.info.status = head.status;
    // The whole response is here: the connection goes back before the client hears of it, so
    // the client's next connection, on whichever thread, finds it idle (a one-connection
    // upstream would never accept another).
    const bool whole = first == remaining && upstream_buffer_.size() == first;
    if (whole && head.upstream_keep_alive) return_to_pool(key, upstream, plan->bodiless);
    watchdog_.arm(options.io_timeout);
    error_code ec;
    consume(buffers, write_now(client_, buffers, ec));
    if (!ec && asio::buffer_size(buffers) > 0)
        std::tie(ec, std::ignore) =
            co_await asio::async_write(client_, buffers, in_as_few_writes_as_possible{}, nothrow_awaitable);
    if (ec) {
        ex.error = "client went away: " + ec.message();
        co_return false;
    }
    upstream_buffer_.consume(first);
    remaining -= first;
    ex.info.response_bytes = first;
    bool upstream_broke = false;
    while (remaining > 0) {
        const auto buffer = scratch();
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buffer.size()));
        watchdog_.arm(options.io_timeout);
        // (No co_await inside ?: here: g++ 12 miscompiles that.)
        error_code rec = early_read_error;
        std::size_t got = 0;
        if (!rec) std::tie(rec, got) = co_await upstream.async_read_some(asio::buffer(buffer.data(), want), nothrow_awaitable);
        if (rec) {
            ex.error = "upstream broke off the response body: " + rec.message();
            upstream_broke = true;
            break;
        }
        watchdog_.arm(options.io_timeout);
        auto [wec, written] = co_await asio::async_write(client_, asio::buffer(buffer.data(), got), nothrow_awaitable);
        if (wec) {
            ex.error = "client went away mid-response: " + wec.message();
            break;
        }
        remaining -= got;
        ex.info.response_bytes += got;
    }
    const bool complete = remaining == 0;
    // The body rules only fire on a broken-off body or bytes after a bodiless head.
    if (services_.checker && (upstream_broke || bytes_after_head > 0)) {
        check::BodyOutcome outcome;
        outcome.complete = !upstream_broke;  // a client that left says nothing about the upstream
        outcome.bytes_after_head = bytes_after_head;
        services_.checker->check_body(raw_head_, ex.context, outcome, ex.findings);
    }
    if (!complete) co_return false;
    if (!whole && head.upstream_keep_alive && upstream_buffer_.size() == 0) return_to_pool(key, upstream, plan->bodiless);
    co_return keep;
}

awaitable<bool> Session::relay_response(Exchange& ex, AnyStream& upstream, const std::string& key,
                                        error_code parse_error) {
    const auto& options = services_.options;
    auto& parser = *ex.response;
    check_response_head(ex);

    if (parse_error) {
        Problem problem{502, "Upstream response is not valid HTTP",
                        "The upstream's response head could not be parsed (" + parse_error.message() + ")."};
        problem.rules = error_rule_ids(ex.findings);
        if (!problem.rules.empty()) problem.detail += " Broken requirements: " + join_rule_ids(ex.findings) + ".";
        co_return co_await send_problem(ex, problem, false);
    }
    auto& res = parser.get();
    ex.info.upstream_status = res.result_int();

    if (options.mode == Mode::enforce && has_error_findings(ex.findings)) {
        Problem problem{502, "Upstream response is not conformant",
                        "The upstream's " + std::to_string(ex.info.upstream_status) +
                            " response broke HTTP requirements: " + join_rule_ids(ex.findings) + "."};
        problem.rules = error_rule_ids(ex.findings);
        co_return co_await send_problem(ex, problem, false);
    }

    const bool upgrade = ex.info.upstream_status == 101;
    if (upgrade && !ex.upgrade) {
        co_return co_await send_problem(ex, {502, "Unexpected protocol switch",
            "The upstream answered 101 to a request that did not ask for an upgrade."}, false);
    }
    const bool no_body = parser.is_done();
    const std::uint64_t bytes_after_head = no_body && !ex.head_request ? upstream_buffer_.size() : 0;
    const bool close_delimited = !no_body && !res.chunked() && !res.has_content_length();
    const bool upstream_keep_alive = res.keep_alive();
    const bool client_http11 = ex.client_version >= 11;
    bool keep = ex.client_keep_alive && !services_.stopping;

    remove_hop_by_hop_fields(res, upgrade);
    add_via(res, res.version());
    if (options.mode == Mode::annotate && !ex.findings.empty())
        res.set("Conformance-Findings", join_rule_ids(ex.findings));
    res.version(11);
    if (!no_body && close_delimited) {
        if (client_http11)
            res.chunked(true);  // re-frame so the client connection can stay open
        else
            keep = false;
    } else if (!no_body && res.chunked() && !client_http11) {
        res.chunked(false);  // HTTP/1.0 knows no chunked: delimit by close
        keep = false;
    }
    if (!upgrade) {
        res.keep_alive(keep);
        if (keep && !client_http11) res.set(http::field::connection, "keep-alive");
    }

    http::response_serializer<http::buffer_body> serializer{res};
    watchdog_.arm(options.io_timeout);
    bool upstream_broke = false;
    if (no_body || upgrade) {
        auto [ec, n] = co_await http::async_write_header(client_, serializer, nothrow_awaitable);
        if (ec) {
            ex.error = "client went away: " + ec.message();
            co_return false;
        }
        ex.info.status = ex.info.upstream_status;
        if (upgrade) {
            co_await tunnel(upstream);
            co_return false;
        }
    } else {
        auto relay = co_await relay_body(upstream, upstream_buffer_, parser, client_, serializer, scratch(),
                                         watchdog_, options.io_timeout, {}, false, upstream_spoiled_);
        if (relay.read_error && !serializer.is_header_done()) {
            // Nothing reached the client yet: it can still get a proper answer.
            check::BodyOutcome outcome;
            outcome.complete = false;
            if (services_.checker) services_.checker->check_body(raw_head_, ex.context, outcome, ex.findings);
            co_return co_await send_problem(ex, {502, "Upstream broke off the response",
                "The upstream closed the connection before its response body was complete (" +
                relay.read_error.message() + ")."}, false);
        }
        ex.info.status = ex.info.upstream_status;
        ex.info.response_bytes = relay.bytes;
        if (relay.write_error) {
            ex.error = "client went away mid-response: " + relay.write_error.message();
            keep = false;
        } else if (relay.read_error) {
            upstream_broke = true;
            ex.error = "upstream broke off the response body: " + relay.read_error.message();
            keep = false;  // the client got a truncated message: only a close tells it so
        }
    }

    if (services_.checker) {
        check::BodyOutcome outcome;
        outcome.complete = !upstream_broke;
        outcome.bytes_after_head = bytes_after_head;
        services_.checker->check_body(raw_head_, ex.context, outcome, ex.findings);
    }
    if (upstream_keep_alive && parser.is_done() && !close_delimited && upstream_buffer_.size() == 0)
        return_to_pool(key, upstream, no_body);
    co_return keep;
}

awaitable<std::optional<bool>> Session::authenticate(Exchange& ex) {
    auto& req = ex.request.get();
    std::optional<std::string_view> credentials;
    if (auto it = req.find(http::field::proxy_authorization); it != req.end()) credentials = it->value();
    // Password hashing (bcrypt) takes milliseconds: never on an I/O thread.
    auto* authenticator = services_.authenticator;
    const auto decision = co_await asio::co_spawn(
        *services_.blocking_executor, check_credentials(authenticator, credentials, client_address_),
        asio::use_awaitable);
    const bool keep = ex.client_keep_alive && ex.request.is_done();
    using Kind = auth::AuthDecision::Kind;
    switch (decision.kind) {
    case Kind::allowed:
        user_ = decision.user;
        ex.info.user = user_;
        co_return std::nullopt;
    case Kind::malformed:
        log_warn("proxy authentication: malformed Proxy-Authorization from " + client_address_ + ": " +
                 std::string(decision.reason));
        co_return co_await send_problem(ex, {400, "Malformed Proxy-Authorization",
            "The Proxy-Authorization header is malformed: " + std::string(decision.reason) +
            ". Send Proxy-Authorization: Basic base64(user:password)."}, false);
    case Kind::throttled: {
        log_warn("proxy authentication: " + client_address_ + " throttled after repeated failures for " +
                 std::to_string(decision.retry_after.count()) + " s");
        Problem problem{429, "Too many failed authentication attempts",
                        "Too many failed proxy authentication attempts from this address; retry later."};
        problem.extra_fields.emplace_back("Retry-After", std::to_string(decision.retry_after.count()));
        co_return co_await send_problem(ex, problem, keep);
    }
    case Kind::missing:
    case Kind::denied: {
        if (decision.kind == Kind::denied)
            log_warn("proxy authentication: wrong credentials from " + client_address_);
        Problem problem{407, "Proxy authentication required",
                        decision.kind == Kind::missing
                            ? "This proxy requires Basic authentication: send Proxy-Authorization."
                            : "The proxy credentials were not accepted."};
        problem.extra_fields.emplace_back("Proxy-Authenticate", authenticator->challenge());
        co_return co_await send_problem(ex, problem, keep);
    }
    }
    co_return false;
}

awaitable<std::optional<bool>> Session::open_upstream(Exchange& ex, const Destination& destination,
                                                      std::optional<AnyStream>& out) {
    const auto& options = services_.options;
    const std::string& key = destination.key;
    const bool keep = ex.client_keep_alive && ex.request.is_done();  // no request body left unread
    auto connection = co_await connect_to(destination);
    const auto ec = connection.error;
    if (!connection.tls_problem.empty())
        co_return co_await send_problem(ex, {502, "Upstream TLS failed",
            "TLS with the upstream " + key + " failed: " + connection.tls_problem + "."}, keep);
    if (ec && watchdog_.expired())
        co_return co_await send_problem(ex, {504, "Upstream connect timeout",
            "The upstream " + key + " did not accept a connection within " +
            std::to_string(options.upstream_connect_timeout.count()) + " ms."}, keep);
    if (ec)
        co_return co_await send_problem(ex, {502, "Upstream unreachable",
            "Could not connect to the upstream " + key + ": " + ec.message() + "."}, keep);
    out.emplace(std::move(*connection.stream));
    co_return std::nullopt;
}

awaitable<bool> Session::connect_tunnel(Exchange& ex, const Destination& destination) {
    auto connection = co_await connect_to(destination);
    const auto ec = connection.error;
    if (ec && watchdog_.expired())
        co_return co_await send_problem(ex, {504, "Upstream connect timeout",
            "The destination " + destination.key + " did not accept a connection in time."}, false);
    if (ec)
        co_return co_await send_problem(ex, {502, "Destination unreachable",
            "Could not connect to " + destination.key + ": " + ec.message() + "."}, false);
    static constexpr std::string_view established = "HTTP/1.1 200 Connection Established\r\n\r\n";
    watchdog_.arm(services_.options.io_timeout);
    auto [wec, n] = co_await asio::async_write(client_, asio::buffer(established), nothrow_awaitable);
    if (wec) co_return false;
    ex.info.status = 200;
    upstream_buffer_.clear();
    watched_upstream_ = &connection.stream->lowest();
    co_await tunnel(*connection.stream);
    watched_upstream_ = nullptr;
    co_return false;
}

awaitable<bool> Session::send_head_too_large(Exchange& ex) {
    const std::string_view received{static_cast<const char*>(client_buffer_.data().data()), client_buffer_.size()};
    auto verdict = classify_oversized_head(received, services_.options.max_request_head_bytes);
    co_return co_await send_problem(ex, {static_cast<unsigned>(verdict.status), verdict.title, verdict.detail}, false);
}

bool Session::set_pending_problem(std::optional<Problem> problem) {
    if (problem) pending_problem_ = std::move(*problem);
    return problem.has_value();
}

awaitable<bool> Session::send_pending_problem(Exchange& ex, bool keep_alive) {
    co_return co_await send_problem(ex, pending_problem_, keep_alive);
}

awaitable<bool> Session::send_problem(Exchange& ex, const Problem& problem, bool keep_alive) {
    if (ex.info.status != 0) co_return false;  // a response already started: only a close is left
    keep_alive = keep_alive && !services_.stopping;
    auto res = make_problem_response(problem, 11, keep_alive, ex.head_request);
    ex.info.status = problem.status;
    ex.info.response_bytes = res.body().size();
    if (ex.error.empty()) ex.error = problem.title;
    watchdog_.arm(services_.options.io_timeout);
    auto [ec, n] = co_await http::async_write(client_, res, nothrow_awaitable);
    co_return !ec && keep_alive;
}

awaitable<void> Session::tunnel(AnyStream& upstream) {
    using namespace asio::experimental::awaitable_operators;
    const auto idle = services_.options.client_idle_timeout;
    // Bytes that arrived with the heads belong to the tunnelled protocol.
    auto flush = [](beast::flat_buffer& buffer, AnyStream& to) -> awaitable<bool> {
        if (buffer.size() == 0) co_return true;
        auto [ec, n] = co_await asio::async_write(to, buffer.data(), nothrow_awaitable);
        buffer.consume(buffer.size());
        co_return !ec;
    };
    if (!co_await flush(client_buffer_, upstream) || !co_await flush(upstream_buffer_, client_)) co_return;

    auto pipe = [this, idle](AnyStream& from, AnyStream& to) -> awaitable<void> {
        std::vector<char> buffer(16 * 1024);
        for (;;) {
            watchdog_.arm(idle);
            auto [ec, n] = co_await from.async_read_some(asio::buffer(buffer), nothrow_awaitable);
            if (ec) {
                error_code ignored;
                if (ec == asio::error::eof) {
                    to.lowest().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                } else {
                    to.lowest().close(ignored);
                }
                co_return;
            }
            watchdog_.arm(idle);
            auto [wec, wn] = co_await asio::async_write(to, asio::buffer(buffer.data(), n), nothrow_awaitable);
            if (wec) {
                error_code ignored;
                from.lowest().close(ignored);
                co_return;
            }
        }
    };
    co_await (pipe(client_, upstream) && pipe(upstream, client_));
}

void Session::finish(Exchange& ex) {
    if (ex.info.status == 0 && ex.info.method.empty()) return;  // the client left before asking
    ex.info.number = ++services_.exchanges;
    if (ex.info.method.empty()) ex.info.method = ex.info.target = "-";
    ex.info.duration = since(ex.started);
    ex.info.raw_response_head = raw_head_;
    if (ex.info.upstream_status == 0) ex.info.raw_response_head = {};
    ex.info.error = ex.error;
    log_access(ex.info, ex.findings.size());
    for (const auto& finding : ex.findings) log_finding(ex.info, finding);
    if (services_.sink) services_.sink->on_exchange(ex.info, ex.findings);
}

}  // namespace cproxy::proxy

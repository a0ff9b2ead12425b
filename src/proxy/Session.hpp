#pragma once
// One client connection: the HTTP/1.1 loop of read request head, forward, read response
// head, check, stream the body back — until either side closes. Pipelined requests are
// answered in order because each is read only after the previous exchange finished.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/BodyRelay.hpp"
#include "proxy/RequestFields.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Destination.hpp"
#include "proxy/ForwardedResponseHead.hpp"
#include "proxy/Watchdog.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/ProxyRuntime.hpp"

namespace cproxy::proxy {

namespace http = beast::http;

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(asio::ip::tcp::socket socket, ThreadContext& thread, ProxyServices& services);
    ~Session();

    awaitable<void> run();
    // Shutdown: a connection waiting for its next request is closed now; a busy one
    // finishes its exchange and then closes.
    void close_if_idle();
    // The per-thread sweep: cancels this session's I/O once its deadline has passed.
    void check_deadline(Watchdog::Clock::time_point now);

private:
    struct Exchange;  // per-request state, defined in Session.cpp

    awaitable<bool> handle_request(Exchange& ex);
    // Returns a value when the gate answered the request itself (whether to keep the
    // connection), nullopt when the request may go on.
    awaitable<std::optional<bool>> authenticate(Exchange& ex);
    struct UpstreamConnection {
        error_code error;
        std::string tls_problem;  // why TLS failed (expired, unknown CA, wrong host), for the 502
        std::optional<AnyStream> stream;
    };
    awaitable<UpstreamConnection> connect_to(const Destination& destination);
    // A new upstream connection into `out`; or, when that fails, the 502/504 sent (whether
    // the client connection stays open).
    awaitable<std::optional<bool>> open_upstream(Exchange& ex, const Destination& destination,
                                                 std::optional<AnyStream>& out);
    awaitable<bool> forward(Exchange& ex, const Destination& destination);
    awaitable<RelayResult> send_request_with_body(Exchange& ex, AnyStream& upstream);
    awaitable<bool> pass_on_interim_response(Exchange& ex);  // false: the client went away
    // The head of a bodiless request as it goes upstream (hop-by-hop out, Via and X-Forwarded-* in).
    void write_upstream_head(Exchange& ex, std::string& out);
    awaitable<bool> connect_tunnel(Exchange& ex, const Destination& destination);
    // Writes a response of the proxy's own; returns whether the connection stays open.
    awaitable<bool> send_problem(Exchange& ex, const Problem& problem, bool keep_alive);
    // The same for pending_problem_. The hot coroutines set it in a statement of its own, so
    // that no Problem temporary lives across a suspension: each would take ~120 bytes of the
    // coroutine frame, which then outgrows Asio's frame recycling (1 KiB) and costs a
    // malloc and a free per exchange.
    awaitable<bool> send_pending_problem(Exchange& ex, bool keep_alive);
    bool set_pending_problem(std::optional<Problem> problem);  // true if there is one
    // Sets destination_: the upstream in reverse mode, the target's authority in forward
    // mode. False, with pending_problem_ set, when the request may not go anywhere.
    bool route_request(Exchange& ex);
    awaitable<bool> send_head_too_large(Exchange& ex);  // 431
    void check_response_head(Exchange& ex);  // runs the checker on raw_head_ once
    struct FastResponsePlan {
        ForwardedHead head;             // head_out_ holds the rewritten head
        bool keep = false;              // the client connection stays open
        bool bodiless = false;          // no body whatever the fields say (HEAD, 204, 304)
        std::uint64_t body_length = 0;  // Content-Length
    };
    // Checks the head in raw_head_ and rewrites it for the fast path; nullopt = general path.
    std::optional<FastResponsePlan> plan_fast_response(Exchange& ex);
    // The fast path for clean Content-Length responses; nullopt = use relay_response.
    awaitable<std::optional<bool>> try_fast_response(Exchange& ex, AnyStream& upstream, const std::string& key);
    awaitable<bool> relay_response(Exchange& ex, AnyStream& upstream, const std::string& key,
                                   error_code parse_error);
    awaitable<void> tunnel(AnyStream& upstream);
    awaitable<void> close_gracefully();
    void finish(Exchange& ex);
    std::span<char> scratch();
    // Whether bodies between the client and this upstream can go through splice (plain TCP both ways).
    bool can_splice(AnyStream& upstream) const { return !client_.is_tls() && !upstream.is_tls(); }
    void lend_buffers_back();
    // `bodiless`: the response had no content (HEAD, 204, 304); see UpstreamPool::give_back.
    void return_to_pool(const std::string& key, AnyStream& upstream, bool bodiless = false);
    void borrow_upstream_buffer();

    AnyStream client_;
    beast::flat_buffer client_buffer_;
    RequestArena request_arena_;       // the current request's fields; reset after each exchange
    beast::flat_buffer upstream_buffer_;
    std::unique_ptr<char[]> scratch_;  // body relay buffer, allocated on first body
    std::string raw_head_;             // upstream head as received (capacity reused)
    std::string head_out_;             // a head this proxy writes (capacity reused)
    Problem pending_problem_;          // see send_pending_problem
    const Destination* destination_ = nullptr;       // of the current exchange (route_request)
    std::optional<Destination> forward_destination_;  // forward mode: parsed from the target
    std::string client_address_;
    std::uint16_t client_port_ = 0;  // for the debug lines that pair a connection's open and close
    std::string upstream_authority_;  // Host for --no-preserve-host (reverse mode)
    std::string user_;  // authenticated proxy user of the current exchange (never the password)
    ThreadContext& thread_;
    ProxyServices& services_;
    std::list<Session*>::iterator registration_;
    bool idle_ = true;
    bool upstream_spoiled_ = false;  // the upstream answered mid-body: not to be pooled
    Watchdog watchdog_;
    asio::ip::tcp::socket* watched_upstream_ = nullptr;  // the upstream an expiry must cancel too
};

}  // namespace cproxy::proxy

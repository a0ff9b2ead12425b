#pragma once
// One client connection: the HTTP/1.1 loop of read request head, vet it, forward it, relay
// the response back — until either side closes. Pipelined requests are answered in order
// because each is read only after the previous exchange finished.
//
// The session conducts; the parts each live in their own file: RequestVetting (what the
// proxy refuses), UpstreamConnector (pool and new connections), ResponseRelay (checking and
// relaying the response), Tunnel (CONNECT and protocol switches).
#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/BodyRelay.hpp"
#include "proxy/Destination.hpp"
#include "proxy/Exchange.hpp"
#include "proxy/ForwardedRequestHead.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/ProxyRuntime.hpp"
#include "proxy/RelayBuffers.hpp"
#include "proxy/RequestFields.hpp"
#include "proxy/ResponseRelay.hpp"
#include "proxy/UpstreamConnector.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

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
    // Each returns whether the client connection stays open, or (Next) whether it answered.
    awaitable<bool> handle_request(Exchange& ex);
    // Parses and vets the head at the start of the client buffer, and takes it out of the
    // buffer. False, with pending_problem_ set, when the request is refused.
    bool accept_request_head(Exchange& ex, std::size_t head_length);
    awaitable<Next> authenticate(Exchange& ex);
    // Sets destination_ and rewrites an absolute-form target to origin-form. False, with
    // pending_problem_ set, when the request may not go anywhere.
    bool route(Exchange& ex);
    awaitable<bool> forward(Exchange& ex, const Destination& destination);
    // An upstream connection into `out` (`reused`: one another thread kept idle, or a new
    // one), or the 502/503/504 sent.
    awaitable<Next> open_upstream(Exchange& ex, const Destination& destination, std::optional<AnyStream>& out,
                                  bool& reused);
    // How the request's head changes on its way upstream (hop-by-hop out, Via and X-Forwarded-* in).
    ForwardedRequestOptions upstream_request_options(const Exchange& ex) const;
    awaitable<bool> connect_tunnel(Exchange& ex, const Destination& destination);
    // Writes a response of the proxy's own.
    awaitable<bool> send_problem(Exchange& ex, const Problem& problem, bool keep_alive);
    // The same for pending_problem_. The hot coroutines set it in a statement of its own, so
    // that no Problem temporary lives across a suspension: each would take ~120 bytes of the
    // coroutine frame, which then outgrows Asio's frame recycling (1 KiB) and costs a
    // malloc and a free per exchange.
    awaitable<bool> send_pending_problem(Exchange& ex, bool keep_alive) {
        return send_problem(ex, pending_problem_, keep_alive);
    }
    awaitable<void> close_gracefully();
    void finish(Exchange& ex);

    ThreadContext& thread_;
    ProxyServices& services_;
    AnyStream client_;
    beast::flat_buffer client_buffer_;
    RequestArena request_arena_;  // the current request's fields; reset after each exchange
    Watchdog watchdog_;
    asio::ip::tcp::socket* watched_upstream_ = nullptr;  // the upstream an expiry must cancel too
    RelayBuffers buffers_;
    UpstreamConnector connector_;
    ResponseRelay relay_;
    std::string request_head_out_;  // a bodiless request's head as it goes upstream (capacity reused)
    std::string request_head_in_;   // the request head as the client sent it, for the checker (capacity reused)
    Problem pending_problem_;       // see send_pending_problem
    const Destination* destination_ = nullptr;      // of the current exchange (route)
    std::optional<Destination> named_destination_;  // the one the target names (route)
    std::string client_address_;
    std::uint16_t client_port_ = 0;  // for the debug lines that pair a connection's open and close
    std::string upstream_authority_;  // Host for --no-preserve-host (reverse mode)
    std::string user_;  // authenticated proxy user of the current exchange (never the password)
    std::list<Session*>::iterator registration_;
    bool idle_ = true;
};

}  // namespace cproxy::proxy

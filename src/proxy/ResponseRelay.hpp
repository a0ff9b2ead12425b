#pragma once
// Takes the upstream's response head and gives the client the response: checked, rewritten
// as a proxy must (RFC 9110 §7.6), its body streamed in bounded buffers, and in enforce mode
// replaced by a 502 when it broke a requirement.
//
// Two paths. The fast one is for the common response, a clean head framed by Content-Length
// (or bodiless): the head is rewritten as text and the body goes through splice between
// plain sockets, or through one buffer, with no Beast parser and no allocation. Everything
// else (chunked, close-delimited, 1xx, 101, a head Beast must repair or refuses) takes the
// general path through Beast's parser and serializer.
#include <boost/beast/core/flat_buffer.hpp>
#include <optional>
#include <string>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/BodyRelay.hpp"
#include "proxy/Exchange.hpp"
#include "proxy/ForwardedResponseHead.hpp"
#include "proxy/HeadReader.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/ProxyRuntime.hpp"
#include "proxy/RelayBuffers.hpp"
#include "proxy/UpstreamConnector.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

class ResponseRelay {
public:
    // client_buffer: bytes the client sent past its request head (they go into a tunnel).
    ResponseRelay(AnyStream& client, beast::flat_buffer& client_buffer, RelayBuffers& buffers,
                  UpstreamConnector& connector, ThreadContext& thread, const ProxyServices& services,
                  Watchdog& watchdog)
        : client_(client), client_buffer_(client_buffer), buffers_(buffers), upstream_buffer_(buffers.upstream_buffer()),
          connector_(connector), thread_(thread), services_(services), watchdog_(watchdog) {}

    // Reads the upstream's next response head into the upstream buffer; completes with
    // (error, head length). Between plain sockets in reads of 16 KiB (nginx's
    // proxy_buffer_size), so that most of a large body stays in the socket for splice; under
    // TLS in reads of up to 64 KiB, so that a typical large response comes in with its head.
    auto read_head(AnyStream& upstream) {
        return async_read_raw_head(upstream, upstream_buffer_, services_.options.max_response_head_bytes,
                                   can_splice(upstream) ? splice_head_read : RelayBuffers::body_buffer_size,
                                   nothrow_awaitable);
    }
    // The 502 or 504 that tells the client why no response head came.
    Problem head_read_problem(const error_code& error, const std::string& key) const;
    // Moves the head that fills the first `length` bytes of the upstream buffer out of it.
    void take_head(std::size_t length);
    // The upstream's last response head, as received.
    const std::string& raw_head() const noexcept { return raw_head_; }

    // Relays the response whose head take_head took. continue_exchange: it was an interim
    // (1xx) response, passed on; the final one is still to come. The upstream connection
    // goes back to the pool when it can serve another request.
    awaitable<Next> relay(Exchange& ex, AnyStream& upstream, const std::string& key);

private:
    static constexpr std::size_t splice_head_read = 16 * 1024;
    struct FastPlan {
        ForwardedHead head;             // head_out_ holds the rewritten head
        bool keep = false;              // the client connection stays open
        bool bodiless = false;          // no body whatever the fields say (HEAD, 204, 304)
        std::uint64_t body_length = 0;  // Content-Length
    };
    // Checks the head and rewrites it for the fast path; nullopt = general path.
    std::optional<FastPlan> plan_fast(Exchange& ex);
    awaitable<Next> relay_general(Exchange& ex, AnyStream& upstream, const std::string& key);
    awaitable<bool> pass_on_interim_response(Exchange& ex);  // false: the client went away
    void check_head_once(Exchange& ex);
    // content_read: the body was read to its end (the captured content, if any, can be whole).
    void check_body(Exchange& ex, bool complete, std::uint64_t bytes_after_head = 0, bool content_read = false,
                    std::string_view trailer_section = {});
    awaitable<bool> send_problem(Exchange& ex, const Problem& problem);  // and close
    // Whether bodies between the client and this upstream can go through splice (plain TCP both ways).
    bool can_splice(AnyStream& upstream) const { return !client_.is_tls() && !upstream.is_tls(); }

    AnyStream& client_;
    beast::flat_buffer& client_buffer_;
    RelayBuffers& buffers_;
    beast::flat_buffer& upstream_buffer_;
    UpstreamConnector& connector_;
    ThreadContext& thread_;
    const ProxyServices& services_;
    Watchdog& watchdog_;
    std::string raw_head_;  // upstream head as received (capacity reused)
    std::string head_out_;  // the head written to the client on the fast path (capacity reused)
    // The content prefix for the content rules, active only for a response one of them wants
    // (Checker::wants_content): every other response is neither copied nor kept from splice.
    ContentCapture content_;
};

}  // namespace cproxy::proxy

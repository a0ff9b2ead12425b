// The prober's HTTP/1.1 client: one request per fresh connection (Connection: close), the
// response read as raw bytes so the checker sees the head exactly as the upstream wrote it.
// Bounded: the whole exchange must finish within the timeout and the response within
// max_bytes. Asio only (no Beast): nothing here needs a parser beyond where the response ends.
#include <boost/asio/connect.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <optional>

#include "conformance_proxy/check/head_summary.hpp"
#include "conformance_proxy/probe/Probe.hpp"

namespace cproxy::probe {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string request_bytes(const Upstream& upstream, const ProbeRequest& request) {
    std::string out = request.method + " " + request.target + " HTTP/1.1\r\nHost: " + upstream.host_field() +
                      "\r\nUser-Agent: conformance-proxy-probe\r\nAccept: */*\r\n";
    for (const auto& field : request.fields) out += field.name + ": " + field.value + "\r\n";
    out += "Connection: close\r\n\r\n";
    return out;
}

// Whether `raw` holds a whole final response (interim 1xx heads skipped); false while the
// body runs until the connection closes.
bool response_complete(std::string_view raw, std::string_view method) {
    for (;;) {
        const std::size_t head_length = check::find_head_end(raw);
        if (head_length == 0) return false;
        const auto summary = check::summarize_head(raw.substr(0, head_length));
        if (summary.status >= 100 && summary.status < 200 && summary.status != 101) {
            raw.remove_prefix(head_length);
            continue;
        }
        const std::string_view body = raw.substr(head_length);
        switch (check::body_framing(summary, method)) {
            case check::BodyFraming::none: return true;
            case check::BodyFraming::content_length: return body.size() >= summary.content_length;
            case check::BodyFraming::chunked: return body.ends_with("0\r\n\r\n");  // the last chunk, no trailers
            default: return false;
        }
    }
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const std::string& request, std::string_view method, std::string& out,
                               std::size_t max_bytes) {
    co_await asio::async_write(stream, asio::buffer(request), asio::use_awaitable);
    char buffer[16 * 1024];
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
        out.append(buffer, n);
        if (ec) co_return;  // EOF ends a close-delimited body
        if (out.size() >= max_bytes || response_complete(out, method)) co_return;
    }
}

}  // namespace

RawExchange send_request(const Upstream& upstream, const ProbeRequest& request, std::chrono::milliseconds timeout,
                         std::size_t max_bytes) {
    RawExchange result;
    result.request_head = request_bytes(upstream, request);
    asio::io_context io;
    tcp::socket socket(io);
    std::optional<asio::ssl::context> tls;
    std::optional<asio::ssl::stream<tcp::socket&>> tls_stream;
    if (upstream.scheme == "https") {
        tls.emplace(asio::ssl::context::tls_client);
        tls->set_default_verify_paths();
        tls->set_verify_mode(asio::ssl::verify_peer);
        tls_stream.emplace(socket, *tls);
        SSL_set_tlsext_host_name(tls_stream->native_handle(), upstream.host.c_str());
        tls_stream->set_verify_callback(asio::ssl::host_name_verification(upstream.host));
    }
    bool done = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            tcp::resolver resolver(io);
            const auto endpoints =
                co_await resolver.async_resolve(upstream.host, std::to_string(upstream.port), asio::use_awaitable);
            co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
            if (tls_stream) {
                co_await tls_stream->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
                co_await exchange(*tls_stream, result.request_head, request.method, result.response, max_bytes);
            } else {
                co_await exchange(socket, result.request_head, request.method, result.response, max_bytes);
            }
            done = true;
        },
        [&](std::exception_ptr error) {
            if (!error) return;
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                result.error = e.what();
            }
        });
    io.run_for(timeout);
    if (!io.stopped()) {  // the deadline passed: close, and let the operations unwind
        boost::system::error_code ignored;
        socket.close(ignored);
        io.run();
        if (result.error.empty() || !done) result.error = "no complete response within the timeout";
    }
    if (result.error.empty() && !response_complete(result.response, request.method) &&
        check::find_head_end(result.response) == 0)
        result.error = result.response.empty() ? "the connection closed without a response" : "an incomplete response head";
    return result;
}

}  // namespace cproxy::probe

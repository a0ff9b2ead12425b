#include "conformance_proxy/admin/AdminServer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "admin/AdminRoutes.hpp"
#include "conformance_proxy/report/Recorder.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/HttpDate.hpp"

namespace cproxy::admin {

namespace http = boost::beast::http;
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using proxy::awaitable;
using proxy::error_code;
using proxy::nothrow_awaitable;

namespace {

// Requests to the admin server are a request line and a few fields; anything bigger is not
// a browser or a scraper.
constexpr std::uint32_t max_header_bytes = 16 * 1024;
constexpr std::uint64_t max_body_bytes = 16 * 1024;

// The page renders its own inline CSS, SVG and polling script and needs nothing else.
constexpr std::string_view dashboard_csp =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string authority(const std::string& host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

http::response<http::string_body> to_beast(AdminResponse&& r, bool head, bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
    res.set(http::field::date, proxy::http_date_now());
    res.set(http::field::server, "conformance-proxy");
    res.set(http::field::content_type, r.content_type);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    if (r.dashboard) res.set("Content-Security-Policy", dashboard_csp);
    if (!r.allow.empty()) res.set(http::field::allow, r.allow);
    res.body() = std::move(r.body);
    res.prepare_payload();
    if (head) {
        const auto length = res.body().size();
        res.body().clear();
        res.content_length(length);
    }
    res.keep_alive(keep_alive);
    return res;
}

}  // namespace

struct AdminServer::Impl {
    AdminOptions options;
    AdminRouteContext context;
    std::size_t connections = 0;  // only touched on the admin thread; outlives io (coroutine frames)
    std::uint16_t bound_port = 0;
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    std::jthread thread;
    std::once_flag stopped;

    Impl(AdminOptions o, SnapshotSource source) : options(std::move(o)) {
        if (!source) throw std::invalid_argument("admin server: no snapshot source");
        context.snapshot = std::move(source);
        context.subject = options.subject;
        context.refresh_seconds = options.refresh_seconds;
        listen();
    }

    void listen() {
        const auto where = authority(options.host, options.port);
        try {
            tcp::resolver resolver(io);
            const auto results = resolver.resolve(options.host, std::to_string(options.port),
                                                  tcp::resolver::numeric_service | tcp::resolver::passive);
            const tcp::endpoint endpoint = *results.begin();
            acceptor.open(endpoint.protocol());
            acceptor.set_option(asio::socket_base::reuse_address(true));
            acceptor.bind(endpoint);
            acceptor.listen(asio::socket_base::max_listen_connections);
            bound_port = acceptor.local_endpoint().port();
        } catch (const boost::system::system_error& e) {
            throw std::runtime_error("admin server: cannot listen on " + where + ": " + e.code().message());
        }
    }

    awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(nothrow_awaitable);
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) continue;  // e.g. EMFILE: keep serving the connections we have
            if (connections >= options.max_connections) {
                error_code ignored;
                socket.close(ignored);
                continue;
            }
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }

    awaitable<void> serve(tcp::socket socket) {
        ++connections;
        struct Count {
            std::size_t& n;
            ~Count() { --n; }
        } count{connections};

        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(max_header_bytes);
            parser.body_limit(max_body_bytes);
            stream.expires_after(options.io_timeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow_awaitable);
            if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
                ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
                break;
            if (ec) {
                // Not a request we can answer: say so once, then close.
                auto problem = ec == http::error::header_limit
                                   ? admin_problem(431, "Request header fields too large",
                                                   "The admin server accepts request heads up to 16 KiB.")
                               : ec == http::error::body_limit
                                   ? admin_problem(413, "Content too large",
                                                   "The admin server accepts request bodies up to 16 KiB.")
                                   : admin_problem(400, "Bad request", "Could not read the request: " + ec.message());
                auto res = to_beast(std::move(problem), false, false);
                stream.expires_after(options.io_timeout);
                co_await http::async_write(stream, res, nothrow_awaitable);
                break;
            }
            const auto& req = parser.get();
            const bool keep_alive = req.keep_alive();
            auto res = to_beast(route_admin_request(req.method_string(), req.target(), context),
                                req.method() == http::verb::head, keep_alive);
            stream.expires_after(options.io_timeout);
            auto [wec, wn] = co_await http::async_write(stream, res, nothrow_awaitable);
            if (wec || !keep_alive) break;
        }
        error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream.socket().close(ignored);
    }

    void start() {
        asio::co_spawn(io, accept_loop(), asio::detached);
        thread = std::jthread([this] { io.run(); });
    }

    void stop() {
        std::call_once(stopped, [this] {
            // Abandoning the open connections is fine here: every response is no-store and a
            // dashboard simply shows "offline, retrying".
            io.stop();
            if (thread.joinable()) thread.join();
        });
    }
};

AdminServer::AdminServer(AdminOptions options, SnapshotSource source)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(source))) {
    impl_->start();
}

AdminServer::AdminServer(AdminOptions options, const report::Recorder& recorder)
    : AdminServer(std::move(options), SnapshotSource([&recorder] { return recorder.snapshot(); })) {}

namespace {
AdminOptions make_options(std::string host, std::uint16_t port, std::string subject) {
    AdminOptions options;
    options.host = std::move(host);
    options.port = port;
    options.subject = std::move(subject);
    return options;
}
}  // namespace

AdminServer::AdminServer(std::string host, std::uint16_t port, SnapshotSource source, std::string subject)
    : AdminServer(make_options(std::move(host), port, std::move(subject)), std::move(source)) {}

AdminServer::AdminServer(std::string host, std::uint16_t port, const report::Recorder& recorder, std::string subject)
    : AdminServer(make_options(std::move(host), port, std::move(subject)), recorder) {}

AdminServer::~AdminServer() { stop(); }

void AdminServer::stop() { impl_->stop(); }

std::uint16_t AdminServer::port() const noexcept { return impl_->bound_port; }

const std::string& AdminServer::host() const noexcept { return impl_->options.host; }

std::string AdminServer::url() const { return "http://" + authority(impl_->options.host, port()) + "/"; }

}  // namespace cproxy::admin

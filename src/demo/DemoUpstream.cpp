#include "conformance_proxy/demo/DemoUpstream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "proxy/Awaitable.hpp"
#include "proxy/HttpDate.hpp"

namespace cproxy::demo {

namespace http = boost::beast::http;
using proxy::awaitable;
using proxy::nothrow_awaitable;
using proxy::error_code;
namespace asio = boost::asio;
namespace beast = boost::beast;

const std::vector<DemoEndpoint>& demo_endpoints() {
    static const std::vector<DemoEndpoint> endpoints = {
        {"GET", "/", "index of the demo (conformant)"},
        {"GET", "/api/items", "JSON list (conformant)"},
        {"GET", "/api/items/7", "JSON item (conformant)"},
        {"DELETE", "/api/items/7", "405 without Allow", "405-missing-allow"},
        {"GET", "/admin", "401 without a challenge", "401-missing-www-authenticate"},
        {"GET", "/login", "401 with realm as a token", "realm-not-quoted"},
        {"POST", "/upload", "413 without Retry-After", "413-missing-retry-after"},
        {"GET", "/old-page", "302 without Location", "redirect-missing-location"},
        {"GET", "/csrf", "Laravel's 419", "status-code-unregistered"},
        {"GET", "/busy", "503 without Retry-After", "retry-after-missing"},
        {"GET", "/nodate", "200 without Date", "date-missing"},
        {"GET", "/api/profile", "an ETag without its double quotes", "etag-syntax"},
        {"GET", "/session", "a SameSite=None cookie without Secure", "set-cookie-samesite-none-insecure"},
        {"GET", "/api/public", "CORS: any origin, with credentials", "cors-credentials-with-wildcard-origin"},
        {"GET", "/static/app.js", "Cache-Control: no-store beside a lifetime", "cache-control-no-store-conflict"},
        {"GET", "/health", "plain-text health check (conformant)"},
    };
    return endpoints;
}

namespace {

using Response = http::response<http::string_body>;

Response make(http::status status, std::string_view content_type, std::string body, bool date = true) {
    Response res{status, 11};
    if (date) res.set(http::field::date, proxy::http_date_now());
    res.set(http::field::server, "conformance-proxy-demo");
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    // Beast's prepare_payload writes "Content-Length: 0" on a 204, which RFC 9110 §8.6 forbids:
    // the demo would then draw a finding it does not announce.
    if (status != http::status::no_content) res.prepare_payload();
    return res;
}

std::string index_page() {
    std::string html =
        "<!doctype html><title>conformance-proxy demo</title><h1>conformance-proxy demo upstream</h1>"
        "<p>Each endpoint below is served through the proxy; the broken ones produce findings.</p><ul>";
    for (const auto& e : demo_endpoints())
        html += "<li><code>" + e.method + " " + e.path + "</code> &mdash; " + e.description +
                (e.rule.empty() ? "" : " (" + e.rule + ")") + "</li>";
    return html + "</ul>\n";
}

Response route(const http::request<http::string_body>& req) {
    const auto target = req.target();
    const auto path = target.substr(0, target.find('?'));
    const auto method = req.method();
    const bool get = method == http::verb::get || method == http::verb::head;
    if (path == "/" && get) return make(http::status::ok, "text/html; charset=utf-8", index_page());
    if (path == "/api/items" && get)
        return make(http::status::ok, "application/json", R"([{"id":7,"name":"teapot"},{"id":8,"name":"kettle"}])");
    if (path == "/api/items/7") {
        if (get) return make(http::status::ok, "application/json", R"({"id":7,"name":"teapot"})");
        return make(http::status::method_not_allowed, "application/json", R"({"error":"method not allowed"})");
    }
    if (path == "/admin") return make(http::status::unauthorized, "application/json", R"({"error":"login required"})");
    if (path == "/login") {
        auto res = make(http::status::unauthorized, "text/plain", "credentials required\n");
        res.set(http::field::www_authenticate, "Basic realm=demo");
        return res;
    }
    if (path == "/upload") return make(http::status::payload_too_large, "text/plain", "too large\n");
    if (path == "/old-page") return make(http::status::found, "text/plain", "moved\n");
    if (path == "/csrf") return make(static_cast<http::status>(419), "text/plain", "page expired\n");
    if (path == "/busy") return make(http::status::service_unavailable, "text/plain", "busy, try later\n");
    if (path == "/nodate") return make(http::status::ok, "text/plain", "no clock here\n", false);
    if (path == "/api/profile" && get) {
        auto res = make(http::status::ok, "application/json", R"({"name":"ada"})");
        res.set(http::field::etag, "5f3c1a2b-1a4");
        return res;
    }
    if (path == "/session" && get) {
        auto res = make(http::status::no_content, "", "");
        res.set(http::field::set_cookie, "sid=31d4d96e407aad42; Path=/; HttpOnly; SameSite=None");
        return res;
    }
    if (path == "/api/public" && get) {
        auto res = make(http::status::ok, "application/json", R"({"motd":"hello"})");
        res.set(http::field::access_control_allow_origin, "*");
        res.set(http::field::access_control_allow_credentials, "true");
        return res;
    }
    if (path == "/static/app.js" && get) {
        auto res = make(http::status::ok, "text/javascript; charset=utf-8", "console.log('demo');\n");
        res.set(http::field::cache_control, "no-store, max-age=31536000");
        return res;
    }
    if (path == "/health" && get) return make(http::status::ok, "text/plain", "ok\n");
    return make(http::status::not_found, "application/json", R"({"error":"not found"})");
}

awaitable<void> serve(asio::ip::tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        stream.expires_after(std::chrono::seconds(60));
        auto [ec, n] = co_await http::async_read(stream, buffer, req, nothrow_awaitable);
        if (ec) break;
        auto res = route(req);
        res.keep_alive(req.keep_alive());
        if (req.method() == http::verb::head) {
            const auto length = res.body().size();
            res.body().clear();
            res.content_length(length);
        }
        auto [wec, wn] = co_await http::async_write(stream, res, nothrow_awaitable);
        if (wec || !req.keep_alive()) break;
    }
    error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace


struct DemoUpstream::Impl {
    asio::io_context io{1};
    asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
    std::jthread thread;

    awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(nothrow_awaitable);
            if (ec) co_return;
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }
};

DemoUpstream::DemoUpstream() : impl_(std::make_unique<Impl>()) {
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    impl_->thread = std::jthread([this] { impl_->io.run(); });
}

DemoUpstream::~DemoUpstream() {
    impl_->io.stop();
    impl_->thread.join();
}

std::uint16_t DemoUpstream::port() const noexcept { return impl_->acceptor.local_endpoint().port(); }

}  // namespace cproxy::demo

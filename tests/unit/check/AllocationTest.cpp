// check_head on a clean, typical head must not touch the heap: it runs for every response
// on the proxy's I/O threads. Counted with replaced global operator new/delete.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/head_summary.hpp"

namespace {
std::atomic<std::size_t> allocation_count{0};

void* counted_allocate(std::size_t size) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* memory = std::malloc(size ? size : 1)) return memory;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return counted_allocate(size); }
void* operator new[](std::size_t size) { return counted_allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size ? size : 1);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }

using namespace cproxy::check;

namespace {
std::size_t allocations_during_check(const Checker& checker, const std::string& head,
                                     const RequestContext& request) {
    Findings findings;
    const std::size_t before = allocation_count.load();
    checker.check_head(head, request, findings);
    const std::size_t after = allocation_count.load();
    CHECK(findings.empty());
    return after - before;
}
}  // namespace

TEST_CASE("a clean typical head costs no heap allocation") {
    const Checker checker;
    const RequestContext get{"GET", "/api/items/7", true};

    const std::string json_200 =
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Server: nginx\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 1432\r\n"
        "Connection: keep-alive\r\n"
        "Cache-Control: private, max-age=60\r\n"
        "ETag: \"33a64df551425fcc55e4d42a148795d9f25f89d4\"\r\n"
        "Last-Modified: Sat, 05 Nov 1994 08:49:37 GMT\r\n"
        "Vary: Accept-Encoding\r\n"
        "X-Request-Id: 4f3c2e1a-9b8d-4c7e-a6f5-0123456789ab\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, json_200, get) == 0);

    const std::string unauthorized =
        "HTTP/1.1 401 Unauthorized\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "WWW-Authenticate: Basic realm=\"api\", charset=\"UTF-8\", Bearer realm=\"api\"\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, unauthorized, get) == 0);

    const std::string redirect =
        "HTTP/1.1 301 Moved Permanently\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Location: https://example.com/new/place?x=1\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, redirect, get) == 0);

    // CORS and browser security fields, with the client's request head known.
    const std::string preflight_request =
        "OPTIONS /api/items/7 HTTP/1.1\r\n"
        "Host: api.example\r\n"
        "Origin: https://app.example\r\n"
        "Access-Control-Request-Method: PUT\r\n"
        "Access-Control-Request-Headers: content-type, authorization\r\n"
        "\r\n";
    const RequestContext preflight{"OPTIONS", "/api/items/7", true, preflight_request};
    const std::string preflight_204 =
        "HTTP/1.1 204 No Content\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Access-Control-Allow-Origin: https://app.example\r\n"
        "Access-Control-Allow-Credentials: true\r\n"
        "Access-Control-Allow-Methods: GET, PUT, DELETE\r\n"
        "Access-Control-Allow-Headers: Content-Type, Authorization\r\n"
        "Access-Control-Max-Age: 600\r\n"
        "Vary: Origin\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, preflight_204, preflight) == 0);

    const std::string html_200 =
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Server: Apache (Ubuntu)\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Length: 5120\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "X-Frame-Options: SAMEORIGIN\r\n"
        "Referrer-Policy: strict-origin-when-cross-origin\r\n"
        "Cross-Origin-Resource-Policy: same-site\r\n"
        "Content-Security-Policy: default-src 'self'; script-src 'self' https://cdn.example; "
        "img-src * data:; frame-ancestors 'none'\r\n"
        "X-XSS-Protection: 0\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, html_200, get) == 0);

    const std::size_t before = allocation_count.load();
    const auto summary = summarize_head(json_200);
    CHECK(allocation_count.load() == before);
    CHECK(summary.content_length == 1432);
}

TEST_CASE("a clean head with every caching field costs no heap allocation") {
    const Checker checker;
    const RequestContext get{"GET", "/static/app.css", true};
    const std::string cached =
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Content-Type: text/css\r\n"
        "Content-Length: 1432\r\n"
        "Cache-Control: public, max-age=31536000, immutable, stale-while-revalidate=60\r\n"
        "Cache-Control: private=\"Set-Cookie, Authorization\", no-cache=\"X-A\"\r\n"
        "Expires: Mon, 06 Nov 1995 08:49:37 GMT\r\n"
        "Age: 30\r\n"
        "Vary: Accept-Encoding, Origin\r\n"
        "Vary: Accept-Language\r\n"
        "Cache-Status: ReverseProxyCache; hit, \"CDN Cache\"; fwd=uri-miss; stored; ttl=30\r\n"
        "Cache-Status: OriginCache; fwd=stale\r\n"
        "CDN-Cache-Control: max-age=600, stale-if-error=3600\r\n"
        "Cross-Origin-Opener-Policy: same-origin; report-to=\"coop\"\r\n"
        "Cross-Origin-Embedder-Policy-Report-Only: require-corp\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, cached, get) == 0);
}

TEST_CASE("the counter does see allocations (the test is not vacuous)") {
    const std::size_t before = allocation_count.load();
    Findings findings;
    Checker{}.check_head("HTTP/1.1 200 OK\r\n\r\n", RequestContext{"GET", "/", true}, findings);
    CHECK(allocation_count.load() > before);  // date-missing was emitted with a message
}

TEST_CASE("a clean head with cookies, HSTS and connection fields costs no heap allocation") {
    const Checker checker;
    const RequestContext get{"GET", "/login", true};
    const std::string login =
        "HTTP/1.1 200 OK\r\n"
        "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        "Server: Apache (Unix)\r\n"
        "Via: 1.1 varnish (Varnish/7.4), 1.1 edge.example:8080\r\n"
        "Connection: keep-alive\r\n"
        "Keep-Alive: timeout=5, max=100\r\n"
        "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\n"
        "Set-Cookie: __Host-sid=31d4d96e407aad42; Path=/; Secure; HttpOnly; SameSite=Lax\r\n"
        "Set-Cookie: lang=en-US; Expires=Wed, 09 Jun 1995 10:18:14 GMT; Domain=example.com; Path=/\r\n"
        "Set-Cookie: csrf=\"abc\"; Max-Age=3600; Secure; SameSite=None; Partitioned\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Transfer-Encoding: chunked\r\n"
        "Trailer: Server-Timing\r\n"
        "\r\n";
    CHECK(allocations_during_check(checker, login, get) == 0);
}

// Requests RFC 9112 says a server must refuse or read in a particular way, which Beast's
// parser lets through or refuses wrongly: a long request line (414, not 431), malformed
// chunked bodies (one of which used to stall the exchange), trailer fields, HTTP/1.2, and
// fields that smuggle by name. Refused head shapes are rows of SmugglingTest's table.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "integration/support/ProblemChecks.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;
using namespace std::string_literals;

namespace {

const std::string host = "Host: example.test\r\n";

// A chunked body that goes wrong (perhaps after the head went upstream): a prompt 400 and a
// close for the client, and the upstream never gets a complete request.
void expect_body_refused(std::uint16_t port, ScriptedUpstream& upstream, const std::string& request) {
    RawClient client(port);
    client.send(request);
    const auto started = Clock::now();
    const auto response = client.read_response(std::chrono::seconds(5));
    REQUIRE_MESSAGE(response, "no response within 5 s: the exchange stalled");
    CHECK(Clock::now() - started < std::chrono::seconds(3));
    check_problem_response(*response, 400);
    CHECK_MESSAGE(client.closed_by_peer(std::chrono::seconds(5)), "the proxy kept the connection open");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // what was forwarded has arrived
    for (const auto& seen : upstream.requests()) CHECK_FALSE(seen.body.complete);
}

}  // namespace

TEST_SUITE("strict requests") {

TEST_CASE("a long target is 414 and long fields 431, not the same answer") {
    ScriptedUpstream upstream(http_response(200, "forwarded"));
    ProxyProcess proxy({"--upstream", upstream.url(), "--max-header-size", "4KiB"});
    expect_refused(proxy.port(), "GET /" + std::string(8000, 'a') + " HTTP/1.1\r\n" + host + "\r\n", 414);
    expect_refused(proxy.port(), "GET / HTTP/1.1\r\n" + host + "X-A: " + std::string(8000, 'a') + "\r\n\r\n", 431);
    CHECK(upstream.requests().empty());
}

TEST_CASE("malformed chunked bodies end in a prompt 400 and a close, never a stall") {
    ScriptedUpstream upstream(http_response(200, "forwarded"));
    ProxyProcess proxy({"--upstream", upstream.url(), "--max-chunk-extension-size", "4KiB"});
    const std::string head = "POST /s HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n";
    SUBCASE("the last chunk followed by a bare LF") { expect_body_refused(proxy.port(), upstream, head + "5\r\nhello\r\n0\r\n\n"); }
    SUBCASE("a bare LF after chunk data") { expect_body_refused(proxy.port(), upstream, head + "5\r\nhello\n0\r\n\r\n"); }
    SUBCASE("a 64 KiB chunk extension") {
        expect_body_refused(proxy.port(), upstream, head + "5;x=" + std::string(64 * 1024, 'a') + "\r\nhello\r\n0\r\n\r\n");
    }
}

TEST_CASE("a chunked request's trailer section never changes its framing") {
    ScriptedUpstream upstream(http_response(200, "forwarded"));
    ProxyProcess proxy({"--upstream", upstream.url()});
    RawClient client(proxy.port());
    client.send("POST /s HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n6\r\nhello!\r\n0\r\n"
                "Content-Length: 6\r\nX-Checksum: 1\r\n\r\n");
    const auto response = client.read_response(std::chrono::seconds(5));
    REQUIRE(response);
    CHECK(response->status == 200);
    REQUIRE(upstream.wait_for_requests(1, std::chrono::seconds(5)));
    CHECK(upstream.request(0).body.complete);
    CHECK(upstream.request(0).body.bytes == "hello!");
}

// The refused Host values, targets and methods are rows of SmugglingTest's table; these
// borderline ones are forwarded, as the upstream should see them.
TEST_CASE("a percent-encoded target is forwarded as it came; HTTP/1.2 as HTTP/1.1 (RFC 9112 §2.3)") {
    struct Case {
        std::string request;
        std::string upstream_line;
    };
    const Case cases[] = {
        {"GET /caf%C3%A9?q=%C0%AF HTTP/1.1\r\n" + host + "\r\n", "GET /caf%C3%A9?q=%C0%AF HTTP/1.1"},
        {"GET /s HTTP/1.2\r\n" + host + "\r\n", "GET /s HTTP/1.1"},
    };
    ScriptedUpstream upstream(http_response(200, "forwarded"));
    ProxyProcess proxy({"--upstream", upstream.url()});
    for (std::size_t i = 0; i < std::size(cases); ++i) {
        CAPTURE(cases[i].request);
        RawClient client(proxy.port());
        client.send(cases[i].request);
        const auto response = client.read_response(std::chrono::seconds(5));
        REQUIRE(response);
        CHECK(response->head.start_line.rfind("HTTP/1.1 200 ", 0) == 0);
        REQUIRE(upstream.wait_for_requests(i + 1, std::chrono::seconds(5)));
        CHECK(upstream.request(i).head.start_line == cases[i].upstream_line);
    }
}

TEST_CASE("fields named with an underscore are dropped by default and forwarded on request") {
    ScriptedUpstream upstream(http_response(200, "forwarded"));
    const std::string request = "POST /s HTTP/1.1\r\n" + host + "Content-Length: 5\r\nContent_Length: 0\r\n"
                                "Transfer_Encoding: chunked\r\nX_Api_Key: k\r\nX-Kept: 1\r\n\r\nhello";
    SUBCASE("default: dropped, with a debug line naming them (not their values)") {
        ProxyProcess proxy({"--upstream", upstream.url(), "--log-level", "debug"});
        RawClient client(proxy.port());
        client.send(request);
        const auto response = client.read_response(std::chrono::seconds(5));
        REQUIRE(response);
        CHECK(response->status == 200);
        REQUIRE(upstream.wait_for_requests(1, std::chrono::seconds(5)));
        const auto seen = upstream.request(0);
        CHECK_FALSE(seen.head.has("Content_Length"));
        CHECK_FALSE(seen.head.has("Transfer_Encoding"));
        CHECK_FALSE(seen.head.has("X_Api_Key"));
        CHECK(seen.head.value("X-Kept") == "1");
        CHECK(seen.body.bytes == "hello");
        CHECK(proxy.wait_for_stderr("Content_Length, Transfer_Encoding, X_Api_Key", std::chrono::seconds(5)));
    }
    SUBCASE("--forward-underscore-fields: forwarded") {
        ProxyProcess proxy({"--upstream", upstream.url(), "--forward-underscore-fields"});
        RawClient client(proxy.port());
        client.send(request);
        REQUIRE(client.read_response(std::chrono::seconds(5)));
        REQUIRE(upstream.wait_for_requests(1, std::chrono::seconds(5)));
        CHECK(upstream.request(0).head.value("X_Api_Key") == "k");
    }
}

}  // TEST_SUITE

// The proxy's limits and the upstream's faults, each answered with the status the spec
// names (431, 413, 408, 502, 504) as an RFC 9457 problem, and a proxy that keeps serving
// after a client vanishes mid-body.
#include <doctest/doctest.h>

#include <string>

#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/ProblemChecks.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;

namespace {

// Sends `request` and expects the proxy's problem `status` after about one second: the
// 1 s timeout under test (not sooner, and well before the 5 s read bound).
void expect_problem_after_timeout(RawClient& client, const std::string& request, int status) {
    const auto started = Clock::now();
    client.send(request);
    const auto response = client.read_response(std::chrono::seconds(5));
    const auto waited = Clock::now() - started;
    REQUIRE(response);
    check_problem_response(*response, status);
    CHECK(waited >= std::chrono::milliseconds(900));
    CHECK(waited < std::chrono::seconds(4));
}

Reply echo_sha(const ReceivedRequest& request) { return Reply::bytes(http_response(200, request.body.sha256)); }

}  // namespace

TEST_SUITE("limits and faults") {

TEST_CASE("limits: 431, chunked 413 and 408 as problem responses, and the upstream never sees the request") {
    ScriptedUpstream upstream(http_response(200, "should not be reached"));
    ProxyProcess proxy({"--upstream", upstream.url(), "--max-header-size", "1024", "--max-body-size", "1000",
                        "--client-header-timeout", "1"});
    RawClient client(proxy.port());

    SUBCASE("request head over --max-header-size -> 431 and close") {
        client.send("GET / HTTP/1.1\r\nHost: example.test\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
        const auto response = client.read_response();
        REQUIRE(response);
        check_problem_response(*response, 431);
        CHECK(client.closed_by_peer(std::chrono::seconds(5)));
    }
    SUBCASE("chunked body over --max-body-size -> 413") {
        const std::string chunk = "258\r\n" + std::string(600, 'c') + "\r\n";  // 600 bytes
        client.send("POST / HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk +
                    chunk + "0\r\n\r\n");
        const auto response = client.read_response();
        REQUIRE(response);
        check_problem_response(*response, 413);
        CHECK(client.closed_by_peer(std::chrono::seconds(5)));
        CHECK(upstream.wait_for_idle(std::chrono::seconds(5)));  // the proxy dropped its upstream side
    }
    SUBCASE("half a head, then silence past --client-header-timeout 1 -> 408 and close") {
        expect_problem_after_timeout(client, "GET /slow HTTP/1.1\r\nHost: exam", 408);
        CHECK(client.closed_by_peer(std::chrono::seconds(5)));
    }
    // The head of a chunked request may have gone ahead of its body, but never a whole request.
    for (const auto& request : upstream.requests()) CHECK_FALSE(request.body.complete);
    CHECK(proxy.running());
}

// Regression (fixed): Session::handle_request answers 400 "body limit exceeded" instead of 413. Beast's
// parser checks Content-Length against body_limit() in finish_header(), so async_read_header
// fails with http::error::body_limit, which falls through to the generic 400; the explicit
// 413 check after the head is never reached. Fix: map http::error::body_limit from the head
// read to the 413 problem.
TEST_CASE("limits: Content-Length over --max-body-size -> 413, answered before the body") {
    ScriptedUpstream upstream(http_response(200, "should not be reached"));
    ProxyProcess proxy({"--upstream", upstream.url(), "--max-body-size", "1000"});
    RawClient client(proxy.port());
    client.send("POST / HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5000\r\n\r\n");
    const auto response = client.read_response();
    REQUIRE(response);
    check_problem_response(*response, 413);
    client.send(std::string(5000, 'b'));  // a client that sends anyway is read off, not reset
    CHECK(client.closed_by_peer(std::chrono::seconds(5)));
    CHECK(upstream.requests().empty());
}

TEST_CASE("upstream faults: refused, reset or unparsable -> 502, too slow -> 504") {
    SUBCASE("refused: nothing listens on the upstream port -> 502, and the connection stays usable") {
        ReservedPort nothing_there;
        ProxyProcess proxy({"--upstream", loopback_url(nothing_there.port())});
        RawClient client(proxy.port());
        for (int round = 0; round < 2; ++round) {
            client.send("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");
            const auto response = client.read_response();
            REQUIRE(response);
            check_problem_response(*response, 502);
        }
    }
    SUBCASE("reset: the upstream reads the request and closes with RST -> 502") {
        ScriptedUpstream upstream([](const ReceivedRequest&) { return Reply::nothing(Reply::After::reset); });
        ProxyProcess proxy({"--upstream", upstream.url()});
        RawClient client(proxy.port());
        client.send("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");
        const auto response = client.read_response();
        REQUIRE(response);
        check_problem_response(*response, 502);
        CHECK(upstream.requests().size() >= 1);
    }
    // The 502's problem body for an upstream that answers with `raw_reply`.
    const auto problem_body_for = [](std::string raw_reply) {
        ScriptedUpstream upstream(std::move(raw_reply));
        ProxyProcess proxy({"--upstream", upstream.url()});
        RawClient client(proxy.port());
        client.send("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");
        const auto response = client.read_response();
        REQUIRE(response);
        check_problem_response(*response, 502);
        return response->body.bytes;
    };
    SUBCASE("a head line ending in a bare LF -> 502 that says so") {
        const auto body = problem_body_for("HTTP/1.1 200 OK\r\nContent-Type: text/plain\nContent-Length: 2\r\n\r\nok");
        CHECK(body.find("ends in a bare LF") != std::string::npos);
    }
    SUBCASE("a head the proxy cannot parse for another reason -> 502 that does not blame line ends") {
        const auto body = problem_body_for("HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok");
        CHECK(body.find("bare LF") == std::string::npos);
    }
    SUBCASE("too slow: the upstream reads the request and never answers -> 504 after --upstream-timeout 1") {
        ScriptedUpstream upstream([](const ReceivedRequest&) { return Reply::nothing(Reply::After::hang); });
        ProxyProcess proxy({"--upstream", upstream.url(), "--upstream-timeout", "1"});
        RawClient client(proxy.port());
        expect_problem_after_timeout(client, "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n", 504);
        // The timed-out upstream connection is closed, not pooled.
        CHECK(upstream.wait_for_idle(std::chrono::seconds(5)));
    }
}

TEST_CASE("a client that vanishes mid-body does not stop the proxy serving the next one") {
    ScriptedUpstream upstream(echo_sha);
    ProxyProcess proxy({"--upstream", upstream.url()});
    const std::string body(100000, 'd');

    std::size_t requests = 0;
    for (const bool reset : {false, true}) {
        CAPTURE(reset);
        {
            RawClient leaver(proxy.port());
            leaver.send("POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body.substr(0, body.size() / 2));
            REQUIRE(upstream.wait_for_heads(requests + 1, std::chrono::seconds(5)));  // mid-exchange now
            if (reset)
                leaver.abort();
            else
                leaver.close();
        }
        // The proxy gives up the upstream side too: the upstream sees the body break off.
        REQUIRE(upstream.wait_for_requests(++requests, std::chrono::seconds(5)));
        CHECK_FALSE(upstream.requests().back().body.complete);
        CHECK(upstream.requests().back().body.size < body.size());

        RawClient next(proxy.port());
        next.send("POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Length: 5\r\n\r\nhello");
        const auto response = next.read_response();
        REQUIRE(response);
        CHECK(response->status == 200);
        CHECK(response->body.bytes == sha256_hex("hello"));
        ++requests;
    }
    CHECK(proxy.running());
    CHECK(proxy.stop() == 0);
}

}  // TEST_SUITE

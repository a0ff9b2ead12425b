// The responses the proxy writes itself must pass its own checker: each one is provoked for
// real, captured byte for byte by a raw client, and fed with its request to
// `conformance-proxy lint -`, which must find nothing at all (--fail-on info).
#include <doctest/doctest.h>

#include <algorithm>

#include <string>

#include "integration/support/ProblemChecks.hpp"
#include "integration/support/ProxyExchange.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;

namespace {

struct Provoked {
    std::string request;   // the request line, as the checker's context
    HttpResponse response;
};

Provoked provoke(std::uint16_t proxy_port, const std::string& request, std::string_view more = {}) {
    RawClient client(proxy_port);
    client.send(request);
    if (!more.empty()) client.send(more);
    auto response = client.read_response(std::chrono::seconds(5), request.rfind("HEAD ", 0) == 0);
    REQUIRE(response);
    // The checker's context is the request line: a whole head would make lint expect its body.
    return {request.substr(0, request.find("\r\n")) + "\r\n\r\n", std::move(*response)};
}

void check_passes_lint(const Provoked& provoked, int status) {
    check_problem_response(provoked.response, status);
    const std::string capture = provoked.request + provoked.response.head.raw + provoked.response.body.wire;
    const auto lint = run_command({proxy_binary(), "lint", "-", "--fail-on", "info"}, std::chrono::seconds(10), capture);
    INFO("capture:\n" << capture << "\nlint stdout:\n" << lint.out << "\nlint stderr:\n" << lint.err);
    CHECK(lint.exit_status == 0);
    CHECK(lint.out.empty());
}

}  // namespace

TEST_SUITE("own responses") {

TEST_CASE("400, 408, 431, 502 and 504 written by the proxy pass its own checker") {
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        if (request.target == "/hang") return Reply::nothing(Reply::After::hang);
        if (request.target == "/reset") return Reply::nothing(Reply::After::reset);
        if (request.target == "/garbage") return Reply::bytes("HTTP/1.1 600 Nope\r\nX Bad: 1\r\n\r\n", Reply::After::close);
        return Reply::bytes(http_response(200, "ok"));
    });
    ProxyProcess proxy({"--upstream", upstream.url(), "--max-header-size", "1024", "--max-body-size", "100",
                        "--client-header-timeout", "1", "--upstream-timeout", "1"});
    const auto port = proxy.port();

    SUBCASE("400: HTTP/1.1 request without Host") {
        check_passes_lint(provoke(port, "GET / HTTP/1.1\r\n\r\n"), 400);
    }
    SUBCASE("408: head too slow") {
        check_passes_lint(provoke(port, "GET / HTTP/1.1\r\nHost: exa"), 408);
    }
    SUBCASE("431: head too large") {
        check_passes_lint(
            provoke(port, "GET / HTTP/1.1\r\nHost: example.test\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n"), 431);
    }
    SUBCASE("502: upstream reset") {
        check_passes_lint(provoke(port, "GET /reset HTTP/1.1\r\nHost: example.test\r\n\r\n"), 502);
    }
    SUBCASE("502: upstream response that is not HTTP") {
        check_passes_lint(provoke(port, "GET /garbage HTTP/1.1\r\nHost: example.test\r\n\r\n"), 502);
    }
    SUBCASE("504: upstream too slow") {
        check_passes_lint(provoke(port, "GET /hang HTTP/1.1\r\nHost: example.test\r\n\r\n"), 504);
    }
    SUBCASE("502 to HEAD: fields without content") {
        const auto provoked = provoke(port, "HEAD /reset HTTP/1.1\r\nHost: example.test\r\n\r\n");
        CHECK(provoked.response.status == 502);
        CHECK(provoked.response.head.value("Content-Type") == "application/problem+json");
        CHECK(provoked.response.body.size == 0);
        const auto lint = run_command({proxy_binary(), "lint", "-", "--fail-on", "info"}, std::chrono::seconds(10),
                                      provoked.request + provoked.response.head.raw);
        INFO(lint.out << lint.err);
        CHECK(lint.exit_status == 0);
    }
}

// RULES.md: the proxy's own 413 may draw 413-missing-retry-after at info and nothing else (its
// size limit is not temporary, so no Retry-After is owed).
TEST_CASE("413 written by the proxy passes its own checker, but for the info on Retry-After") {
    ScriptedUpstream upstream(http_response(200, "ok"));
    ProxyProcess proxy({"--upstream", upstream.url(), "--max-body-size", "100"});
    const std::string chunk = "64\r\n" + std::string(100, 'c') + "\r\n";  // 100 bytes
    const auto provoked = provoke(proxy.port(), "POST / HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n",
                                  chunk + chunk + "0\r\n\r\n");
    check_problem_response(provoked.response, 413);
    const std::string capture = provoked.request + provoked.response.head.raw + provoked.response.body.wire;
    const auto at_warning = run_command({proxy_binary(), "lint", "-", "--fail-on", "warning"}, std::chrono::seconds(10), capture);
    INFO("capture:\n" << capture << "\nlint:\n" << at_warning.out << at_warning.err);
    CHECK(at_warning.exit_status == 0);
    // The only finding is the info, and it names both cases.
    CHECK(at_warning.out.find("[info] 413-missing-retry-after") != std::string::npos);
    CHECK(at_warning.out.find("fixed size limit") != std::string::npos);
    CHECK(std::count(at_warning.out.begin(), at_warning.out.end(), '\n') == 1);
}

TEST_CASE("enforce mode: a non-conformant response is replaced by a 502 problem naming the rule, which passes") {
    ExchangeOptions options;
    options.proxy_args = {"--mode", "enforce"};
    const auto result = run_exchange_through_proxy(
        "HTTP/1.1 405 Method Not Allowed\r\nDate: Sun, 22 Nov 2026 10:00:00 GMT\r\nContent-Type: text/plain\r\n"
        "Content-Length: 4\r\n\r\nnope",
        "DELETE /items/7 HTTP/1.1\r\nHost: example.test\r\n\r\n", options);
    REQUIRE(result.response);
    check_passes_lint({"DELETE /items/7 HTTP/1.1\r\n\r\n", *result.response}, 502);
    CHECK(result.response->body.bytes.find("405-missing-allow") != std::string::npos);
    CHECK(result.has_finding("405-missing-allow"));  // replaced for the client, still recorded
    CHECK(result.proxy_exit == 0);
}

}  // TEST_SUITE

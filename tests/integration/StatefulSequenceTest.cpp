// The stateful rules through the live proxy: an upstream answers step by step, a client sends
// a sequence (each request on a fresh connection: state belongs to the resource, not the
// connection), and the findings file names the later exchange and the earlier one it contradicts.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "integration/support/FindingsFile.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;
using namespace std::chrono_literals;

namespace {

const std::string D = "Date: Sun, 22 Nov 2026 10:00:00 GMT\r\n";

struct Run {
    TempDir dir;
    std::filesystem::path findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy;
    explicit Run(const ScriptedUpstream& upstream, std::vector<std::string> extra = {})
        : proxy([&] {
              std::vector<std::string> args{"--upstream", upstream.url(), "--findings", findings_path.string()};
              args.insert(args.end(), extra.begin(), extra.end());
              return args;
          }()) {}

    // One request on its own connection; returns the status (0: no response).
    int send(const std::string& method, const std::string& target, const std::string& fields = "") {
        RawClient client(proxy.port());
        client.send(method + " " + target + " HTTP/1.1\r\nHost: example.test\r\nUser-Agent: seq-test\r\n" + fields +
                    "\r\n");
        const auto response = client.read_response(5s, method == "HEAD");
        return response ? response->status : 0;
    }
    std::vector<FindingLine> stop_and_read() {
        REQUIRE(proxy.stop() == 0);
        return read_findings(findings_path);
    }
};

std::vector<FindingLine> with_rule(const std::vector<FindingLine>& all, std::string_view rule) {
    std::vector<FindingLine> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const FindingLine& f) { return f.rule == rule; });
    return out;
}

std::string ok(std::string_view body, std::string_view extra) {
    return "HTTP/1.1 200 OK\r\n" + D + std::string(extra) + "Content-Type: text/plain\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace

TEST_SUITE("stateful sequences") {

TEST_CASE("HEAD/GET mismatch: head-content-length-differs names the earlier GET; a chunked GET of equal length is clean") {
    ScriptedUpstream upstream([](const ReceivedRequest& r) {
        if (r.target == "/page" && r.method == "GET") return Reply::bytes(ok("hello", "ETag: \"v1\"\r\n"));
        if (r.target == "/page") return Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "ETag: \"v1\"\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n");
        if (r.method == "GET")  // /chunked: 5 content octets in 2 chunks
            return Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "ETag: \"c\"\r\nContent-Type: text/plain\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n");
        return Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "ETag: \"c\"\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n");
    });
    Run run(upstream);
    CHECK(run.send("GET", "/page") == 200);
    CHECK(run.send("HEAD", "/page") == 200);
    CHECK(run.send("GET", "/chunked") == 200);
    CHECK(run.send("HEAD", "/chunked") == 200);
    const auto findings = run.stop_and_read();
    const auto differs = with_rule(findings, "head-content-length-differs");
    REQUIRE(differs.size() == 1);
    CHECK(differs[0].target == "/page");
    CHECK(differs[0].method == "HEAD");
    CHECK(differs[0].exchange == 2);
    // The JSON Lines member `earlier` names exchange 1 and its time.
    CHECK(differs[0].raw.find("\"earlier\":{\"exchange\":1,\"time\":\"") != std::string::npos);
    CHECK(differs[0].message.find("exchange #1") != std::string::npos);
    CHECK(findings_for_target(findings, "/chunked").empty());
}

TEST_CASE("a 304 contradicting its 200: 304-content-length-differs and 304-missing-200-field; a faithful 304 is clean") {
    ScriptedUpstream upstream([](const ReceivedRequest& r) {
        const bool conditional = r.head.has("If-None-Match");
        if (r.target == "/r" && !conditional)
            return Reply::bytes(ok("hello", "ETag: \"v1\"\r\nCache-Control: max-age=60\r\n"));
        if (r.target == "/r")
            return Reply::bytes("HTTP/1.1 304 Not Modified\r\n" + D + "ETag: \"v1\"\r\nContent-Length: 13\r\n\r\n");
        if (!conditional) return Reply::bytes(ok("hello", "ETag: \"g\"\r\nCache-Control: max-age=60\r\n"));
        return Reply::bytes("HTTP/1.1 304 Not Modified\r\n" + D + "ETag: \"g\"\r\nCache-Control: max-age=30\r\n\r\n");
    });
    Run run(upstream);
    CHECK(run.send("GET", "/r") == 200);
    CHECK(run.send("GET", "/r", "If-None-Match: \"v1\"\r\n") == 304);
    CHECK(run.send("GET", "/good") == 200);
    CHECK(run.send("GET", "/good", "If-None-Match: \"g\"\r\n") == 304);
    const auto findings = run.stop_and_read();
    const auto mine = findings_for_target(findings, "/r");
    CHECK(with_rule(mine, "304-content-length-differs").size() == 1);
    const auto missing = with_rule(mine, "304-missing-200-field");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].message.find("Cache-Control") != std::string::npos);
    CHECK(findings_for_target(findings, "/good").empty());
}

TEST_CASE("Allow omitting a method that succeeded, then a 405 to it") {
    auto puts = std::make_shared<std::atomic<int>>(0);
    ScriptedUpstream upstream([puts](const ReceivedRequest& r) {
        if (r.method == "PUT" && ++*puts == 1)
            return Reply::bytes("HTTP/1.1 204 No Content\r\n" + D + "\r\n");
        if (r.method == "OPTIONS")
            return Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "Allow: GET, HEAD, OPTIONS\r\nContent-Length: 0\r\n\r\n");
        return Reply::bytes("HTTP/1.1 405 Method Not Allowed\r\n" + D + "Allow: GET, HEAD, OPTIONS\r\nContent-Length: 0\r\n\r\n");
    });
    Run run(upstream);
    CHECK(run.send("PUT", "/items/7", "Content-Length: 0\r\n") == 204);
    CHECK(run.send("OPTIONS", "/items/7") == 200);
    CHECK(run.send("PUT", "/items/7", "Content-Length: 0\r\n") == 405);
    CHECK(run.send("OPTIONS", "/items/8") == 200);  // another resource: nothing succeeded there
    const auto findings = run.stop_and_read();
    const auto omits = with_rule(findings, "allow-omits-succeeded-method");
    REQUIRE(omits.size() == 1);
    CHECK(omits[0].method == "OPTIONS");
    CHECK(omits[0].message.find("PUT") != std::string::npos);
    CHECK(with_rule(findings, "405-after-success").size() == 1);
    CHECK(findings_for_target(findings, "/items/8").empty());
}

TEST_CASE("a 401 loop: the third refusal of the same credentials, across connections; new credentials are clean") {
    ScriptedUpstream upstream([](const ReceivedRequest&) {
        return Reply::bytes("HTTP/1.1 401 Unauthorized\r\n" + D +
                            "WWW-Authenticate: Basic realm=\"api\"\r\nContent-Length: 0\r\n\r\n");
    });
    Run run(upstream);
    for (int i = 0; i < 3; ++i) CHECK(run.send("GET", "/private", "Authorization: Basic d3Jvbmc6d3Jvbmc=\r\n") == 401);
    CHECK(run.send("GET", "/other", "Authorization: Basic YTox\r\n") == 401);
    CHECK(run.send("GET", "/other", "Authorization: Basic YToy\r\n") == 401);
    CHECK(run.send("GET", "/other", "Authorization: Basic YToz\r\n") == 401);
    const auto findings = run.stop_and_read();
    const auto loop = with_rule(findings, "auth-repeated-rejected-credentials");
    REQUIRE(loop.size() == 1);
    CHECK(loop[0].target == "/private");
    CHECK(loop[0].exchange == 3);
    CHECK(loop[0].raw.find("\"earlier\":{\"exchange\":1") != std::string::npos);
    CHECK(loop[0].raw.find("d3Jvbmc") == std::string::npos);  // never the credential
}

TEST_CASE("--history-resources 0 turns the stateful rules off") {
    ScriptedUpstream upstream([](const ReceivedRequest& r) {
        if (r.method == "GET") return Reply::bytes(ok("hello", "ETag: \"v1\"\r\n"));
        return Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "ETag: \"v1\"\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n");
    });
    Run run(upstream, {"--history-resources", "0"});
    CHECK(run.send("GET", "/page") == 200);
    CHECK(run.send("HEAD", "/page") == 200);
    CHECK(with_rule(run.stop_and_read(), "head-content-length-differs").empty());
}

}  // TEST_SUITE

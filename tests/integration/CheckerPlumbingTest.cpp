// What the live proxy hands the checker besides the response head: the request head as the
// client sent it, every interim head, the bytes after a HEAD response's head, the content prefix
// the content rules ask for, and exchange numbers in the order the requests arrived. Real
// sockets on 127.0.0.1; each case reads the --findings file back after SIGTERM.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "integration/support/FindingsFile.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;
using namespace std::chrono_literals;

namespace {

const std::string D = "Date: Sun, 22 Nov 2026 10:00:00 GMT\r\n";

std::string get(const std::string& target, const std::string& fields = "", const std::string& method = "GET") {
    return method + " " + target + " HTTP/1.1\r\nHost: example.test\r\n" + fields + "\r\n";
}

bool has_rule(const std::vector<FindingLine>& findings, std::string_view rule) {
    return std::any_of(findings.begin(), findings.end(), [&](const FindingLine& f) { return f.rule == rule; });
}

// One proxy in front of `upstream`, the findings file read back after it stopped.
struct Run {
    TempDir dir;
    std::filesystem::path findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy;
    Run(const ScriptedUpstream& upstream, std::vector<std::string> extra = {})
        : proxy([&] {
              std::vector<std::string> args{"--upstream", upstream.url(), "--findings", findings_path.string()};
              args.insert(args.end(), extra.begin(), extra.end());
              return args;
          }()) {}
    std::vector<FindingLine> stop_and_read() {
        REQUIRE(proxy.stop() == 0);
        return read_findings(findings_path);
    }
};

std::string json_response(const std::string& body, const std::string& extra = "") {
    return "HTTP/1.1 200 OK\r\n" + D + "Content-Type: application/json\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string chunked_json_response(const std::string& body) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx", body.size());
    return "HTTP/1.1 200 OK\r\n" + D + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
           size + "\r\n" + body + "\r\n0\r\n\r\n";
}

}  // namespace

TEST_SUITE("checker plumbing") {

TEST_CASE("the request head reaches the checker: request rules fire, per pipelined request") {
    ScriptedUpstream upstream("HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
    Run run(upstream);
    RawClient client(run.proxy.port());
    // Two pipelined requests in one write: only the first lists chunked in TE.
    client.send(get("/te", "TE: trailers, chunked\r\nConnection: TE\r\n") + get("/clean"));
    for (int i = 0; i < 2; ++i) {
        const auto response = client.read_response(5s);
        REQUIRE(response);
        CHECK(response->status == 200);
    }
    const auto findings = run.stop_and_read();
    INFO("proxy stderr:\n" << run.proxy.stderr_text());
    const auto te = findings_for_target(findings, "/te");
    CHECK_MESSAGE(has_rule(te, "te-chunked"), describe_counts(count_by_rule(te)));
    const auto clean = findings_for_target(findings, "/clean");
    CHECK_MESSAGE(clean.empty(), describe_counts(count_by_rule(clean)));
}

TEST_CASE("every interim head is checked, the final one too") {
    ScriptedUpstream upstream("HTTP/1.1 103 Early Hints\r\nContent-Length: 0\r\nLink: </a.css>; rel=preload\r\n\r\n"
                              "HTTP/1.1 200 OK\r\n" + D + "Content-Length: 2\r\n\r\nok");
    Run run(upstream);
    RawClient client(run.proxy.port());
    client.send(get("/hints"));
    const auto interim = client.read_response(5s);
    REQUIRE(interim);
    CHECK(interim->status == 103);
    const auto final_response = client.read_response(5s);
    REQUIRE(final_response);
    CHECK(final_response->status == 200);
    CHECK(final_response->body.bytes == "ok");
    const auto findings = findings_for_target(run.stop_and_read(), "/hints");
    CHECK_MESSAGE(has_rule(findings, "content-length-forbidden"), describe_counts(count_by_rule(findings)));
}

TEST_CASE("bytes after a HEAD response's head reach the body rules") {
    std::map<std::string, Reply> replies{
        // framed by Content-Length: the fast path
        {"/length", Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
                                 Reply::After::close)},
        // chunked: the general path
        {"/chunked", Reply::bytes("HTTP/1.1 200 OK\r\n" + D +
                                      "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                                  Reply::After::close)},
        {"/clean", Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\n")},
    };
    ScriptedUpstream upstream([&](const ReceivedRequest& request) { return replies.at(request.target); });
    Run run(upstream);
    for (const std::string target : {"/length", "/chunked", "/clean"}) {
        CAPTURE(target);
        RawClient client(run.proxy.port());
        client.send(get(target, "", "HEAD"));
        const auto response = client.read_response(5s, true);
        REQUIRE(response);
        CHECK(response->status == 200);
    }
    const auto findings = run.stop_and_read();
    INFO("proxy stderr:\n" << run.proxy.stderr_text());
    for (const std::string target : {"/length", "/chunked"}) {
        CAPTURE(target);
        const auto mine = findings_for_target(findings, target);
        CHECK_MESSAGE(has_rule(mine, "head-response-has-content"), describe_counts(count_by_rule(mine)));
        // v1's rule is about 1xx, 204 and 304 only.
        CHECK_FALSE(has_rule(mine, "no-content-status-has-body"));
    }
    CHECK(findings_for_target(findings, "/clean").empty());
}

TEST_CASE("a chunked body's trailer section reaches the checker; the client never gets it") {
    std::map<std::string, Reply> replies{
        {"/forbidden", Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    "5\r\nhello\r\n0\r\nServer-Timing: db;dur=5\r\nSet-Cookie: s=1\r\n\r\n")},
        {"/allowed", Reply::bytes("HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  "5\r\nhello\r\n0\r\nServer-Timing: db;dur=5\r\n\r\n")},
    };
    ScriptedUpstream upstream([&](const ReceivedRequest& request) { return replies.at(request.target); });
    Run run(upstream);
    RawClient client(run.proxy.port());
    for (const std::string target : {"/forbidden", "/allowed"}) {
        CAPTURE(target);
        client.send(get(target));
        const auto response = client.read_response(5s);
        REQUIRE(response);
        CHECK(response->body.bytes == "hello");
        CHECK(response->body.complete);
    }
    const auto findings = run.stop_and_read();
    const auto forbidden = findings_for_target(findings, "/forbidden");
    CHECK_MESSAGE(has_rule(forbidden, "trailer-forbidden-field"), describe_counts(count_by_rule(forbidden)));
    for (const auto& finding : forbidden)
        if (finding.rule == "trailer-forbidden-field") CHECK(finding.message.find("\"Set-Cookie\"") != std::string::npos);
    CHECK_FALSE(has_rule(findings_for_target(findings, "/allowed"), "trailer-forbidden-field"));
}

TEST_CASE("the content rules see the content the proxy relays, up to --inspect-body-limit") {
    const std::string big_invalid = "[" + std::string(40 * 1024, ' ') + "1,]";  // above the splice threshold
    const std::string not_gzip(40 * 1024, 'x');
    std::map<std::string, std::string> replies{
        {"/json-length", json_response("{\"a\":}")},
        {"/json-chunked", chunked_json_response("{\"a\":}")},
        {"/json-big", json_response(big_invalid)},
        {"/json-valid", json_response("{\"a\": [1, 2, \"\xC3\xA9\"]}")},
        {"/gzip-big", "HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n"
                      "Content-Length: " + std::to_string(not_gzip.size()) + "\r\n\r\n" + not_gzip},
        // a HEAD response as it should be: the head only (its Content-Length says what GET would get)
        {"/json-head", json_response("{\"a\":}").substr(0, json_response("{\"a\":}").find("\r\n\r\n") + 4)},
    };
    ScriptedUpstream upstream([&](const ReceivedRequest& request) { return Reply::bytes(replies.at(request.target)); });

    const auto exchange_all = [&](Run& run) {
        for (const auto& [target, reply] : replies) {
            CAPTURE(target);
            const bool head = target == "/json-head";
            RawClient client(run.proxy.port());
            client.send(get(target, "", head ? "HEAD" : "GET"));
            const auto response = client.read_response(10s, head);
            REQUIRE(response);
            CHECK(response->status == 200);
            CHECK(response->body.complete);
            if (!head) {  // every byte reaches the client, copied or not
                const auto body_start = reply.find("\r\n\r\n") + 4;
                if (target == "/json-chunked") CHECK(response->body.bytes == "{\"a\":}");
                else CHECK(response->body.size == reply.size() - body_start);
            }
        }
    };

    SUBCASE("default limit: the whole content is judged, on both paths") {
        Run run(upstream);
        exchange_all(run);
        const auto findings = run.stop_and_read();
        INFO("proxy stderr:\n" << run.proxy.stderr_text());
        for (const std::string target : {"/json-length", "/json-chunked", "/json-big"}) {
            CAPTURE(target);
            const auto mine = findings_for_target(findings, target);
            CHECK_MESSAGE(has_rule(mine, "json-invalid"), describe_counts(count_by_rule(mine)));
        }
        CHECK(has_rule(findings_for_target(findings, "/gzip-big"), "content-encoding-gzip-invalid"));
        CHECK(findings_for_target(findings, "/json-valid").empty());
        CHECK(findings_for_target(findings, "/json-head").empty());
    }
    SUBCASE("a prefix: content beyond the limit is not judged as JSON, the gzip magic still is") {
        Run run(upstream, {"--inspect-body-limit", "1024"});
        exchange_all(run);
        const auto findings = run.stop_and_read();
        INFO("proxy stderr:\n" << run.proxy.stderr_text());
        CHECK(has_rule(findings_for_target(findings, "/json-length"), "json-invalid"));
        CHECK_FALSE(has_rule(findings_for_target(findings, "/json-big"), "json-invalid"));
        CHECK(has_rule(findings_for_target(findings, "/gzip-big"), "content-encoding-gzip-invalid"));
    }
    SUBCASE("0 turns content inspection off") {
        Run run(upstream, {"--inspect-body-limit", "0"});
        exchange_all(run);
        const auto findings = run.stop_and_read();
        for (const auto& f : findings) CHECK_MESSAGE(f.rule.rfind("json-", 0) != 0, f.raw);
        CHECK_FALSE(has_rule(findings, "content-encoding-gzip-invalid"));
    }
}

TEST_CASE("exchange numbers follow the arrival of the requests, not their completion") {
    // No Date: each exchange gets a finding, which carries its number.
    const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
    ScriptedUpstream upstream([&](const ReceivedRequest& request) {
        if (request.target == "/slow") return Reply{{{800ms, response}}, {}, Reply::After::keep_open};
        return Reply::bytes(response);
    });
    Run run(upstream);
    RawClient slow(run.proxy.port());
    slow.send(get("/slow"));
    REQUIRE(upstream.wait_for_heads(1, 5s));  // the slow request arrived first
    RawClient fast(run.proxy.port());
    fast.send(get("/fast"));
    const auto fast_response = fast.read_response(5s);
    REQUIRE(fast_response);
    const auto slow_response = slow.read_response(5s);
    REQUIRE(slow_response);
    const auto findings = run.stop_and_read();
    const auto slow_findings = findings_for_target(findings, "/slow");
    const auto fast_findings = findings_for_target(findings, "/fast");
    REQUIRE_FALSE(slow_findings.empty());
    REQUIRE_FALSE(fast_findings.empty());
    CHECK(slow_findings.front().exchange < fast_findings.front().exchange);
    for (const auto& f : slow_findings) CHECK(f.exchange == slow_findings.front().exchange);
}

}  // TEST_SUITE

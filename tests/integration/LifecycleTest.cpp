// The proxy as a process among others: graceful SIGTERM with an exchange in flight, a real
// upstream server from Debian (Python's http.server), and the --demo a newcomer runs first.
#include <doctest/doctest.h>

#include <signal.h>

#include <boost/json/parse.hpp>
#include <cerrno>
#include <map>
#include <set>
#include <string>

#include "conformance_proxy/demo/DemoUpstream.hpp"
#include "integration/support/Clients.hpp"
#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;

TEST_SUITE("lifecycle") {

TEST_CASE("SIGTERM with a slow response in flight: the client gets all of it, new connections are refused, exit 0") {
    const std::string body = "the slow part of the answer, sent after a second\n";
    // Head and body both come late, so SIGTERM lands before the proxy has answered anything.
    Reply slow;
    slow.pieces = {{std::chrono::milliseconds(300), "HTTP/1.1 200 OK\r\nDate: Sun, 22 Nov 2026 10:00:00 GMT\r\nContent-Type: text/plain\r\n"
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"},
                   {std::chrono::milliseconds(700), body}};
    ScriptedUpstream upstream([&](const ReceivedRequest& request) {
        return request.target == "/first" ? Reply::bytes(http_response(200, "first")) : slow;
    });
    ProxyProcess proxy({"--upstream", upstream.url()});

    RawClient idle(proxy.port());  // a keep-alive connection between requests
    idle.send("GET /first HTTP/1.1\r\nHost: example.test\r\n\r\n");
    REQUIRE(idle.read_response());

    RawClient busy(proxy.port());
    busy.send("GET /slow HTTP/1.1\r\nHost: example.test\r\n\r\n");
    REQUIRE(upstream.wait_for_requests(2, std::chrono::seconds(5)));  // in flight at the upstream
    const auto signalled = Clock::now();
    proxy.send_signal(SIGTERM);

    CHECK(eventually([&] { return RawClient::connect_error(proxy.port()) == ECONNREFUSED; }, std::chrono::seconds(2)));
    CHECK(idle.closed_by_peer(std::chrono::seconds(2)));  // idle connections close at once

    const auto response = busy.read_response(std::chrono::seconds(5));
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body.complete);
    CHECK(response->body.bytes == body);
    CHECK(response->head.tokens("Connection") == std::vector<std::string>{"close"});  // no reuse while stopping

    const auto status = proxy.wait_for_exit(std::chrono::seconds(5));
    CHECK(status == 0);
    CHECK(Clock::now() - signalled < std::chrono::seconds(5));
    CHECK(proxy.stderr_text().find("shutting down") != std::string::npos);
}

TEST_CASE("a real upstream from Debian: python3 -m http.server, started and stopped by the test") {
    TempDir root;
    std::string file(300 * 1024, '\0');
    PatternBytes(99).fill(file.data(), file.size());
    write_file(root.file("data.bin"), file);
    write_file(root.file("hello.txt"), "hello from http.server\n");

    const auto port = free_port();
    ChildProcess server({python_interpreter(), "-m", "http.server", "--bind", "127.0.0.1", std::to_string(port),
                         "--directory", root.path().string()},
                        root.file("server.out"), root.file("server.err"));
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0 || !server.running(); },
                               std::chrono::seconds(10)),
                    read_file(root.file("server.err")));
    REQUIRE(server.running());
    ProxyProcess proxy({"--upstream", loopback_url(port)});

    const auto binary = curl({proxy.url() + "/data.bin"});
    REQUIRE_MESSAGE(binary.ok(), binary.command.err);
    CHECK(binary.final_response().status == 200);
    CHECK(binary.final_response().body.size == file.size());
    CHECK(binary.final_response().body.sha256 == sha256_hex(file));
    CHECK(binary.final_response().head.value("Server").find("SimpleHTTP") != std::string::npos);
    CHECK(binary.final_response().head.value("Via") == "1.0 conformance-proxy");  // http.server speaks HTTP/1.0

    const auto text = curl({proxy.url() + "/hello.txt", proxy.url() + "/missing"});
    REQUIRE_MESSAGE(text.command.exit_status == 0, text.command.err);
    CHECK(text.command.out.find("hello from http.server\n") != std::string::npos);
    CHECK(text.command.out.find("HTTP/1.1 404") != std::string::npos);

    CHECK(proxy.stop() == 0);
    server.send_signal(SIGTERM);
    CHECK(server.wait_for_exit(std::chrono::seconds(5)).has_value());
    // Both requests reached the real server: its log names them.
    const auto log = read_file(root.file("server.err"));
    CHECK(log.find("\"GET /data.bin HTTP/1.1\" 200") != std::string::npos);
    CHECK(log.find("\"GET /missing HTTP/1.1\" 404") != std::string::npos);
}

TEST_CASE("--demo: a broken endpoint is a finding with the INTERFACE.md keys, a clean one is not") {
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy({"--demo", "--findings", findings_path.string(), "--fail-on", "error"});

    const auto clean = curl({proxy.url() + "/api/items/7"});
    REQUIRE_MESSAGE(clean.ok(), clean.command.err);
    CHECK(clean.final_response().status == 200);
    const auto broken = curl({"-X", "DELETE", proxy.url() + "/api/items/7"});
    REQUIRE_MESSAGE(broken.ok(), broken.command.err);
    CHECK(broken.final_response().status == 405);
    CHECK_FALSE(broken.final_response().head.has("Allow"));  // report mode passes it through as it is

    CHECK(proxy.stop() == 1);  // --fail-on error, and there was an error finding
    const auto lines = read_lines(findings_path);
    REQUIRE_FALSE(lines.empty());
    bool found = false;
    for (const auto& line : lines) {
        INFO(line);
        const auto json = boost::json::parse(line).as_object();
        for (const char* key : {"time", "exchange", "rule", "level", "method", "target", "status", "message", "reference"})
            CHECK_MESSAGE(json.contains(key), key);
        CHECK_FALSE(json.at("method").as_string() == "GET");  // the clean exchange has no finding
        if (json.at("rule").as_string() != "405-missing-allow") continue;
        found = true;
        CHECK(json.at("level").as_string() == "error");
        CHECK(json.at("method").as_string() == "DELETE");
        CHECK(json.at("target").as_string() == "/api/items/7");
        CHECK(json.at("status").to_number<int>() == 405);
        CHECK(json.at("reference").as_string() == "RFC 9110 §15.5.6");
        CHECK(line.find("\"time\":") == 1);  // keys in the documented order, time first
    }
    CHECK(found);
    const auto summary = proxy.stderr_text();
    CHECK(summary.find("405-missing-allow") != std::string::npos);
}

// The demo is what a newcomer sees first: every endpoint that claims to break a rule breaks that
// one alone, through the live proxy, and the conformant ones give no finding at all.
TEST_CASE("--demo: each endpoint's finding is the one ./run.sh announces") {
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy({"--demo", "--findings", findings_path.string()});
    for (const auto& endpoint : cproxy::demo::demo_endpoints()) {
        const auto reply = curl({"-X", endpoint.method, proxy.url() + endpoint.path});
        REQUIRE_MESSAGE(reply.ok(), endpoint.path, ": ", reply.command.err);
    }
    CHECK(proxy.stop() == 0);
    std::map<std::string, std::set<std::string>> rules_by_request;
    for (const auto& line : read_lines(findings_path)) {
        const auto json = boost::json::parse(line).as_object();
        rules_by_request[std::string(json.at("method").as_string()) + " " + std::string(json.at("target").as_string())]
            .insert(std::string(json.at("rule").as_string()));
    }
    for (const auto& endpoint : cproxy::demo::demo_endpoints()) {
        const auto& rules = rules_by_request[endpoint.method + " " + endpoint.path];
        CAPTURE(endpoint.path);
        if (endpoint.rule.empty())
            CHECK_MESSAGE(rules.empty(), endpoint.method, " ", endpoint.path, " is announced as conformant but drew ",
                          *rules.begin());
        else
            CHECK_MESSAGE(rules == std::set<std::string>{endpoint.rule}, endpoint.method, " ", endpoint.path,
                          " should draw ", endpoint.rule, " and nothing else; it drew ", rules.size(), " rule(s)");
    }
}

}  // TEST_SUITE

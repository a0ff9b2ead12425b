// How the proxy treats its upstream connections when the upstream is a dev server rather than
// a production one: a server that serves one connection at a time, one that answers an upload
// before reading it and closes, one that sends content after a HEAD or 204 head, and one that
// names a framing field in a trailer section. Python's http.server (tests/integration/
// dev_server.py) is the real thing for the first two.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "integration/support/Clients.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;

namespace {

std::filesystem::path source_dir() {
    const char* dir = std::getenv("CPROXY_SOURCE_DIR");
    return dir && *dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

// tests/integration/dev_server.py on a free loopback port, killed when this goes.
class DevServer {
public:
    explicit DevServer(bool single_connection) {
        std::vector<std::string> argv{python_interpreter(), (source_dir() / "tests/integration/dev_server.py").string(),
                                      "--lifetime", "120"};
        if (single_connection) argv.push_back("--single");
        child_.emplace(argv, dir_.file("out"), dir_.file("err"));
        REQUIRE_MESSAGE(eventually([&] { return read_file(dir_.file("out")).find('\n') != std::string::npos; },
                                   std::chrono::seconds(10)),
                        read_file(dir_.file("err")));
        port_ = static_cast<std::uint16_t>(std::stoi(read_file(dir_.file("out")).substr(std::string("listening ").size())));
    }
    std::string url() const { return loopback_url(port_); }
    std::string log() const { return read_file(dir_.file("err")); }

private:
    TempDir dir_;
    std::optional<ChildProcess> child_;
    std::uint16_t port_ = 0;
};

void expect_sequential_clients_answered(const ProxyProcess& proxy, int clients) {
    for (int i = 0; i < clients; ++i) {
        CAPTURE(i);
        RawClient client(proxy.port());
        const std::string path = "/n" + std::to_string(i);
        client.send("GET " + path + " HTTP/1.1\r\nHost: dev.test\r\n\r\n");
        const auto response = client.read_response(std::chrono::seconds(5));
        REQUIRE_MESSAGE(response, "client " << i << " got no answer within 5 s");
        CHECK(response->status == 200);
        CHECK(response->body.bytes == "served " + path + "\n");
    }
}

// Sends a POST head announcing `size` bytes, then the body from another thread (the proxy may
// stop reading it), and returns the response.
std::optional<HttpResponse> upload(RawClient& client, const std::string& path, std::size_t size) {
    client.send("POST " + path + " HTTP/1.1\r\nHost: dev.test\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n");
    std::jthread sender([&client, size] {
        const std::string piece(64 * 1024, 'x');
        for (std::size_t sent = 0; sent < size; sent += piece.size())
            if (!client.send(piece)) return;
    });
    auto response = client.read_response(std::chrono::seconds(10));
    client.shutdown_send();
    return response;
}

}  // namespace

TEST_SUITE("upstream connections") {

TEST_CASE("a one-connection dev server (http.server, HTTP/1.1 keep-alive): 20 sequential clients over 2 threads") {
    DevServer server(true);
    SUBCASE("no connection limit: idle connections move to the thread that needs one") {
        ProxyProcess proxy({"--upstream", server.url(), "--threads", "2"});
        expect_sequential_clients_answered(proxy, 20);
    }
    SUBCASE("--upstream-max-connections 1") {
        ProxyProcess proxy({"--upstream", server.url(), "--threads", "2", "--upstream-max-connections", "1"});
        expect_sequential_clients_answered(proxy, 20);
    }
}

TEST_CASE("a threading dev server: clients on both threads share its connections") {
    DevServer server(false);
    ProxyProcess proxy({"--upstream", server.url(), "--threads", "2"});
    expect_sequential_clients_answered(proxy, 10);
}

TEST_CASE("--upstream-max-connections: a request waits for a place, and gets 503 when none comes free in time") {
    // The upstream keeps its one allowed connection busy for a while.
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        if (request.target == "/slow")
            return Reply{{{std::chrono::milliseconds(1500), http_response(200, "slow")}}, {}, Reply::After::keep_open};
        return Reply::bytes(http_response(200, "fast"));
    });
    TempDir dir;
    std::vector<std::string> args{"--upstream", upstream.url(), "--threads", "2", "--upstream-max-connections", "1"};
    int expected = 200;
    SUBCASE("waits (timeouts.upstream_connect 5 s)") {}
    SUBCASE("503 after timeouts.upstream_connect (0.3 s)") {
        write_file(dir.file("c.yaml"), "timeouts:\n  upstream_connect: 0.3\n");
        args.insert(args.end(), {"--config", dir.file("c.yaml").string()});
        expected = 503;
    }
    ProxyProcess proxy(args);
    RawClient slow(proxy.port());
    slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    REQUIRE(upstream.wait_for_heads(1, std::chrono::seconds(5)));
    RawClient waiting(proxy.port());
    waiting.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto fast = waiting.read_response(std::chrono::seconds(10));
    const auto first = slow.read_response(std::chrono::seconds(10));
    REQUIRE(first);
    CHECK(first->status == 200);
    REQUIRE(fast);
    CHECK(fast->status == expected);
    CHECK(upstream.connections_accepted() == 1);
}

TEST_CASE("an upload answered early (413 before the body) reaches the client, checked, and both connections close") {
    for (const bool single : {false, true}) {
        for (const std::string path : {"/upload", "/no-length"}) {
            CAPTURE(single);
            CAPTURE(path);
            DevServer server(single);
            TempDir dir;
            ProxyProcess proxy({"--upstream", server.url(), "--threads", "2", "--findings", dir.file("f.jsonl").string()});
            RawClient client(proxy.port());
            const auto response = upload(client, path, 16u << 20);
            REQUIRE_MESSAGE(response, proxy.stderr_text());
            CHECK(response->status == 413);
            CHECK(response->body.complete);
            CHECK(response->body.bytes == "upload refused before reading it\n");
            CHECK(response->head.tokens("Connection") == std::vector<std::string>{"close"});
            CHECK(client.closed_by_peer(std::chrono::seconds(5)));
            // The upstream connection was closed, not pooled: the next request is served normally.
            RawClient next(proxy.port());
            next.send("GET /after HTTP/1.1\r\nHost: dev.test\r\n\r\n");
            const auto after = next.read_response(std::chrono::seconds(5));
            REQUIRE(after);
            CHECK(after->status == 200);
            CHECK(proxy.stop() == 0);
            // Checked, and whole: a close-delimited answer that ends in a reset is not "truncated".
            CHECK(read_file(dir.file("f.jsonl")).find("content-length-mismatch") == std::string::npos);
        }
    }
}

TEST_CASE("stray content after a HEAD or 204 response: that connection is closed, never reused") {
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        if (request.method == "HEAD" || request.target == "/empty") {
            const std::string head = request.method == "HEAD"
                                         ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
                                         : "HTTP/1.1 204 No Content\r\n\r\n";
            // Like Django's dev server: the content follows the head in a write of its own.
            return Reply{{{{}, head}, {std::chrono::milliseconds(30), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray"}},
                         {}, Reply::After::keep_open};
        }
        return Reply::bytes(http_response(200, "clean"));
    });
    ProxyProcess proxy({"--upstream", upstream.url(), "--threads", "1"});
    for (const std::string first : {"HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n", "GET /empty HTTP/1.1\r\nHost: a\r\n\r\n"}) {
        CAPTURE(first);
        RawClient client(proxy.port());
        client.send(first);
        const auto bodiless = client.read_response(std::chrono::seconds(5), first.starts_with("HEAD"));
        REQUIRE(bodiless);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the stray bytes are there by now
        client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        const auto next = client.read_response(std::chrono::seconds(5));
        REQUIRE(next);
        CHECK(next->status == 200);
        CHECK(next->body.bytes == "clean");
    }
    const auto seen = upstream.requests();
    REQUIRE(seen.size() == 4);
    CHECK(seen[1].connection != seen[0].connection);
    CHECK(seen[3].connection != seen[2].connection);
}

TEST_CASE("a response trailer naming Content-Length: the body is relayed whole, the connection stays usable") {
    ScriptedUpstream upstream(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        "6\r\nhello!\r\n0\r\nContent-Length: 6\r\n\r\n");
    ProxyProcess proxy({"--upstream", upstream.url()});
    RawClient client(proxy.port());
    for (int i = 0; i < 2; ++i) {
        client.send("GET /t HTTP/1.1\r\nHost: a\r\n\r\n");
        const auto response = client.read_response(std::chrono::seconds(5));
        REQUIRE(response);
        CHECK(response->status == 200);
        CHECK(response->body.complete);
        CHECK(response->body.bytes == "hello!");
    }
    CHECK(upstream.connections_accepted() == 1);
}

}  // TEST_SUITE

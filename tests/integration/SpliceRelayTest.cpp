// Large Content-Length bodies between plain sockets go through splice(2) (zero-copy, see
// src/proxy/SpliceRelay.cpp). Through the real proxy and an exact-bytes upstream: bodies on
// either side of the splice threshold arrive byte for byte and in order, on a reused
// upstream connection; a body is streamed as it comes, not held; a body the upstream breaks
// off reaches the client as far as it came, then a close, and is recorded; a client that
// stops reading (the socket fills up) gets every byte later, pipelined responses too; a
// client that vanishes mid-body does not stop the proxy.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/Digest.hpp"
#include "integration/support/FindingsFile.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"
#include "integration/support/StillServing.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;

namespace {

const std::string date = "Date: Sun, 22 Nov 2026 10:00:00 GMT\r\n";

std::string head_for(std::uint64_t length) {
    return "HTTP/1.1 200 OK\r\n" + date + "Content-Type: application/octet-stream\r\nContent-Length: " +
           std::to_string(length) + "\r\n\r\n";
}

// Bytes that differ along the body, so a piece out of place or doubled shows.
std::string pattern(std::size_t size, std::uint64_t seed) {
    std::string bytes(size, '\0');
    PatternBytes(seed).fill(bytes.data(), size);
    return bytes;
}

std::string get(const std::string& target) { return "GET " + target + " HTTP/1.1\r\nHost: splice.test\r\n\r\n"; }

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

TEST_SUITE("splice relay") {

TEST_CASE("bodies around the splice threshold arrive whole and in order, and the upstream connection is reused") {
    // 16 KiB after a 16 KiB head read is the threshold; 17,000 bytes may or may not take it.
    const std::vector<std::size_t> sizes = {16'000, 17'000, 40'000, 65'536, 300'000, 2'000'000};
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        const auto size = std::stoul(request.target.substr(1));
        const auto body = pattern(size, size);
        Reply reply;
        // Head and body in pieces: the head alone, then the body in three parts.
        reply.pieces.push_back({{}, head_for(size)});
        reply.pieces.push_back({std::chrono::milliseconds(5), body.substr(0, size / 3)});
        reply.pieces.push_back({std::chrono::milliseconds(5), body.substr(size / 3, size / 3)});
        reply.pieces.push_back({std::chrono::milliseconds(5), body.substr(2 * (size / 3))});
        return reply;
    });
    ProxyProcess proxy({"--upstream", upstream.url()});
    RawClient client(proxy.port());
    for (int round = 0; round < 2; ++round)
        for (const auto size : sizes) {
            CAPTURE(size);
            client.send(get("/" + std::to_string(size)));
            const auto response = client.read_response(std::chrono::seconds(10));
            REQUIRE(response);
            CHECK(response->status == 200);
            CHECK(response->field("Content-Length") == std::to_string(size));
            REQUIRE(response->body.complete);
            CHECK(response->body.size == size);
            CHECK(response->body.bytes == pattern(size, size));
        }
    CHECK(upstream.connections_accepted() == 1);  // each body ended cleanly: pooled and reused
}

TEST_CASE("a large body is streamed as it comes: the first part is not held back until the rest") {
    const std::string first = pattern(100'000, 1) + "<<first-part>>";
    const std::string rest = pattern(200'000, 2) + "<<end>>";
    ScriptedUpstream upstream([&](const ReceivedRequest&) {
        Reply reply;
        reply.pieces.push_back({{}, head_for(first.size() + rest.size()) + first});
        reply.pieces.push_back({std::chrono::milliseconds(2000), rest});
        return reply;
    });
    ProxyProcess proxy({"--upstream", upstream.url()});
    RawClient client(proxy.port());
    const auto started = Clock::now();
    client.send(get("/slow"));
    const auto head = client.read_until("\r\n\r\n", std::chrono::seconds(5));
    const auto first_part = client.read_until("<<first-part>>", std::chrono::seconds(5));
    const auto waited = seconds_since(started);
    REQUIRE(head);
    REQUIRE(first_part);
    MESSAGE("first part after " << waited << " s");
    CHECK(waited < 1.0);  // the upstream sends the rest 2 s later
    CHECK(*first_part == first);
    const auto rest_part = client.read_until("<<end>>", std::chrono::seconds(10));
    REQUIRE(rest_part);
    CHECK(*rest_part == rest);
}

TEST_CASE("a large body the upstream breaks off: the client gets what came, then a close; the finding names it") {
    const std::size_t length = 300'000;
    const std::string body = pattern(length, 7);
    ScriptedUpstream upstream([&](const ReceivedRequest& request) {
        if (request.target == "/ok") return Reply::bytes(http_response(200, "ok"));
        Reply reply;
        reply.pieces.push_back({{}, head_for(length) + body.substr(0, 20'000)});
        reply.pieces.push_back({std::chrono::milliseconds(50), body.substr(20'000, 100'000)});
        reply.after = request.target == "/reset-mid-body" ? Reply::After::reset : Reply::After::close;
        return reply;
    });
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy({"--upstream", upstream.url(), "--findings", findings_path.string()});
    for (const std::string target : {"/close-mid-body", "/reset-mid-body"}) {
        CAPTURE(target);
        RawClient client(proxy.port());
        client.send(get(target));
        const auto response = client.read_response(std::chrono::seconds(5));
        REQUIRE(response);
        CHECK(response->status == 200);
        CHECK_FALSE(response->body.complete);
        CHECK(response->body.size <= 120'000);
        CHECK(response->body.bytes == body.substr(0, response->body.bytes.size()));  // what came, in order
        if (target == "/close-mid-body") CHECK(response->body.size == 120'000);  // a close loses nothing
        CHECK(client.closed_by_peer(std::chrono::seconds(5)));
        expect_still_serving(proxy.port());
    }
    REQUIRE(proxy.stop() == 0);
    const auto findings = read_findings(findings_path);
    const std::map<std::string, std::size_t> expected{{"content-length-mismatch", 1}};
    for (const std::string target : {"/close-mid-body", "/reset-mid-body"}) {
        CAPTURE(target);
        const auto counts = count_by_rule(findings_for_target(findings, target));
        CHECK_MESSAGE(counts == expected, "recorded: ", describe_counts(counts));
    }
}

TEST_CASE("a client that stops reading gets every byte later; one that vanishes mid-body does not stop the proxy") {
    constexpr std::uint64_t size = 16ull << 20;  // far more than the socket buffers hold
    constexpr std::uint64_t seed = 0x5EED;
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        if (request.target == "/ok") return Reply::bytes(http_response(200, "ok"));
        Reply reply;
        reply.pieces.push_back({{}, head_for(size)});
        reply.stream = [](const auto& send) {
            PatternBytes bytes(seed);
            std::string block(64 * 1024, '\0');
            for (std::uint64_t left = size; left > 0;) {
                const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
                bytes.fill(block.data(), n);
                if (!send({block.data(), n})) return false;
                left -= n;
            }
            return true;
        };
        return reply;
    });
    ProxyProcess proxy({"--upstream", upstream.url()});
    {
        RawClient slow(proxy.port());
        slow.send(get("/big"));
        std::this_thread::sleep_for(std::chrono::milliseconds(700));  // the proxy's writes block meanwhile
        const auto response = slow.read_response(std::chrono::seconds(30));
        REQUIRE(response);
        CHECK(response->body.complete);
        CHECK(response->body.size == size);
        CHECK(response->body.sha256 == pattern_sha256(seed, size));
    }
    for (const bool reset : {false, true}) {
        CAPTURE(reset);
        {
            RawClient leaver(proxy.port());
            leaver.send(get("/big"));
            REQUIRE(leaver.read_until("\r\n\r\n", std::chrono::seconds(5)));
            if (reset)
                leaver.abort();
            else
                leaver.close();
        }
        expect_still_serving(proxy.port());
    }
    CHECK(proxy.stop() == 0);
}

TEST_CASE("pipelined requests from a client that reads late: every response whole and in order") {
    // 400 responses of 30,000 bytes (the copying path), every tenth 70,000 bytes (splice),
    // ~14 MB: more than the socket buffers hold, so the proxy's writes find a full socket and
    // must finish later (write_now takes part, async_write the rest) without losing or mixing bytes.
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        const auto index = std::stoul(request.target.substr(1));
        const std::size_t size = index % 10 == 9 ? 70'000 : 30'000;
        return Reply::bytes(head_for(size) + pattern(size, index));
    });
    ProxyProcess proxy({"--upstream", upstream.url()});
    RawClient client(proxy.port());
    std::string requests;
    constexpr std::size_t count = 400;
    for (std::size_t i = 0; i < count; ++i) requests += get("/" + std::to_string(i));
    REQUIRE(client.send(requests));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the proxy fill the socket
    for (std::size_t i = 0; i < count; ++i) {
        CAPTURE(i);
        const auto response = client.read_response(std::chrono::seconds(10));
        REQUIRE(response);
        REQUIRE(response->body.complete);
        const std::size_t size = i % 10 == 9 ? 70'000 : 30'000;
        REQUIRE(response->body.size == size);
        REQUIRE(response->body.bytes == pattern(size, i));
    }
}

}  // TEST_SUITE

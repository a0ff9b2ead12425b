// Bodies are streamed, not buffered: 100 MB each way through the real proxy, generated on
// the fly, compared by SHA-256, with the proxy's peak resident memory far below the body.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;

namespace {

constexpr std::uint64_t body_size = 100ull << 20;  // 100 MiB
constexpr std::uint64_t seed = 0xC0FFEE;

// Peak resident set (VmHWM) of a process in KiB, 0 if unknown.
std::uint64_t peak_resident_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
    return 0;
}

bool send_pattern(const std::function<bool(std::string_view)>& send, std::uint64_t size) {
    PatternBytes pattern(seed);
    std::vector<char> block(256 * 1024);
    while (size > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, block.size()));
        pattern.fill(block.data(), n);
        if (!send({block.data(), n})) return false;
        size -= n;
    }
    return true;
}

}  // namespace

TEST_SUITE("streaming") {

TEST_CASE("100 MB streamed through both ways, checksums equal, proxy memory bounded") {
    const auto expected = pattern_sha256(seed, body_size);
    ScriptedUpstream upstream([](const ReceivedRequest& request) {
        if (request.method == "POST")  // the upload: answer with what arrived
            return Reply::bytes(http_response(200, request.body.sha256 + " " + std::to_string(request.body.size)));
        Reply reply = Reply::bytes("HTTP/1.1 200 OK\r\nDate: Sun, 22 Nov 2026 10:00:00 GMT\r\n"
                                   "Content-Type: application/octet-stream\r\nContent-Length: " +
                                   std::to_string(body_size) + "\r\n\r\n");
        reply.stream = [](const auto& send) { return send_pattern(send, body_size); };
        return reply;
    });
    ProxyProcess proxy({"--upstream", upstream.url()});
    RawClient client(proxy.port());

    SUBCASE("upload with Content-Length, hashed by the upstream; then a download on the same connection") {
        REQUIRE(client.send("POST /upload HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/octet-stream\r\n"
                            "Content-Length: " + std::to_string(body_size) + "\r\n\r\n"));
        REQUIRE(send_pattern([&](std::string_view bytes) { return client.send(bytes); }, body_size));
        const auto uploaded = client.read_response(std::chrono::seconds(60));
        REQUIRE(uploaded);
        CHECK(uploaded->status == 200);
        CHECK(uploaded->body.bytes == expected + " " + std::to_string(body_size));

        client.send("GET /download HTTP/1.1\r\nHost: example.test\r\n\r\n");
        const auto downloaded = client.read_response(std::chrono::seconds(60));
        REQUIRE(downloaded);
        CHECK(downloaded->status == 200);
        CHECK(downloaded->body.complete);
        CHECK(downloaded->body.size == body_size);
        CHECK(downloaded->body.sha256 == expected);
    }
    SUBCASE("chunked upload") {
        REQUIRE(client.send("POST /upload HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n\r\n"));
        char size_line[32];
        REQUIRE(send_pattern([&](std::string_view bytes) {
            const int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", bytes.size());
            return client.send({size_line, static_cast<std::size_t>(n)}) && client.send(bytes) && client.send("\r\n");
        }, body_size));
        REQUIRE(client.send("0\r\n\r\n"));
        const auto uploaded = client.read_response(std::chrono::seconds(60));
        REQUIRE(uploaded);
        CHECK(uploaded->body.bytes == expected + " " + std::to_string(body_size));
    }

    const auto peak = peak_resident_kib(proxy.pid());
    INFO("proxy peak resident memory: " << peak << " KiB");
    CHECK(peak > 0);
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer's shadow memory and quarantine hold every freed buffer for a while: the
    // resident size says nothing about the proxy's buffering here. The normal build checks it.
    MESSAGE("sanitizer build: peak resident memory " << peak << " KiB, bound not checked");
#else
    CHECK(peak < 64 * 1024);  // far below the 100 MiB that went through
#endif
    CHECK(proxy.stop() == 0);
}

}  // TEST_SUITE

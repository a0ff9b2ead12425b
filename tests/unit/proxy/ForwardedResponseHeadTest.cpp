// The response fast path rewrites heads as text: it must drop exactly the hop-by-hop
// fields, add Via, keep everything else byte for byte, and hand anything unusual to the
// general path rather than forward it unrepaired.
#include <doctest/doctest.h>

#include "proxy/ForwardedResponseHead.hpp"

using cproxy::proxy::ForwardedHead;
using cproxy::proxy::ForwardedHeadOptions;
using cproxy::proxy::rewrite_response_head;

namespace {

std::string rewrite(std::string_view raw, ForwardedHeadOptions options = {}, ForwardedHead* info_out = nullptr) {
    std::string out;
    ForwardedHead info;
    if (!rewrite_response_head(raw, options, out, info)) return "<general path>";
    if (info_out) *info_out = info;
    return out;
}

}  // namespace

TEST_CASE("clean Content-Length response: hop-by-hop fields dropped, Via added, the rest kept") {
    ForwardedHead info;
    const auto out = rewrite(
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: X-Secret, keep-alive\r\n"
        "X-Secret: 1\r\nKeep-Alive: timeout=5\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
        "Trailer: X\r\nX-Kept:  spaced value\r\n\r\n",
        {}, &info);
    CHECK(out ==
          "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"
          "Content-Length: 6\r\nX-Kept:  spaced value\r\nVia: 1.1 conformance-proxy\r\n\r\n");
    CHECK(info.status == 200);
    CHECK(info.upstream_keep_alive);
}

TEST_CASE("connection reuse follows the upstream's version and Connection field") {
    ForwardedHead info;
    rewrite("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", {}, &info);
    CHECK_FALSE(info.upstream_keep_alive);
    rewrite("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", {}, &info);
    CHECK_FALSE(info.upstream_keep_alive);
    const auto out = rewrite("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", {}, &info);
    CHECK(info.upstream_keep_alive);
    CHECK(out.starts_with("HTTP/1.1 200 OK\r\n"));  // a proxy speaks its own version
    CHECK(out.find("Via: 1.0 conformance-proxy\r\n") != std::string::npos);
}

TEST_CASE("client side: close, HTTP/1.0 keep-alive and the annotate header") {
    const std::string_view raw = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    CHECK(rewrite(raw, {false, false, ""}).ends_with("Connection: close\r\n\r\n"));
    CHECK(rewrite(raw, {true, true, ""}).ends_with("Connection: keep-alive\r\n\r\n"));
    CHECK(rewrite(raw, {true, false, "date-missing"}).ends_with("Conformance-Findings: date-missing\r\n\r\n"));
    CHECK(rewrite("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").starts_with("HTTP/1.1 200\r\n"));
}

TEST_CASE("anything unusual goes to the general path") {
    CHECK(rewrite("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\nContent-Length: 0\n\n") == "<general path>");  // bare LF
    CHECK(rewrite("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nX Bad: 1\r\nContent-Length: 0\r\n\r\n") == "<general path>");
    CHECK(rewrite(std::string("HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n", 49)) == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\n\r\n") == "<general path>");  // close-delimited body
    CHECK(rewrite("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/2 200\r\nContent-Length: 0\r\n\r\n") == "<general path>");
    // One bare LF among CRLFs, a head that never ends, bytes after the head, a line without a colon.
    CHECK(rewrite("HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n") == "<general path>");
    CHECK(rewrite("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n") == "<general path>");  // bare LF blank line
}

TEST_CASE("every hop-by-hop field is dropped, whatever its case") {
    const auto out = rewrite(
        "HTTP/1.1 200 OK\r\nproxy-connection: keep-alive\r\nTE: trailers\r\nUPGRADE: h2c\r\n"
        "Proxy-Authenticate: Basic realm=\"x\"\r\nKeep-Alive: timeout=5\r\ntrailer: X\r\nconnection: keep-alive\r\n"
        "Content-Length: 0\r\nX-Kept: 1\r\n\r\n");
    CHECK(out == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Kept: 1\r\nVia: 1.1 conformance-proxy\r\n\r\n");
}

TEST_CASE("204 and 304 need no Content-Length") {
    CHECK(rewrite("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n") ==
          "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nVia: 1.1 conformance-proxy\r\n\r\n");
}

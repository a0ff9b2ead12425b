#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string ok_with(std::string_view lines) {
    return string("HTTP/1.1 200 OK\n") + string(kDate) + string(lines) + "Content-Length: 0\n";
}
// The rules about the client's request alone: "GET / HTTP/1.1" plus these field lines.
Findings check_request_fields(std::string_view lines) {
    string head = "GET / HTTP/1.1\r\nHost: example.test\r\n";
    for (char c : lines) {
        if (c == '\n') head += '\r';
        head += c;
    }
    head += "\r\n";
    RequestContext context{"GET", "/", true, head};
    Findings findings;
    Checker{}.check_request(context, findings);
    return findings;
}
}  // namespace

TEST_SUITE("connection") {
    TEST_CASE("clean connection fields") {
        CHECK_CLEAN(check_head(ok_with("Connection: keep-alive\nKeep-Alive: timeout=5, max=100\n")));
        CHECK_CLEAN(check_head(ok_with("Connection: close\nConnection: Keep-Alive,\nKeep-Alive: timeout=5\n")));
        CHECK_CLEAN(check_head(ok_with("Connection: ,close,, X-Custom ,\n")));
        CHECK_CLEAN(check_head("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: UPGRADE\n"));
        CHECK_CLEAN(check_head(ok_with("Upgrade: h2c\nConnection: keep-alive\nConnection: Upgrade\n")));
        CHECK_CLEAN(check_head(ok_with("Upgrade:\n")));  // an empty list upgrades nothing
        CHECK_CLEAN(check_head(ok_with("Via: 1.1 proxy.example, HTTP/1.0 cache:8080 (Squid/4.0 (x, y) \\) ok)\n")));
        CHECK_CLEAN(check_head(ok_with("Via: ,1.1 a,, 2 b:\nVia: FSTR/2 c (\xC3\xA9)\n")));
        CHECK_NO_FINDING(check_head(ok_with("Server: nginx/1.25.3\n")), "server-syntax");  // versions: an info of their own
        CHECK_NO_FINDING(check_head(ok_with("Server: Apache/2.4.1 (Unix) OpenSSL/1.0.2k-fips (comment (nested))\n")), "server-syntax");  // versions: an info of their own
        CHECK_CLEAN(check_head(ok_with("Server: gws\n")));
        CHECK_NO_FINDING(check_head(ok_with("Server: Microsoft-IIS/10.0 \t(x)\n")), "server-syntax");  // versions: an info of their own
        CHECK_CLEAN(check_head(ok_with("Trailer: Server-Timing, Digest\n")));
        CHECK_CLEAN(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Type: text/plain\nTransfer-Encoding: gzip, chunked\n"));
    }

    TEST_CASE("connection-syntax") {
        CHECK_FINDING(check_head(ok_with("Connection: keep-alive; timeout=5\n")), "connection-syntax",
                      Level::error, "\"keep-alive; timeout=5\" is not a connection option");
        CHECK_FINDING(check_head(ok_with("Connection: \"close\"\n")), "connection-syntax", Level::error,
                      "\\\"close\\\"");
        CHECK_FINDING(check_head(ok_with("Connection: close/1\n")), "connection-syntax", Level::error, "\"close/1\"");
        CHECK_FINDING(check_head(ok_with("Connection: Upgrade close\n")), "connection-syntax", Level::error,
                      "\"Upgrade close\"");
        SUBCASE("request side") {
            const auto findings = check_request_fields("Connection: keep-alive; timeout=5\n");
            CHECK_FINDING(findings, "connection-syntax", Level::error, "request: Connection");
            CHECK(findings.front().message.starts_with("request: "));
            CHECK_CLEAN(check_request_fields("Connection: keep-alive, Upgrade\nUpgrade: websocket\n"));
        }
    }

    TEST_CASE("upgrade-missing-connection-option") {
        CHECK_FINDING(check_head(ok_with("Upgrade: h2c\nConnection: close\n")), "upgrade-missing-connection-option",
                      Level::error, "Upgrade \"h2c\" is sent with Connection \"close\"");
        CHECK_FINDING(check_head("HTTP/1.1 426 Upgrade Required\n" + string(kDate) + "Upgrade: TLS/1.2\n"),
                      "upgrade-missing-connection-option", Level::error, "without Connection");
        CHECK_FINDING(check_request_fields("Upgrade: websocket\nConnection: keep-alive\n"),
                      "upgrade-missing-connection-option", Level::error, "request: Upgrade \"websocket\"");
        SUBCASE("a malformed element naming upgrade is left to connection-syntax") {
            CHECK_NO_FINDING(check_head(ok_with("Upgrade: h2c\nConnection: upgrade;x\n")),
                             "upgrade-missing-connection-option");
        }
    }

    TEST_CASE("keep-alive-missing-connection-option") {
        CHECK_FINDING(check_head(ok_with("Keep-Alive: timeout=5\nConnection: close\n")),
                      "keep-alive-missing-connection-option", Level::error, "Keep-Alive \"timeout=5\"");
        CHECK_FINDING(check_head("HTTP/1.0 200 OK\n" + string(kDate) + "Keep-Alive: timeout=5\nContent-Length: 0\n"),
                      "keep-alive-missing-connection-option", Level::error, "without Connection");
        CHECK_FINDING(check_request_fields("Keep-Alive: 300\n"), "keep-alive-missing-connection-option",
                      Level::error, "request: Keep-Alive");
    }

    TEST_CASE("trailer-forbidden-field") {
        CHECK_FINDING(check_head(ok_with("Trailer: Server-Timing, content-length\nTrailer: ,Set-Cookie\n")),
                      "trailer-forbidden-field", Level::error, "\"content-length, Set-Cookie\"");
        for (const char* name : {"Transfer-Encoding", "Host", "Authorization", "Cache-Control", "TE", "Date",
                                 "Expires", "Vary", "Keep-Alive", "Upgrade", "If-Range", "Retry-After"}) {
            CAPTURE(name);
            CHECK_FINDING(check_head(ok_with(string("Trailer: ") + name + "\n")), "trailer-forbidden-field",
                          Level::error, name);
        }
    }

    TEST_CASE("trailer-forbidden-field in the trailer section itself") {
        const string head = head_of("HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
                                    "Transfer-Encoding: chunked\n");
        const auto trailers = [&](std::string_view section) {
            BodyOutcome outcome;
            outcome.trailer_section = section;
            Findings findings;
            Checker{}.check_body(head, request(), outcome, findings);
            return findings;
        };
        CHECK_FINDING(trailers("Server-Timing: db;dur=53\r\ncontent-length: 5\r\nSet-Cookie: a=b\r\n"),
                      "trailer-forbidden-field", Level::error, "trailer section carries \"content-length, Set-Cookie\"");
        CHECK_FINDING(trailers("Cache-Control: no-store\n"), "trailer-forbidden-field", Level::error,
                      "\"Cache-Control\"");  // lint captures may end lines in a bare LF
        // Fields a trailer may carry, and no trailer section at all.
        CHECK_CLEAN(trailers("Server-Timing: total;dur=12\r\nDigest: sha-256=abc\r\nX-Checksum: 1\r\n"));
        CHECK_CLEAN(trailers(""));
        CHECK_CLEAN(trailers("X-Content-Length-Note: 5\r\n"));  // a name that only contains a forbidden one
    }

    TEST_CASE("transfer-encoding-chunked-repeated") {
        const string chunked = string("HTTP/1.1 200 OK\n") + string(kDate);
        CHECK_FINDING(check_head(chunked + "Transfer-Encoding: chunked, chunked\n"),
                      "transfer-encoding-chunked-repeated", Level::error, "\"chunked, chunked\" applies chunked 2");
        CHECK_FINDING(check_head(chunked + "Transfer-Encoding: Chunked\nTransfer-Encoding: gzip, CHUNKED\n"),
                      "transfer-encoding-chunked-repeated", Level::error, "\"Chunked, gzip, CHUNKED\"");
        CHECK_NO_FINDING(check_head(chunked + "Transfer-Encoding: chunked,\nTransfer-Encoding: ,\n"),
                         "transfer-encoding-chunked-repeated");
    }

    TEST_CASE("via-syntax") {
        for (const char* bad : {"proxy1", "1.1", "1.1 a b", "1.1 cache (unterminated", "1.1 [2001:db8::1]:8080",
                                "1.1 a(comment)", "HTTP/ a", "1.1 a; b"}) {
            CAPTURE(bad);
            CHECK_FINDING(check_head(ok_with(string("Via: ") + bad + "\n")), "via-syntax", Level::error,
                          string("Via \"") + bad);
        }
        CHECK_FINDING(check_request_fields("Via: proxy1\n"), "via-syntax", Level::error, "request: Via \"proxy1\"");
    }

    TEST_CASE("server-syntax") {
        CHECK_FINDING(check_head(ok_with("Server:\n")), "server-syntax", Level::error, "is empty");
        CHECK_FINDING(check_head(ok_with("Server: (Ubuntu) Apache\n")), "server-syntax", Level::error,
                      "starts with a comment");
        CHECK_FINDING(check_head(ok_with("Server: Jetty(9.4.z)\n")), "server-syntax", Level::error,
                      "\"Jetty(9.4.z)\" has a comment with no whitespace before it");
        CHECK_FINDING(check_head(ok_with("Server: Zope/(2.13)\n")), "server-syntax", Level::error,
                      "version after '/' that is not a token");
        CHECK_FINDING(check_head(ok_with("Server: Foo/1.0 [x]\n")), "server-syntax", Level::error, "\"[x]\"");
        CHECK_FINDING(check_head(ok_with("Server: a/b/c\n")), "server-syntax", Level::error, "second '/'");
        CHECK_FINDING(check_head(ok_with("Server: Foo (bar\n")), "server-syntax", Level::error, "unterminated");
    }
}

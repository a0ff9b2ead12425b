// Status codes tied to the request or forbidding content (RULES-v2 "Status codes: more
// requirements"), and the raw status line.
#include "ExchangeCheck.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string response(std::string_view status_line, std::string_view more = "") {
    return string(status_line) + "\n" + string(kDate) + string(more);
}
BodyOutcome after_head(std::uint64_t bytes, std::string_view content = {}) {
    BodyOutcome outcome;
    outcome.bytes_after_head = bytes;
    outcome.content = content;
    return outcome;
}
}  // namespace

TEST_SUITE("status codes v2") {
    TEST_CASE("101-missing-upgrade") {
        const ExchangeCheck ws("GET /chat\nConnection: Upgrade\nUpgrade: websocket");
        CHECK_FINDING(ws.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\n")),
                      "101-missing-upgrade", Level::error, "Upgrade: websocket");
        CHECK_FINDING(ws.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: ,\n")),
                      "101-missing-upgrade", Level::error, "\",\"");
        CHECK_CLEAN(ws.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: websocket\n")));
        // Without the request, only the response's own field is judged.
        CHECK_FINDING(check_head(response("HTTP/1.1 101 Switching Protocols")), "101-missing-upgrade",
                      Level::error, "101");
    }

    TEST_CASE("101-upgrade-not-requested") {
        const ExchangeCheck h2c("GET /\nConnection: Upgrade, HTTP2-Settings\nUpgrade: h2c\nHTTP2-Settings: AAMAAABk");
        const auto switched = h2c.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: websocket\n"));
        CHECK_FINDING(switched, "101-upgrade-not-requested", Level::error, "\"websocket\"");
        CHECK_FINDING(switched, "101-upgrade-not-requested", Level::error, "\"h2c\"");
        const ExchangeCheck plain("GET /");
        CHECK_FINDING(plain.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: websocket\n")),
                      "101-upgrade-not-requested", Level::error, "without Upgrade");
        // A layered switch naming one protocol the client did not offer.
        const ExchangeCheck tls("OPTIONS *\nConnection: Upgrade\nUpgrade: TLS/1.2");
        CHECK_FINDING(tls.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: TLS/1.2, IRC/6.9\n")),
                      "101-upgrade-not-requested", Level::error, "\"IRC/6.9\"");

        SUBCASE("tricky clean") {
            // Names compare case-insensitively, versions are ignored, offers span several lines.
            const ExchangeCheck offers("GET /\nConnection: upgrade\nUpgrade: foo/2, , HTTP/2.0\nUpgrade: WebSocket");
            CHECK_CLEAN(offers.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: websocket\n")));
            CHECK_CLEAN(offers.run(response("HTTP/1.1 101 Switching Protocols", "Connection: upgrade\nUpgrade: HTTP/2.0, Foo/3\n")));
            // Unknown request: silent.
            CHECK_NO_FINDING(check_head(response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket\n")),
                             "101-upgrade-not-requested");
        }
    }

    TEST_CASE("201-missing-location") {
        const ExchangeCheck post("POST /items\nContent-Length: 0");
        CHECK_FINDING(post.run(response("HTTP/1.1 201 Created", "Content-Length: 0\n")), "201-missing-location",
                      Level::info, "/items");
        CHECK_CLEAN(post.run(response("HTTP/1.1 201 Created", "Location: /items/7\nContent-Length: 0\n")));
        // PUT creates the target URI itself.
        CHECK_CLEAN(ExchangeCheck("PUT /items/7\nContent-Length: 0").run(response("HTTP/1.1 201 Created", "Content-Length: 0\n")));
        CHECK_CLEAN(check_head(response("HTTP/1.1 201 Created", "Content-Length: 0\n"), request("post", "/x")));
    }

    TEST_CASE("205-has-content") {
        const ExchangeCheck post("POST /form\nContent-Length: 0");
        CHECK_FINDING(post.run(response("HTTP/1.1 205 Reset Content", "Content-Type: text/plain\nContent-Length: 5\n")),
                      "205-has-content", Level::error, "\"5\"");
        // Chunked or close-delimited content, as the body stream saw it.
        CHECK_FINDING(post.body(response("HTTP/1.1 205 Reset Content", "Transfer-Encoding: chunked\n"), after_head(15, "reset")),
                      "205-has-content", Level::error, "chunked");
        CHECK_FINDING(post.body(response("HTTP/1.1 205 Reset Content"), after_head(5)), "205-has-content", Level::error,
                      "close");

        SUBCASE("tricky clean") {
            CHECK_CLEAN(post.run(response("HTTP/1.1 205 Reset Content", "Content-Length: 0\n")));
            CHECK_CLEAN(post.run(response("HTTP/1.1 205 Reset Content", "Content-Length: 000\n")));
            // An empty chunked body: only "0\r\n\r\n" after the head, no content.
            CHECK_CLEAN(post.body(response("HTTP/1.1 205 Reset Content", "Transfer-Encoding: chunked\n"), after_head(5)));
            CHECK_CLEAN(post.body(response("HTTP/1.1 205 Reset Content", "Content-Length: 0\n"), after_head(0)));
            // HEAD is excluded (its bytes are head-response-has-content's), and so is an unknown method.
            const ExchangeCheck head("HEAD /form");
            CHECK_NO_FINDING(head.run(response("HTTP/1.1 205 Reset Content", "Content-Length: 5\n")), "205-has-content");
            CHECK_NO_FINDING(check_head(response("HTTP/1.1 205 Reset Content", "Content-Length: 5\n"), request("")),
                             "205-has-content");
            // A malformed Content-Length is content-length-invalid's.
            CHECK_NO_FINDING(post.run(response("HTTP/1.1 205 Reset Content", "Content-Length: 5x\n")), "205-has-content");
        }
    }

    TEST_CASE("head-response-has-content") {
        const ExchangeCheck head("HEAD /hello.txt");
        const string ok = response("HTTP/1.1 200 OK", "Content-Type: text/plain\nContent-Length: 11\n");
        CHECK_FINDING(head.body(ok, after_head(11)), "head-response-has-content", Level::error, "11 bytes");
        CHECK_FINDING(head.body(response("HTTP/1.1 404 Not Found", "Transfer-Encoding: chunked\n"), after_head(5)),
                      "head-response-has-content", Level::error, "404");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(head.body(ok, after_head(0)));
            CHECK_CLEAN(head.body(ok, after_head(2)));  // a lone CRLF
            CHECK_CLEAN(ExchangeCheck("GET /hello.txt").body(ok, after_head(11)));
            CHECK_CLEAN(head.body(response("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket\n"), after_head(40)));
        }
    }

    TEST_CASE("305-deprecated") {
        CHECK_FINDING(check_head(response("HTTP/1.1 305 Use Proxy", "Location: http://proxy.example:3128/\n")),
                      "305-deprecated", Level::warning, "305");
    }

    TEST_CASE("417-without-expect") {
        CHECK_FINDING(ExchangeCheck("PUT /upload\nContent-Length: 0").run(response("HTTP/1.1 417 Expectation Failed", "Content-Length: 0\n")),
                      "417-without-expect", Level::warning, "without Expect");
        CHECK_NO_FINDING(ExchangeCheck("PUT /upload\nExpect: 100-continue\nContent-Length: 5")
                             .run(response("HTTP/1.1 417 Expectation Failed", "Content-Length: 0\n")),
                         "417-without-expect");
        CHECK_NO_FINDING(check_head(response("HTTP/1.1 417 Expectation Failed", "Content-Length: 0\n")),
                         "417-without-expect");
    }

    TEST_CASE("451-missing-blocked-by") {
        const auto none = check_head(response("HTTP/1.1 451 Unavailable For Legal Reasons", "Content-Length: 0\n"));
        CHECK_FINDING(none, "451-missing-blocked-by", Level::warning, "rel=\"blocked-by\"");
        CHECK_FINDING(check_head(response("HTTP/1.1 451 Unavailable For Legal Reasons",
                                          "Link: <https://a.example/>; rel=\"blocked\"\nContent-Length: 0\n")),
                      "451-missing-blocked-by", Level::warning, "<https://a.example/>");
        // "blocked-by" only inside the URI or another parameter.
        CHECK_FINDING(check_head(response("HTTP/1.1 451 Unavailable For Legal Reasons",
                                          "Link: <https://a.example/;rel=blocked-by>; rel=author; title=\"rel=blocked-by\"\n"
                                          "Content-Length: 0\n")),
                      "451-missing-blocked-by", Level::warning, "451");
        SUBCASE("tricky clean") {
            for (const char* link : {
                     "Link: <https://a.example/>; rel=\"blocked-by\"\n",
                     "Link: <https://a.example/>; REL=Blocked-By\n",
                     "Link: <https://a.example/>;rel = \"nofollow  blocked-by\"\n",
                     "Link: </style.css>; rel=stylesheet, <https://a.example/a,b>; title=\"x, y; z\"; rel=\"blocked-by\"\n",
                     "Link: </style.css>; rel=stylesheet\nLink: <https://a.example/>; rel=\"blocked-by\"\n",
                 }) {
                CAPTURE(link);
                CHECK_CLEAN(check_head(response("HTTP/1.1 451 Unavailable For Legal Reasons",
                                                string(link) + "Content-Length: 0\n")));
            }
        }
    }

    TEST_CASE("status-line-version-invalid") {
        for (const char* line : {"HTTP/2 200 OK", "HTTP/2.0 200 OK", "http/1.1 200 OK", "HTTP/1.10 200 OK",
                                 "ICY 200 OK", "HTTP/0.9 200 OK"}) {
            CAPTURE(line);
            CHECK_FINDING(check_head(response(line, "Content-Length: 0\n")), "status-line-version-invalid",
                          Level::error, string("\"") + line);
        }
        CHECK_FINDING(check_head(response("HTTP/1.1\t200 OK", "Content-Length: 0\n")), "status-line-version-invalid",
                      Level::error, "\"HTTP/1.1\\t200 OK\"");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(response("HTTP/1.0 200 OK", "Content-Length: 0\n")));
            CHECK_CLEAN(check_head(response("HTTP/1.1 404 ", "Content-Length: 0\n")));
            // No status code at all is status-code-invalid's.
            const auto bare = check_head(response("HTTP/1.1", "Content-Length: 0\n"));
            CHECK_FINDING(bare, "status-code-invalid", Level::error, "HTTP/1.1");
            CHECK_NO_FINDING(bare, "status-line-version-invalid");
        }
    }

    TEST_CASE("status-line-missing-space") {
        CHECK_FINDING(check_head(response("HTTP/1.1 204")), "status-line-missing-space", Level::error,
                      "\"HTTP/1.1 204 \"");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(response("HTTP/1.1 404 ", "Content-Length: 0\n")));
            CHECK_CLEAN(check_head(response("HTTP/1.1 200 OK", "Content-Length: 0\n")));
            CHECK_NO_FINDING(check_head(response("HTTP/1.1", "Content-Length: 0\n")), "status-line-missing-space");
        }
    }
}

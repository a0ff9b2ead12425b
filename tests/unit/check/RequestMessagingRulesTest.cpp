// Rules about the client's request alone (RULES-v2 "Requests"): Expect, Max-Forwards, TE,
// User-Agent, content on GET/HEAD/DELETE.
#include "ExchangeCheck.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

TEST_SUITE("request messaging") {
    TEST_CASE("request rules run once per exchange, on the request alone") {
        // Without the request head (offline lint of a bare response) they stay silent.
        Findings findings;
        Checker{}.check_request(request("GET", "/"), findings);
        CHECK_CLEAN(findings);
        CHECK_CLEAN(check_request_of("GET /\nUser-Agent: curl/8.5.0\nAccept: */*"));
    }

    TEST_CASE("expect-100-continue-without-content") {
        const auto zero = check_request_of("PUT /upload\nExpect: 100-continue\nContent-Length: 0");
        CHECK_FINDING(zero, "expect-100-continue-without-content", Level::error, "request: PUT");
        CHECK_FINDING(zero, "expect-100-continue-without-content", Level::error, "Content-Length: 0");
        CHECK_FINDING(check_request_of("POST /x\nExpect: 100-CONTINUE"), "expect-100-continue-without-content",
                      Level::error, "no Content-Length");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_request_of("PUT /upload\nExpect: 100-continue\nContent-Length: 5"));
            CHECK_CLEAN(check_request_of("PUT /upload\nExpect: 100-Continue\nTransfer-Encoding: chunked"));
            // A malformed Content-Length may announce content: not judged here.
            CHECK_NO_FINDING(check_request_of("PUT /upload\nExpect: 100-continue\nContent-Length: 5x"),
                             "expect-100-continue-without-content");
        }
    }

    TEST_CASE("expect-unknown") {
        CHECK_FINDING(check_request_of("PUT /upload\nExpect: 200-ok\nContent-Length: 0"), "expect-unknown",
                      Level::warning, "\"200-ok\"");
        CHECK_FINDING(check_request_of("PUT /upload\nExpect: 100 continue\nContent-Length: 5"), "expect-unknown",
                      Level::warning, "\"100 continue\"");
        CHECK_FINDING(check_request_of("PUT /upload\nExpect: 100-continue\nExpect: foo=\"a,b\"; p=1\nContent-Length: 5"),
                      "expect-unknown", Level::warning, "request: Expect \"foo=");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_request_of("PUT /upload\nExpect: 100-continue, \nContent-Length: 5"));
            CHECK_CLEAN(check_request_of("PUT /upload\nExpect: ,100-Continue,,\nContent-Length: 5"));
        }
    }

    TEST_CASE("max-forwards-syntax") {
        for (const char* value : {"-1", "ten", "1.5", "1, 2", "+3"}) {
            CAPTURE(value);
            CHECK_FINDING(check_request_of(string("OPTIONS *\nMax-Forwards: ") + value), "max-forwards-syntax",
                          Level::error, string("\"") + value + "\"");
        }
        CHECK_FINDING(check_request_of("TRACE /\nMax-Forwards:"), "max-forwards-syntax", Level::error, "\"\"");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_request_of("TRACE /\nMax-Forwards: 0"));
            CHECK_CLEAN(check_request_of("TRACE /\nMax-Forwards:  007 "));
        }
    }

    TEST_CASE("te-chunked") {
        CHECK_FINDING(check_request_of("GET /\nTE: trailers, chunked\nConnection: TE"), "te-chunked", Level::error,
                      "\"trailers, chunked\"");
        CHECK_FINDING(check_request_of("GET /\nTE: gzip;q=0.5\nTE: Chunked ;q=1\nConnection: te"), "te-chunked",
                      Level::error, "\"Chunked ;q=1\"");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_request_of("GET /\nTE: trailers, deflate;q=0.5, chunkedx\nConnection: keep-alive, TE"));
        }
    }

    TEST_CASE("te-missing-connection-option") {
        CHECK_FINDING(check_request_of("GET /\nTE: trailers"), "te-missing-connection-option", Level::error,
                      "Connection: TE");
        CHECK_FINDING(check_request_of("GET /\nTE: trailers\nConnection: close, TE2"), "te-missing-connection-option",
                      Level::error, "\"close, TE2\"");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_request_of("GET /\nTE: trailers\nConnection: keep-alive\nConnection: ,te"));
            CHECK_CLEAN(check_request_of("GET /\nConnection: TE"));
        }
    }

    TEST_CASE("user-agent-syntax") {
        for (const char* value : {"(bot)", "python-requests/2.0 [bot]", "Foo/1.0/2.0", "Mozilla/5.0(X11)",
                                  "Foo/1.0 (unterminated", "Foo/ 1.0", "Foo (a))"}) {
            CAPTURE(value);
            CHECK_FINDING(check_request_of(string("GET /\nUser-Agent: ") + value), "user-agent-syntax", Level::error,
                          "request: User-Agent");
        }
        CHECK_FINDING(check_request_of("GET /\nUser-Agent:"), "user-agent-syntax", Level::error, "\"\"");
        SUBCASE("tricky clean") {
            for (const char* value : {
                     "curl/8.5.0",
                     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/120.0.0.0 Safari/537.36",
                     "Bot/1 (nested (comment \\) with) escapes) (+https://e.example/bot)",
                     "A\t(tab-separated)  B/2",
                     "Dalvik/2.1.0 (Linux; U; Android 11; SM-G991B Build/RP1A.200720.012)",
                     "Foo (caf\xC3\xA9)",
                 }) {
                CAPTURE(value);
                CHECK_CLEAN(check_request_of(string("GET /\nUser-Agent: ") + value));
            }
        }
    }

    TEST_CASE("request-content-without-semantics") {
        CHECK_FINDING(check_request_of("GET /search\nContent-Length: 12"), "request-content-without-semantics",
                      Level::info, "request: GET carries content (Content-Length: 12)");
        CHECK_FINDING(check_request_of("DELETE /items/7\nTransfer-Encoding: chunked"),
                      "request-content-without-semantics", Level::info, "\"chunked\"");
        CHECK_FINDING(check_request_of("HEAD /\nContent-Length: 1"), "request-content-without-semantics", Level::info,
                      "HEAD");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_request_of("GET /search\nContent-Length: 0"));
            CHECK_CLEAN(check_request_of("POST /search\nContent-Length: 12"));
            CHECK_CLEAN(check_request_of("get /search\nContent-Length: 12"));  // methods are case-sensitive
            CHECK_NO_FINDING(check_request_of("GET /search\nContent-Length: x"), "request-content-without-semantics");
        }
    }
}

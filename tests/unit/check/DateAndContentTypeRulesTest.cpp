#include "CheckTestSupport.hpp"
#include "check/parse/MediaType.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

TEST_SUITE("date") {
    TEST_CASE("date-missing on 2xx, 3xx and 4xx only") {
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nContent-Length: 0\n"), "date-missing", Level::warning,
                      "Date: Sun, 06 Nov 1994 08:49:37 GMT");
        CHECK_FINDING(check_head("HTTP/1.1 404 Not Found\nContent-Length: 0\n"), "date-missing",
                      Level::warning, "404");
        CHECK_CLEAN(check_head("HTTP/1.1 500 Internal Server Error\nContent-Length: 0\n"));
        CHECK_CLEAN(check_head("HTTP/1.1 100 Continue\n"));
    }

    TEST_CASE("date-syntax") {
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nDate: Sunday, 06-Nov-94 08:49:37 GMT\nContent-Length: 0\n"),
                      "date-syntax", Level::error, "RFC 850");
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nDate: Sun Nov  6 08:49:37 1994\nContent-Length: 0\n"),
                      "date-syntax", Level::error, "\"Sun Nov  6 08:49:37 1994\"");
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nDate: 2026-11-21T10:00:00Z\nContent-Length: 0\n"),
                      "date-syntax", Level::error, "\"2026-11-21T10:00:00Z\"");
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 +0000\nContent-Length: 0\n"),
                      "date-syntax", Level::error, "+0000");
    }

    TEST_CASE("date-syntax after a valid Date: the checker remembers only valid dates") {
        // Same length as the valid one before it, one character off.
        CHECK_CLEAN(check_head("HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 0\n"));
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMX\nContent-Length: 0\n"),
                      "date-syntax", Level::error, "GMX");
        CHECK_CLEAN(check_head("HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 0\n"));
        CHECK_FINDING(check_head("HTTP/1.1 200 OK\nDate: \nContent-Length: 0\n"), "date-syntax", Level::error, "");
    }
}

TEST_SUITE("content type") {
    TEST_CASE("clean Content-Type") {
        for (const char* type : {"application/json", "application/json;", "text/html; charset=utf-8",
                                 "text/html;charset=\"utf-8\"", "multipart/form-data; boundary=\"a b\"",
                                 "application/vnd.api+json ; ; q=1", "TEXT/PLAIN"}) {
            CAPTURE(type);
            CHECK_CLEAN(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Type: " + type +
                                   "\nContent-Length: 10\n"));
        }
    }

    TEST_CASE("content-type-syntax") {
        for (const char* type : {"json", "text/", "/html", "text/html; charset", "text/html; charset = utf-8",
                                 "text/html, application/json", "text/html; charset=\"utf-8"}) {
            CAPTURE(type);
            CHECK_FINDING(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Type: " + type +
                                     "\nContent-Length: 10\n"),
                          "content-type-syntax", Level::error, string(type).substr(0, 9));
        }
    }

    TEST_CASE("content-type-missing") {
        CHECK_FINDING(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Length: 10\n"),
                      "content-type-missing", Level::warning, "Content-Length 10");
        CHECK_FINDING(check_head(string("HTTP/1.1 404 Not Found\n") + string(kDate) +
                                 "Transfer-Encoding: chunked\n"),
                      "content-type-missing", Level::warning, "\"chunked\"");
    }

    TEST_CASE("no content, no Content-Type needed") {
        CHECK_CLEAN(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Length: 0\n"));
        CHECK_CLEAN(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Length: 10\n",
                               request("HEAD")));
        CHECK_CLEAN(check_head(string("HTTP/1.1 304 Not Modified\n") + string(kDate) + "Content-Length: 10\n"));
    }
}

TEST_CASE("parse_media_type") {
    const auto parsed = parse_media_type("application/problem+json; charset=utf-8");
    REQUIRE(parsed.media_type);
    CHECK(parsed.media_type->type == "application");
    CHECK(parsed.media_type->subtype == "problem+json");
    CHECK_FALSE(parse_media_type("").media_type);
    CHECK_FALSE(parse_media_type("a/b c").media_type);
}

#include "ExchangeTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

TEST_SUITE("request preconditions") {
    TEST_CASE("clean requests") {
        for (const char* request :
             {"GET /a\nRange: bytes=0-99", "GET /a\nRange: Bytes=0-", "GET /a\nRange: bytes=-500",
              "GET /a\nRange: bytes=0-0, 5-5,,-1", "GET /a\nRange: bytes=0-1 , 4-5",
              "GET /a\nRange: items=0-9", "GET /a\nRange: x=a\"b", "GET /a\nRange: bytes=007-7",
              "GET /a\nRange: bytes=99999999999999999999999-999999999999999999999999",
              "PUT /a\nIf-Match: *", "PUT /a\nIf-Match: \"a\", W/\"b\"", "PUT /a\nIf-Match: \"a\"\nIf-Match: \"b\"",
              "GET /a\nIf-None-Match: \"a,b\", \"c\\\"", "GET /a\nIf-None-Match: ,\"a\",,  \"b\" ,",
              "GET /a\nIf-None-Match: \"\"", "GET /a\nIf-None-Match: W/\"\"",
              "GET /a\nIf-Modified-Since: Sat, 21 Nov 2026 10:00:00 GMT",
              "PUT /a\nIf-Unmodified-Since: Sat, 21 Nov 2026 10:00:00 GMT",
              "GET /a\nRange: bytes=0-4\nIf-Range: \"v1\"",
              "GET /a\nRange: bytes=0-4\nIf-Range: Sat, 21 Nov 2026 10:00:00 GMT",
              "GET /a\nRange: bytes=0-4\nIf-Range: \"not a valid tag\""}) {
            CAPTURE(request);
            CHECK_CLEAN(check_request_fields(request));
        }
    }

    TEST_CASE("range-syntax") {
        for (const char* range : {"bytes 0-99", "bytes=", "0-99", "bytes=5-2", "bytes=-", "bytes=a-b",
                                  "bytes=0-1-2", "bytes=,", "bytes = 0-1", "bytes=0-1;x", "bytes=1",
                                  "items=", "items=a b", "=0-1"}) {
            CAPTURE(range);
            CHECK_FINDING(check_request_fields(string("GET /a\nRange: ") + range), "range-syntax",
                          Level::error, "request: Range \"");
        }
        CHECK_FINDING(check_request_fields("GET /a\nRange: bytes=0-1, 5-2"), "range-syntax", Level::error,
                      "\"5-2\" has its last position below its first");
        // Each line is judged (Range is a singleton).
        CHECK_FINDING(check_request_fields("GET /a\nRange: bytes=0-1\nRange: bytes 2-3"), "range-syntax",
                      Level::error, "\"bytes 2-3\"");
    }

    TEST_CASE("if-match-syntax and if-none-match-syntax") {
        for (const char* value : {"abc", "W/abc", "w/\"a\"", "\"a\" \"b\"", "*, \"a\"", "\"a\", *", "* *",
                                  "\"a b\"", "", ",", "W/ \"a\"", "\"a"}) {
            CAPTURE(value);
            CHECK_FINDING(check_request_fields(string("PUT /a\nIf-Match: ") + value), "if-match-syntax",
                          Level::error, "request: If-Match");
            CHECK_FINDING(check_request_fields(string("GET /a\nIf-None-Match: ") + value), "if-none-match-syntax",
                          Level::error, "request: If-None-Match");
        }
        CHECK_FINDING(check_request_fields("GET /a\nIf-None-Match: \"a\", abc"), "if-none-match-syntax",
                      Level::error, "\"abc\" is not in double quotes");
        CHECK_FINDING(check_request_fields("GET /a\nIf-None-Match: w/\"a\""), "if-none-match-syntax",
                      Level::error, "case-sensitive");
        // "*" joined with a second line is a list holding "*".
        CHECK_FINDING(check_request_fields("GET /a\nIf-None-Match: *\nIf-None-Match: \"a\""),
                      "if-none-match-syntax", Level::error, "must be the whole value");
    }

    TEST_CASE("conditional-date-syntax") {
        for (const char* date : {"Saturday, 21-Nov-26 10:00:00 GMT", "Sat Nov 21 10:00:00 2026",
                                 "2026-11-21T10:00:00Z", "1795089600", "Sat, 21 Nov 2026 10:00:00 UTC",
                                 "Sat, 21 Nov 2026 10:00:00 +0000"}) {
            CAPTURE(date);
            CHECK_FINDING(check_request_fields(string("GET /a\nIf-Modified-Since: ") + date),
                          "conditional-date-syntax", Level::error, "request: If-Modified-Since");
            CHECK_FINDING(check_request_fields(string("PUT /a\nIf-Unmodified-Since: ") + date),
                          "conditional-date-syntax", Level::error, "request: If-Unmodified-Since");
            CHECK_FINDING(check_request_fields(string("GET /a\nRange: bytes=0-1\nIf-Range: ") + date),
                          "conditional-date-syntax", Level::error, "request: If-Range");
        }
        // A lowercase weak prefix does not start an entity-tag: it is judged as a date.
        CHECK_FINDING(check_request_fields("GET /a\nRange: bytes=0-1\nIf-Range: w/\"x\""),
                      "conditional-date-syntax", Level::error, "entity-tag");
    }

    TEST_CASE("if-range-without-range") {
        CHECK_FINDING(check_request_fields("GET /a\nIf-Range: \"v1\""), "if-range-without-range",
                      Level::error, "request: If-Range \"\\\"v1\\\"\"");
        CHECK_NO_FINDING(check_request_fields("GET /a\nrange: bytes=0-1\nif-range: \"v1\""),
                         "if-range-without-range");
    }

    TEST_CASE("if-range-weak-etag") {
        const auto findings = check_request_fields("GET /a\nRange: bytes=0-1\nIf-Range: W/\"v1\"");
        CHECK_FINDING(findings, "if-range-weak-etag", Level::error, "request: If-Range \"W/\\\"v1\\\"\"");
        CHECK_NO_FINDING(findings, "conditional-date-syntax");
    }
}

#include "CheckTestSupport.hpp"
#include "conformance_proxy/http/HttpDate.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

TEST_SUITE("retry-after") {
    TEST_CASE("clean Retry-After in every accepted form") {
        SUBCASE("delay-seconds") {
            CHECK_CLEAN(check_head(empty_response("HTTP/1.1 503 Service Unavailable", "Retry-After: 120\n")));
        }
        SUBCASE("IMF-fixdate") {
            CHECK_CLEAN(check_head(empty_response("HTTP/1.1 429 Too Many Requests",
                                               "Retry-After: Fri, 31 Dec 1999 23:59:59 GMT\n")));
        }
        SUBCASE("obsolete RFC 850 date") {
            CHECK_CLEAN(check_head(empty_response("HTTP/1.1 503 Service Unavailable",
                                               "Retry-After: Sunday, 06-Nov-94 08:49:37 GMT\n")));
        }
        SUBCASE("obsolete asctime date") {
            CHECK_CLEAN(check_head(empty_response("HTTP/1.1 413 Content Too Large",
                                               "Retry-After: Sun Nov  6 08:49:37 1994\n")));
        }
    }

    TEST_CASE("413-missing-retry-after") {
        // info: most 413s are fixed size limits; the message says both cases.
        const auto findings = check_head(empty_response("HTTP/1.1 413 Content Too Large"));
        CHECK_FINDING(findings, "413-missing-retry-after", Level::info, "if the condition is temporary");
        CHECK_FINDING(findings, "413-missing-retry-after", Level::info, "fixed size limit, no Retry-After is owed");
    }

    TEST_CASE("retry-after-missing on 429 and 503") {
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 429 Too Many Requests")), "retry-after-missing",
                      Level::info, "429");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 503 Service Unavailable")), "retry-after-missing",
                      Level::info, "503");
    }

    TEST_CASE("retry-after-syntax") {
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 503 Service Unavailable", "Retry-After: 5 minutes\n")),
                      "retry-after-syntax", Level::error, "\"5 minutes\"");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 503 Service Unavailable", "Retry-After: -1\n")),
                      "retry-after-syntax", Level::error, "\"-1\"");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 503 Service Unavailable",
                                             "Retry-After: 2026-11-21T10:00:00Z\n")),
                      "retry-after-syntax", Level::error, "2026-11-21");
    }
}

TEST_CASE("parse_http_date") {
    using namespace cproxy::http;
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == HttpDateForm::imf_fixdate);
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == HttpDateForm::rfc850);
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == HttpDateForm::asctime);
    CHECK(parse_http_date("Sun Nov 16 08:49:37 1994") == HttpDateForm::asctime);
    CHECK(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT") == HttpDateForm::imf_fixdate);
    CHECK_FALSE(parse_http_date("Fri, 29 Feb 2023 00:00:00 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
    CHECK_FALSE(parse_http_date("sun, 06 Nov 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 6 Nov 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 31 Apr 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT "));
    CHECK_FALSE(parse_http_date(""));
}

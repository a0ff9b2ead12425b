#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
constexpr std::string_view kNewDate = "Date: Sat, 21 Nov 2026 10:00:00 GMT\n";
string ok_with(std::string_view lines) {
    return string("HTTP/1.1 200 OK\n") + string(kNewDate) + string(lines) + "Content-Length: 0\n";
}
}  // namespace

TEST_SUITE("validators") {
    TEST_CASE("etag-syntax: clean") {
        for (const char* etag : {"\"\"", "W/\"\"", "\"a\\b\"", "\"5f3c1a2b-1a4\"", "W/\"v1\"",
                                 "\"a,b\"", "\"x\\\"", "\"caf\xc3\xa9\""}) {
            CAPTURE(etag);
            CHECK_CLEAN(check_head(ok_with(string("ETag: ") + etag + "\n")));
        }
        // A 1xx head is not judged (final responses only).
        CHECK_NO_FINDING(check_head("HTTP/1.1 103 Early Hints\nETag: abc\n"), "etag-syntax");
    }

    TEST_CASE("etag-syntax") {
        CHECK_FINDING(check_head(ok_with("ETag: 5f3c1a2b-1a4\n")), "etag-syntax", Level::error,
                      "quote it: ETag: \"5f3c1a2b-1a4\"");
        CHECK_FINDING(check_head(ok_with("ETag: w/\"x\"\n")), "etag-syntax", Level::error,
                      "ETag: W/\"x\"");
        CHECK_FINDING(check_head(ok_with("ETag: W/x1\n")), "etag-syntax", Level::error,
                      "ETag: W/\"x1\"");
        for (const char* etag : {"W/ \"x\"", "\"a b\"", "'abc'", "*", "\"a\", \"b\"", "W/x",
                                 "\"abc", "\"a\"b"}) {
            CAPTURE(etag);
            CHECK_FINDING(check_head(ok_with(string("ETag: ") + etag + "\n")), "etag-syntax",
                          Level::error, "is not");
        }
        // Every line is judged.
        CHECK_FINDING(check_head(ok_with("ETag: \"a\"\nETag: b\n")), "etag-syntax", Level::error, "\"b\"");
    }

    TEST_CASE("last-modified-syntax") {
        CHECK_CLEAN(check_head(ok_with("Last-Modified: Fri, 20 Nov 2026 10:00:00 GMT\n")));
        for (const char* date : {"2026-11-20T10:00:00Z", "Friday, 20-Nov-26 10:00:00 GMT",
                                 "Fri Nov 20 10:00:00 2026", "Fri, 20 Nov 2026 10:00:00 UTC", ""}) {
            CAPTURE(date);
            CHECK_FINDING(check_head(ok_with(string("Last-Modified: ") + date + "\n")),
                          "last-modified-syntax", Level::error, "IMF-fixdate");
        }
        CHECK_FINDING(check_head(ok_with("Last-Modified: 2026-11-20T10:00:00Z\n")),
                      "last-modified-syntax", Level::error, "\"2026-11-20T10:00:00Z\"");
    }

    TEST_CASE("last-modified-after-date") {
        SUBCASE("equal is fine, earlier is fine") {
            CHECK_CLEAN(check_head(ok_with("Last-Modified: Sat, 21 Nov 2026 10:00:00 GMT\n")));
            CHECK_CLEAN(check_head(ok_with("Last-Modified: Sat, 21 Nov 2026 09:59:59 GMT\n")));
            CHECK_CLEAN(check_head(ok_with("Last-Modified: Thu, 31 Dec 2025 23:59:59 GMT\n")));
        }
        SUBCASE("one second later, a month later, a year later") {
            for (const char* date : {"Sat, 21 Nov 2026 10:00:01 GMT", "Mon, 21 Dec 2026 10:00:00 GMT",
                                     "Sun, 01 Jan 2027 00:00:00 GMT"}) {
                CAPTURE(date);
                CHECK_FINDING(check_head(ok_with(string("Last-Modified: ") + date + "\n")),
                              "last-modified-after-date", Level::error, date);
            }
        }
        SUBCASE("not compared: invalid or repeated fields") {
            CHECK_NO_FINDING(check_head(ok_with("Last-Modified: Sun, 22 Nov 2026 10:00:00 UTC\n")),
                             "last-modified-after-date");
            CHECK_NO_FINDING(check_head(ok_with("Last-Modified: Sun, 22 Nov 2026 10:00:00 GMT\n"
                                                "Last-Modified: Sun, 22 Nov 2026 10:00:00 GMT\n")),
                             "last-modified-after-date");
            CHECK_NO_FINDING(check_head("HTTP/1.1 200 OK\nDate: Sunday, 06-Nov-94 08:49:37 GMT\n"
                                        "Last-Modified: Sun, 22 Nov 2026 10:00:00 GMT\nContent-Length: 0\n"),
                             "last-modified-after-date");
            CHECK_NO_FINDING(check_head("HTTP/1.1 200 OK\nLast-Modified: Sun, 22 Nov 2026 10:00:00 GMT\n"
                                        "Content-Length: 0\n"),
                             "last-modified-after-date");
        }
    }
}

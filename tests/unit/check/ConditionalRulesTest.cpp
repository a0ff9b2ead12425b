#include "ExchangeTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
constexpr std::string_view kNewDate = "Date: Sat, 21 Nov 2026 10:00:00 GMT\n";
string not_modified(std::string_view lines) {
    return string("HTTP/1.1 304 Not Modified\n") + string(kNewDate) + string(lines);
}
string ok_with(std::string_view lines) {
    return string("HTTP/1.1 200 OK\n") + string(kNewDate) + string(lines) + "Content-Length: 0\n";
}
string failed(std::string_view lines = "") {
    return string("HTTP/1.1 412 Precondition Failed\n") + string(kNewDate) + string(lines) +
           "Content-Length: 0\n";
}
}  // namespace

TEST_SUITE("conditional requests") {
    TEST_CASE("clean 304s") {
        CHECK_CLEAN(check_exchange(not_modified("ETag: \"v1\"\n"), "GET /a\nIf-None-Match: \"v1\""));
        // Weak comparison: W/ on either side still matches.
        CHECK_CLEAN(check_exchange(not_modified("ETag: W/\"v1\"\n"), "GET /a\nIf-None-Match: \"v1\""));
        CHECK_CLEAN(check_exchange(not_modified("ETag: \"v1\"\n"), "HEAD /a\nIf-None-Match: W/\"v1\""));
        // The matching tag in the second of two field lines, among others.
        CHECK_CLEAN(check_exchange(not_modified("ETag: \"v2\"\n"),
                                   "GET /a\nIf-None-Match: \"v0\", ,\"v9\"\nIf-None-Match: \"v2\""));
        CHECK_CLEAN(check_exchange(not_modified("ETag: \"a,b\"\n"), "GET /a\nIf-None-Match: \"x\", \"a,b\""));
        // If-None-Match: * carries no tag to compare; If-Modified-Since alone needs no ETag.
        CHECK_CLEAN(check_exchange(not_modified(""), "GET /a\nIf-None-Match: *"));
        CHECK_CLEAN(check_exchange(not_modified(""),
                                   "GET /a\nIf-Modified-Since: Fri, 20 Nov 2026 10:00:00 GMT"));
        // Unknown request head: silent.
        CHECK_CLEAN(check_head(not_modified("ETag: \"v3\"\n")));
    }

    TEST_CASE("304-unconditional-request") {
        CHECK_FINDING(check_exchange(not_modified("ETag: \"v1\"\n"), "GET /a"),
                      "304-unconditional-request", Level::warning, "without If-None-Match");
        CHECK_FINDING(check_exchange(not_modified("ETag: \"v1\"\n"), "GET /a\nIf-Match: \"v1\""),
                      "304-unconditional-request", Level::warning, "GET");
        CHECK_NO_FINDING(check_exchange(not_modified("ETag: \"v1\"\n"), "GET /a\nif-none-match: \"v1\""),
                         "304-unconditional-request");
    }

    TEST_CASE("304-method-not-get-head") {
        CHECK_FINDING(check_exchange(not_modified("ETag: \"v1\"\n"), "PUT /a\nIf-None-Match: \"v1\""),
                      "304-method-not-get-head", Level::error, "PUT");
        CHECK_NO_FINDING(check_exchange(not_modified("ETag: \"v1\"\n"), "HEAD /a\nIf-None-Match: \"v1\""),
                         "304-method-not-get-head");
    }

    TEST_CASE("304-etag-mismatch") {
        CHECK_FINDING(check_exchange(not_modified("ETag: \"v3\"\n"), "GET /a\nIf-None-Match: \"v1\", \"v2\""),
                      "304-etag-mismatch", Level::warning, "\"\\\"v3\\\"\"");
        // Entity-tags are case-sensitive.
        CHECK_FINDING(check_exchange(not_modified("ETag: \"ABC\"\n"), "GET /a\nIf-None-Match: \"abc\""),
                      "304-etag-mismatch", Level::warning, "If-None-Match");
        SUBCASE("not judged") {
            // An invalid If-None-Match disables the rules that read it.
            CHECK_NO_FINDING(check_exchange(not_modified("ETag: \"v3\"\n"), "GET /a\nIf-None-Match: v1"),
                             "304-etag-mismatch");
            CHECK_NO_FINDING(check_exchange(not_modified("ETag: \"v3\"\n"), "GET /a\nIf-None-Match: *"),
                             "304-etag-mismatch");
            // An invalid or repeated ETag is not compared.
            CHECK_NO_FINDING(check_exchange(not_modified("ETag: v3\n"), "GET /a\nIf-None-Match: \"v1\""),
                             "304-etag-mismatch");
            CHECK_NO_FINDING(check_exchange(not_modified("ETag: \"v3\"\nETag: \"v4\"\n"),
                                            "GET /a\nIf-None-Match: \"v1\""),
                             "304-etag-mismatch");
        }
    }

    TEST_CASE("304-missing-etag") {
        CHECK_FINDING(check_exchange(not_modified(""), "GET /a\nIf-None-Match: \"v1\""),
                      "304-missing-etag", Level::warning, "\"\\\"v1\\\"\"");
        CHECK_NO_FINDING(check_exchange(not_modified(""), "GET /a\nIf-None-Match: *"), "304-missing-etag");
        CHECK_NO_FINDING(check_exchange(not_modified(""), "GET /a\nIf-None-Match: \"v1\" \"v2\""),
                         "304-missing-etag");
        CHECK_NO_FINDING(check_exchange(not_modified(""), "GET /a\nIf-None-Match:"), "304-missing-etag");
    }

    TEST_CASE("304-representation-metadata") {
        CHECK_FINDING(check_head(not_modified("ETag: \"v1\"\nContent-Type: text/html\n")),
                      "304-representation-metadata", Level::info, "\"text/html\"");
        CHECK_FINDING(check_head(not_modified("ETag: \"v1\"\ncontent-language: de\n")),
                      "304-representation-metadata", Level::info, "content-language");
        CHECK_FINDING(check_head(not_modified("Content-Encoding: gzip\n")),
                      "304-representation-metadata", Level::info, "gzip");
        // Content-Length, Cache-Control, Vary, Content-Location are not representation metadata here.
        CHECK_NO_FINDING(check_head(not_modified("ETag: \"v1\"\nContent-Length: 10\nVary: Accept\n"
                                                 "Content-Location: /a.html\nCache-Control: max-age=60\n")),
                         "304-representation-metadata");
        CHECK_NO_FINDING(check_head(ok_with("Content-Type: text/html\n")), "304-representation-metadata");
    }

    TEST_CASE("if-none-match-ignored") {
        CHECK_FINDING(check_exchange(ok_with("ETag: \"v1\"\n"), "GET /a\nIf-None-Match: \"v1\""),
                      "if-none-match-ignored", Level::error, "answer 304");
        CHECK_FINDING(check_exchange(ok_with("ETag: W/\"v1\"\n"), "HEAD /a\nIf-None-Match: \"v0\", \"v1\""),
                      "if-none-match-ignored", Level::error, "\"W/\\\"v1\\\"\"");
        CHECK_FINDING(check_exchange("HTTP/1.1 206 Partial Content\nDate: Sat, 21 Nov 2026 10:00:00 GMT\n"
                                     "ETag: \"v1\"\nContent-Range: bytes 0-4/20\nContent-Length: 5\n",
                                     "GET /a\nRange: bytes=0-4\nIf-None-Match: \"v1\""),
                      "if-none-match-ignored", Level::error, "206");
        SUBCASE("clean") {
            CHECK_CLEAN(check_exchange(ok_with("ETag: \"v2\"\n"), "GET /a\nIf-None-Match: \"v1\""));
            CHECK_CLEAN(check_exchange(ok_with("ETag: \"V1\"\n"), "GET /a\nIf-None-Match: \"v1\""));
            // Not GET/HEAD: a PUT with If-None-Match is answered 412, not 304; a 200 to it is not judged here.
            CHECK_CLEAN(check_exchange(ok_with("ETag: \"v1\"\n"), "POST /a\nIf-None-Match: \"v1\""));
            // * and invalid lists are not compared.
            CHECK_CLEAN(check_exchange(ok_with("ETag: \"v1\"\n"), "GET /a\nIf-None-Match: *"));
            CHECK_NO_FINDING(check_exchange(ok_with("ETag: \"v1\"\n"), "GET /a\nIf-None-Match: \"v1\" x"),
                             "if-none-match-ignored");
            // 3xx/4xx are not 2xx.
            CHECK_CLEAN(check_exchange("HTTP/1.1 404 Not Found\nDate: Sat, 21 Nov 2026 10:00:00 GMT\n"
                                       "ETag: \"v1\"\nContent-Length: 0\n",
                                       "GET /a\nIf-None-Match: \"v1\""));
        }
    }

    TEST_CASE("412-instead-of-304") {
        CHECK_FINDING(check_exchange(failed(), "GET /a\nIf-None-Match: \"v1\""), "412-instead-of-304",
                      Level::warning, "304 Not Modified");
        CHECK_FINDING(check_exchange(failed(), "HEAD /a\nIf-Modified-Since: Fri, 20 Nov 2026 10:00:00 GMT"),
                      "412-instead-of-304", Level::warning, "If-Modified-Since");
        CHECK_FINDING(check_exchange(failed(), "GET /a\nIf-None-Match: \"v1\"\nIf-Range: \"v1\"\nRange: bytes=0-1\n"
                                               "X-Gift: 1"),
                      "412-instead-of-304", Level::warning, "GET");
        SUBCASE("other preconditions may have failed") {
            for (const char* other : {"If-Match: \"v1\"", "If-Unmodified-Since: Fri, 20 Nov 2026 10:00:00 GMT",
                                      "If: (<urn:x>)", "If-Schedule-Tag-Match: \"s\"",
                                      "x-amz-copy-source-if-match: \"e\"", "X-IF-Foo: 1"}) {
                CAPTURE(other);
                CHECK_NO_FINDING(check_exchange(failed(), string("GET /a\nIf-None-Match: \"v1\"\n") + other),
                                 "412-instead-of-304");
            }
        }
        SUBCASE("not judged") {
            CHECK_NO_FINDING(check_exchange(failed(), "PUT /a\nIf-None-Match: *"), "412-instead-of-304");
            CHECK_NO_FINDING(check_exchange(failed(), "GET /a"), "412-instead-of-304");
            CHECK_NO_FINDING(check_exchange(failed(), "GET /a\nIf-Match: \"v1\""), "412-instead-of-304");
            // "gift" and "iframe" contain "if" but not as a hyphen-separated word.
            CHECK_FINDING(check_exchange(failed(), "GET /a\nIf-None-Match: \"v1\"\nX-Gift-Iframe: 1"),
                          "412-instead-of-304", Level::warning, "412");
            CHECK_NO_FINDING(check_head(failed()), "412-instead-of-304");
        }
    }
}

#include "ExchangeTestSupport.hpp"
#include "check/parse/ContentRange.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string response(std::string_view status_line, std::string_view more) {
    return string(status_line) + "\n" + string(kDate) + string(more);
}
}  // namespace

TEST_SUITE("ranges") {
    TEST_CASE("clean partial responses") {
        CHECK_CLEAN(check_head(response("HTTP/1.1 206 Partial Content",
                                        "Content-Type: video/mp4\nContent-Range: bytes 0-499/1234\n"
                                        "Content-Length: 500\n")));
        CHECK_CLEAN(check_head(response("HTTP/1.1 206 Partial Content",
                                        "Content-Type: video/mp4\nContent-Range: bytes 500-999/*\n"
                                        "Content-Length: 500\n")));
        // multipart/byteranges carries Content-Range in each part.
        CHECK_CLEAN(check_head(response("HTTP/1.1 206 Partial Content",
                                        "Content-Type: multipart/byteranges; boundary=THIS_STRING\n"
                                        "Content-Length: 800\n")));
        CHECK_CLEAN(check_head(response("HTTP/1.1 416 Range Not Satisfiable",
                                        "Content-Range: bytes */1234\nContent-Length: 0\n")));
    }

    TEST_CASE("206-missing-content-range") {
        CHECK_FINDING(check_head(response("HTTP/1.1 206 Partial Content",
                                          "Content-Type: video/mp4\nContent-Length: 500\n")),
                      "206-missing-content-range", Level::error, "Content-Range: bytes 0-499/1234");
        // v2: a present but invalid Content-Range is content-range-invalid-range, not "missing"
        // (v1 reported 206-missing-content-range for it).
        const auto invalid = check_head(response("HTTP/1.1 206 Partial Content",
                                                 "Content-Type: video/mp4\nContent-Range: bytes 500-100/1234\n"
                                                 "Content-Length: 500\n"));
        CHECK_FINDING(invalid, "content-range-invalid-range", Level::error, "\"bytes 500-100/1234\"");
        CHECK_NO_FINDING(invalid, "206-missing-content-range");
        const auto malformed = check_head(response("HTTP/1.1 206 Partial Content",
                                                   "Content-Type: video/mp4\nContent-Range: 0-4/20\n"
                                                   "Content-Length: 5\n"));
        CHECK_FINDING(malformed, "content-range-syntax", Level::error, "\"0-4/20\"");
        CHECK_NO_FINDING(malformed, "206-missing-content-range");
    }

    TEST_CASE("416-missing-content-range") {
        CHECK_FINDING(check_head(response("HTTP/1.1 416 Range Not Satisfiable", "Content-Length: 0\n")),
                      "416-missing-content-range", Level::warning, "bytes */1234");
        CHECK_FINDING(check_head(response("HTTP/1.1 416 Range Not Satisfiable",
                                          "Content-Range: bytes 0-10/1234\nContent-Length: 0\n")),
                      "416-missing-content-range", Level::warning, "\"bytes 0-10/1234\"");
    }
}

TEST_CASE("parse_content_range") {
    const auto range = parse_content_range("bytes 42-1233/1234");
    REQUIRE(range);
    CHECK(range->unit == "bytes");
    CHECK(range->first == 42);
    CHECK(range->last == 1233);
    CHECK(range->complete_length == 1234u);
    const auto unsatisfied = parse_content_range("bytes */1234");
    REQUIRE(unsatisfied);
    CHECK(unsatisfied->kind == ContentRange::Kind::unsatisfied);
    CHECK_FALSE(parse_content_range("bytes 0-1234/1234"));
    CHECK_FALSE(parse_content_range("bytes=0-10/20"));
    CHECK_FALSE(parse_content_range("bytes */*"));
    CHECK_FALSE(parse_content_range("bytes 1-2"));
    CHECK_FALSE(parse_content_range(""));
    // The grammar alone keeps invalid ranges; valid() tells them apart.
    const auto backwards = parse_content_range_grammar("bytes 4-0/20");
    REQUIRE(backwards);
    CHECK_FALSE(backwards->valid());
    CHECK_FALSE(parse_content_range("bytes 4-0/20"));
    const auto too_long = parse_content_range_grammar("bytes 15-20/20");
    REQUIRE(too_long);
    CHECK_FALSE(too_long->valid());
    CHECK(parse_content_range_grammar("bytes 0-4/*")->valid());
    CHECK(parse_content_range_grammar("items 0-4/*"));
    for (const char* bad : {"bytes=0-4/20", "0-4/20", "bytes 0-4", "bytes */*", "bytes  0-4/20",
                            "bytes -5/20", "bytes 0-4/20 ", "bytes 0--4/20", "bytes 0-4/-1", "bytes */"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_content_range_grammar(bad));
    }
    // Numbers beyond 64 bits are grammatical; they are not compared.
    const auto huge = parse_content_range_grammar("bytes 0-99999999999999999999999/*");
    REQUIRE(huge);
    CHECK(huge->overflow);
}

namespace {
constexpr std::string_view kNewDate = "Date: Sat, 21 Nov 2026 10:00:00 GMT\n";
string partial(std::string_view lines) {
    return string("HTTP/1.1 206 Partial Content\n") + string(kNewDate) + string(lines);
}
string with_status(std::string_view status_line, std::string_view lines) {
    return string(status_line) + "\n" + string(kNewDate) + string(lines);
}
}  // namespace

TEST_SUITE("ranges v2") {
    TEST_CASE("clean range exchanges") {
        CHECK_CLEAN(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 0-4/20\n"
                                           "Content-Length: 5\nAccept-Ranges: bytes\nETag: \"v1\"\n"),
                                   "GET /a\nRange: bytes=0-4\nIf-Range: \"v1\""));
        // A subset of an open range, a clamped end, a suffix answered exactly.
        CHECK_CLEAN(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 0-9/1000\n"
                                           "Content-Length: 10\n"),
                                   "GET /a\nRange: bytes=0-"));
        CHECK_CLEAN(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 10-19/20\n"
                                           "Content-Length: 10\n"),
                                   "GET /a\nRange: bytes=10-99"));
        CHECK_CLEAN(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 990-999/1000\n"
                                           "Content-Length: 10\n"),
                                   "GET /a\nRange: BYTES=-10"));
        // Suffix without a known length is not judged; a HEAD with Range is not judged.
        CHECK_CLEAN(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 0-9/*\n"
                                           "Content-Length: 10\n"),
                                   "GET /a\nRange: bytes=-10"));
        CHECK_CLEAN(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 0-4/20\n"
                                           "Content-Length: 20\n"),
                                   "HEAD /a\nRange: bytes=0-4"));
        // multipart/byteranges to two ranges (type case-insensitive).
        CHECK_CLEAN(check_exchange(partial("Content-Type: Multipart/ByteRanges; boundary=B\nContent-Length: 300\n"),
                                   "GET /a\nRange: bytes=0-4,10-14"));
        // A 416 to a Range request.
        CHECK_CLEAN(check_exchange(with_status("HTTP/1.1 416 Range Not Satisfiable",
                                               "Content-Range: bytes */20\nContent-Length: 0\n"),
                                   "GET /a\nRange: bytes=30-40"));
        // Accept-Ranges lists: several units and lines, empty elements, none on a 200.
        CHECK_CLEAN(check_head(with_status("HTTP/1.1 200 OK", "Accept-Ranges: bytes, , items\n"
                                                              "Accept-Ranges: x-unit\nContent-Length: 0\n")));
        CHECK_CLEAN(check_head(with_status("HTTP/1.1 200 OK", "Accept-Ranges: none\nContent-Length: 0\n")));
        // Unknown request head: the request-dependent rules stay silent.
        CHECK_CLEAN(check_head(partial("Content-Type: text/plain\nContent-Range: bytes 0-4/20\nContent-Length: 5\n")));
    }

    TEST_CASE("content-range-syntax") {
        for (const char* bad : {"bytes=0-4/20", "0-4/20", "bytes 0-4", "bytes */*", "bytes  0-4/20",
                                "bytes -5/20"}) {
            CAPTURE(bad);
            CHECK_FINDING(check_head(partial(string("Content-Type: text/plain\nContent-Range: ") + bad +
                                             "\nContent-Length: 5\n")),
                          "content-range-syntax", Level::error, "Content-Range: bytes 0-499/1234");
        }
        // Any status, each line.
        CHECK_FINDING(check_head(with_status("HTTP/1.1 416 Range Not Satisfiable",
                                             "Content-Range: bytes */20\nContent-Range: */20\nContent-Length: 0\n")),
                      "content-range-syntax", Level::error, "\"*/20\"");
    }

    TEST_CASE("content-range-invalid-range") {
        CHECK_FINDING(check_head(partial("Content-Range: bytes 4-0/20\nContent-Length: 5\n")),
                      "content-range-invalid-range", Level::error, "last position below its first");
        CHECK_FINDING(check_head(partial("Content-Range: bytes 15-20/20\nContent-Length: 6\n")),
                      "content-range-invalid-range", Level::error, "\"bytes 15-20/20\"");
        CHECK_NO_FINDING(check_head(partial("Content-Range: bytes 15-19/20\nContent-Length: 5\n")),
                         "content-range-invalid-range");
        CHECK_NO_FINDING(check_head(partial("Content-Range: bytes 5-5/*\nContent-Length: 1\n")),
                         "content-range-invalid-range");
    }

    TEST_CASE("content-range-length-mismatch") {
        CHECK_FINDING(check_head(partial("Content-Range: bytes 0-9/100\nContent-Length: 5\n")),
                      "content-range-length-mismatch", Level::error, "Content-Length: 10");
        SUBCASE("not judged") {
            CHECK_NO_FINDING(check_head(partial("Content-Range: bytes 0-9/100\nContent-Length: 5\n"),
                                        request("HEAD", "/a")),
                             "content-range-length-mismatch");
            CHECK_NO_FINDING(check_head(partial("Content-Range: bytes 0-9/100\nContent-Length: 5\n"
                                                "Transfer-Encoding: chunked\n")),
                             "content-range-length-mismatch");
            CHECK_NO_FINDING(check_head(partial("Content-Range: items 0-9/100\nContent-Length: 5\n")),
                             "content-range-length-mismatch");
            CHECK_NO_FINDING(check_head(partial("Content-Range: bytes 0-9/100\nContent-Length: five\n")),
                             "content-range-length-mismatch");
            CHECK_NO_FINDING(check_head(partial("Content-Type: multipart/byteranges; boundary=B\n"
                                                "Content-Range: bytes 0-9/100\nContent-Length: 5\n")),
                             "content-range-length-mismatch");
        }
    }

    TEST_CASE("content-range-on-other-status") {
        CHECK_FINDING(check_head(with_status("HTTP/1.1 200 OK", "Content-Range: bytes 0-4/5\nContent-Length: 5\n")),
                      "content-range-on-other-status", Level::warning, "\"bytes 0-4/5\"");
        CHECK_NO_FINDING(check_head(with_status("HTTP/1.1 416 Range Not Satisfiable",
                                                "Content-Range: bytes */5\nContent-Length: 0\n")),
                         "content-range-on-other-status");
        CHECK_NO_FINDING(check_head("HTTP/1.1 100 Continue\nContent-Range: bytes 0-4/5\n"),
                         "content-range-on-other-status");
    }

    TEST_CASE("206-without-range-request") {
        CHECK_FINDING(check_exchange(partial("Content-Range: bytes 0-4/20\nContent-Length: 5\n"), "GET /a"),
                      "206-without-range-request", Level::warning, "without a Range");
        CHECK_NO_FINDING(check_exchange(partial("Content-Range: bytes 0-4/20\nContent-Length: 5\n"),
                                        "GET /a\nrange: bytes=0-4"),
                         "206-without-range-request");
    }

    TEST_CASE("206-method-not-get") {
        for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"}) {
            CAPTURE(method);
            CHECK_FINDING(check_exchange(partial("Content-Range: bytes 0-4/20\nContent-Length: 5\n"),
                                         string(method) + " /a\nRange: bytes=0-4"),
                          "206-method-not-get", Level::error, method);
        }
        for (const char* method : {"GET", "HEAD", "PROPFIND", "post"}) {
            CAPTURE(method);
            CHECK_NO_FINDING(check_exchange(partial("Content-Range: bytes 0-4/20\nContent-Length: 5\n"),
                                            string(method) + " /a\nRange: bytes=0-4"),
                             "206-method-not-get");
        }
    }

    TEST_CASE("206-multipart-single-range") {
        const string multipart = partial("Content-Type: multipart/byteranges; boundary=B\nContent-Length: 300\n");
        CHECK_FINDING(check_exchange(multipart, "GET /a\nRange: bytes=0-4"), "206-multipart-single-range",
                      Level::error, "\"bytes=0-4\"");
        // An empty list element does not make a second range.
        CHECK_FINDING(check_exchange(multipart, "GET /a\nRange: bytes=0-4,"), "206-multipart-single-range",
                      Level::error, "single");
        CHECK_NO_FINDING(check_exchange(multipart, "GET /a\nRange: bytes=0-4, -5"), "206-multipart-single-range");
        CHECK_NO_FINDING(check_exchange(multipart, "GET /a\nRange: bytes=0-4 x"), "206-multipart-single-range");
        CHECK_NO_FINDING(check_exchange(partial("Content-Type: text/plain\nContent-Range: bytes 0-4/20\n"
                                                "Content-Length: 5\n"),
                                        "GET /a\nRange: bytes=0-4"),
                         "206-multipart-single-range");
    }

    TEST_CASE("206-multipart-with-content-range") {
        CHECK_FINDING(check_head(partial("Content-Type: multipart/BYTERANGES; boundary=B\n"
                                         "Content-Range: bytes 0-4/20\nContent-Length: 300\n")),
                      "206-multipart-with-content-range", Level::error, "\"bytes 0-4/20\"");
        CHECK_NO_FINDING(check_head(partial("Content-Type: multipart/mixed; boundary=B\n"
                                            "Content-Range: bytes 0-4/20\nContent-Length: 5\n")),
                         "206-multipart-with-content-range");
    }

    TEST_CASE("206-content-range-unsatisfied") {
        const auto findings = check_head(partial("Content-Type: text/plain\nContent-Range: bytes */20\nContent-Length: 0\n"));
        CHECK_FINDING(findings, "206-content-range-unsatisfied", Level::error, "\"bytes */20\"");
        CHECK_NO_FINDING(findings, "206-missing-content-range");
        CHECK_NO_FINDING(check_head(with_status("HTTP/1.1 416 Range Not Satisfiable",
                                                "Content-Range: bytes */20\nContent-Length: 0\n")),
                         "206-content-range-unsatisfied");
    }

    TEST_CASE("206-content-range-mismatch") {
        const auto mismatch = [](std::string_view content_range, std::string_view range) {
            return check_exchange(partial(string("Content-Type: text/plain\nContent-Range: ") +
                                          string(content_range) + "\nContent-Length: 0\n"),
                                  string("GET /a\nRange: ") + string(range));
        };
        CHECK_FINDING(mismatch("bytes 0-99/1000", "bytes=100-199"), "206-content-range-mismatch",
                      Level::warning, "\"bytes=100-199\"");
        CHECK_FINDING(mismatch("bytes 0-9/1000", "bytes=-10"), "206-content-range-mismatch",
                      Level::warning, "shares no byte");
        CHECK_FINDING(mismatch("bytes 0-9/*", "bytes=10-"), "206-content-range-mismatch",
                      Level::warning, "\"bytes 0-9/*\"");
        SUBCASE("overlaps, subsets, clamps and what is not judged") {
            for (auto [content_range, range] : {std::pair{"bytes 0-9/1000", "bytes=0-"},
                                                std::pair{"bytes 50-149/1000", "bytes=100-199"},
                                                std::pair{"bytes 199-250/1000", "bytes=100-199"},
                                                std::pair{"bytes 990-999/1000", "bytes=990-5000"},
                                                std::pair{"bytes 500-999/1000", "bytes=-2000"},
                                                std::pair{"bytes 0-9/*", "bytes=-10"},
                                                std::pair{"bytes 0-9/1000", "bytes=100-199, 0-9"},
                                                std::pair{"bytes 0-9/1000", "items=100-199"},
                                                std::pair{"items 0-9/1000", "bytes=100-199"},
                                                std::pair{"bytes 0-9/1000", "bytes=5-2"}}) {
                CAPTURE(content_range);
                CAPTURE(range);
                CHECK_NO_FINDING(mismatch(content_range, range), "206-content-range-mismatch");
            }
        }
    }

    TEST_CASE("206-if-range-mismatch") {
        const auto with_etag = [](std::string_view etag, std::string_view if_range) {
            return check_exchange(partial(string("Content-Type: text/plain\nETag: ") + string(etag) +
                                          "\nContent-Range: bytes 0-4/20\nContent-Length: 5\n"),
                                  string("GET /a\nRange: bytes=0-4\nIf-Range: ") + string(if_range));
        };
        CHECK_FINDING(with_etag("\"v2\"", "\"v1\""), "206-if-range-mismatch", Level::error, "\"\\\"v1\\\"\"");
        CHECK_FINDING(with_etag("W/\"v1\"", "\"v1\""), "206-if-range-mismatch", Level::error, "strongly");
        CHECK_FINDING(with_etag("\"v1\"", "W/\"v1\""), "206-if-range-mismatch", Level::error, "If-Range");
        CHECK_NO_FINDING(with_etag("\"v1\"", "\"v1\""), "206-if-range-mismatch");
        // A date If-Range, an invalid ETag, no If-Range: not judged.
        CHECK_NO_FINDING(with_etag("\"v1\"", "Sat, 21 Nov 2026 10:00:00 GMT"), "206-if-range-mismatch");
        CHECK_NO_FINDING(with_etag("v2", "\"v1\""), "206-if-range-mismatch");
    }

    TEST_CASE("416-without-range-request") {
        const string unsatisfiable = with_status("HTTP/1.1 416 Range Not Satisfiable",
                                                 "Content-Range: bytes */20\nContent-Length: 0\n");
        CHECK_FINDING(check_exchange(unsatisfiable, "GET /a"), "416-without-range-request", Level::warning,
                      "without a Range");
        CHECK_NO_FINDING(check_exchange(unsatisfiable, "PUT /a\nContent-Range: bytes 30-39/40\nContent-Length: 10"),
                         "416-without-range-request");
        CHECK_NO_FINDING(check_exchange(unsatisfiable, "GET /a\nRange: items=9"), "416-without-range-request");
        CHECK_NO_FINDING(check_head(unsatisfiable), "416-without-range-request");
    }

    TEST_CASE("accept-ranges-syntax") {
        for (const char* bad : {"bytes=0-", "\"bytes\"", "bytes;q=1", "bytes none"}) {
            CAPTURE(bad);
            CHECK_FINDING(check_head(with_status("HTTP/1.1 200 OK", string("Accept-Ranges: ") + bad +
                                                                         "\nContent-Length: 0\n")),
                          "accept-ranges-syntax", Level::error, "is not a range-unit token");
        }
        CHECK_FINDING(check_head(with_status("HTTP/1.1 200 OK", "Accept-Ranges:\nContent-Length: 0\n")),
                      "accept-ranges-syntax", Level::error, "lists no range unit");
        CHECK_FINDING(check_head(with_status("HTTP/1.1 200 OK", "Accept-Ranges: ,\nAccept-Ranges:\nContent-Length: 0\n")),
                      "accept-ranges-syntax", Level::error, "lists no range unit");
        // An empty line beside a unit is only an empty element.
        CHECK_NO_FINDING(check_head(with_status("HTTP/1.1 200 OK", "Accept-Ranges:\nAccept-Ranges: bytes\nContent-Length: 0\n")),
                         "accept-ranges-syntax");
    }

    TEST_CASE("accept-ranges-none-with-206") {
        CHECK_FINDING(check_head(partial("Accept-Ranges: NONE\nContent-Range: bytes 0-4/20\nContent-Length: 5\n")),
                      "accept-ranges-none-with-206", Level::warning, "\"NONE\"");
        CHECK_FINDING(check_head(partial("Accept-Ranges: bytes\nAccept-Ranges: none\nContent-Range: bytes 0-4/20\n"
                                         "Content-Length: 5\n")),
                      "accept-ranges-none-with-206", Level::warning, "none");
        CHECK_NO_FINDING(check_head(partial("Accept-Ranges: nones\nContent-Range: bytes 0-4/20\nContent-Length: 5\n")),
                         "accept-ranges-none-with-206");
    }
}

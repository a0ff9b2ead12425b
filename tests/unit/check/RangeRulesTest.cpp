#include "CheckTestSupport.hpp"
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
        CHECK_FINDING(check_head(response("HTTP/1.1 206 Partial Content",
                                          "Content-Type: video/mp4\nContent-Range: bytes 500-100/1234\n"
                                          "Content-Length: 500\n")),
                      "206-missing-content-range", Level::error, "\"bytes 500-100/1234\"");
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
}

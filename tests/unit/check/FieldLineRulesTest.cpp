#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string ok_with(std::string_view more) {
    return string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Length: 0\n" + string(more);
}
}  // namespace

TEST_SUITE("field lines") {
    TEST_CASE("clean field lines") {
        SUBCASE("obs-text and HTAB in values, odd but valid names") {
            CHECK_CLEAN(check_head(ok_with("X-Note: caf\xC3\xA9\tok\nX_Under.score~!: 1\nX-Empty:\n")));
        }
        SUBCASE("list fields may repeat") {
            CHECK_CLEAN(check_head(ok_with("Cache-Control: no-cache\nCache-Control: private\nVary: A\nVary: B\n"
                                           "Set-Cookie: a=1\nSet-Cookie: b=2\n")));
        }
        SUBCASE("bare LF line endings") {
            Findings findings;
            Checker{}.check_head("HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 0\n\n",
                                 request(), findings);
            CHECK_CLEAN(findings);
        }
    }

    TEST_CASE("field-name-invalid") {
        CHECK_FINDING(check_head(ok_with("X Bad: 1\n")), "field-name-invalid", Level::error, "\"X Bad\"");
        CHECK_FINDING(check_head(ok_with("X-Bad@Name: 1\n")), "field-name-invalid", Level::error, "X-Bad@Name");
        CHECK_FINDING(check_head(ok_with("Content-Type : text/html\n")), "field-name-invalid", Level::error,
                      "\"Content-Type \"");
        CHECK_FINDING(check_head(ok_with("no colon here\n")), "field-name-invalid", Level::error,
                      "\"no colon here\"");
    }

    TEST_CASE("field-value-invalid") {
        CHECK_FINDING(check_head(ok_with(string("X-Nul: a\0b\n", 11))), "field-value-invalid", Level::error,
                      "NUL");
        CHECK_FINDING(check_head(ok_with(string("X-Nul: a\0b\n", 11))), "field-value-invalid", Level::error,
                      "\"a\\0b\"");
        CHECK_FINDING(check_head(ok_with("X-Cr: a\rb\n")), "field-value-invalid", Level::error, "CR");
        CHECK_FINDING(check_head(ok_with("X-Esc: a\x1b[0m\n")), "field-value-invalid", Level::error,
                      "\"a\\x1B[0m\"");
        SUBCASE("credentials are never quoted") {
            const auto findings = check_head(ok_with("Set-Cookie: session=s3cr3t\x01\n"));
            CHECK_FINDING(findings, "field-value-invalid", Level::error, "redacted");
            CHECK(findings.front().message.find("s3cr3t") == string::npos);
            const auto no_colon = check_head(ok_with("Set-Cookie session=s3cr3t\n"));
            CHECK_FINDING(no_colon, "field-name-invalid", Level::error, "redacted");
            CHECK(no_colon.front().message.find("s3cr3t") == string::npos);
            const auto folded = check_head(ok_with("Set-Cookie: a=1;\n s3cr3t=2\n"));
            CHECK_FINDING(folded, "obs-fold", Level::error, "redacted");
            CHECK(folded.front().message.find("s3cr3t") == string::npos);
        }
    }

    TEST_CASE("obs-fold") {
        const auto findings = check_head(ok_with("X-A: 1\n folded\n"));
        CHECK_FINDING(findings, "obs-fold", Level::error, "\"folded\"");
        CHECK_FINDING(findings, "obs-fold", Level::error, "X-A");
        CHECK_FINDING(check_head(ok_with("X-A: 1\n\t\n")), "obs-fold", Level::error, "X-A");
    }

    TEST_CASE("field-repeated-singleton") {
        for (const char* name : {"Content-Type", "Content-Location", "Content-Range", "Location",
                                 "Retry-After", "Date", "ETag", "Last-Modified", "Expires", "Age"}) {
            CAPTURE(name);
            // ok_with already sends Date: for Date the repeated lines are the 2nd and 3rd.
            const auto findings =
                check_head(ok_with(string(name) + ": one\n" + string(name) + ": two\n"));
            CHECK_FINDING(findings, "field-repeated-singleton", Level::error,
                          string(name) == "Date" ? "\"one\"" : "\"two\"");
            CHECK_FINDING(findings, "field-repeated-singleton", Level::error, name);
        }
        // Case-insensitive names are the same field.
        CHECK_FINDING(check_head(ok_with("etag: \"a\"\nETAG: \"b\"\n")), "field-repeated-singleton",
                      Level::error, "ETag");
    }

    TEST_CASE("a head with more field lines than the inline capacity") {
        string many;
        for (int i = 0; i < 300; ++i) many += "X-F" + std::to_string(i) + ": v\n";
        CHECK_CLEAN(check_head(ok_with(many)));
        CHECK_FINDING(check_head(ok_with(many + "Date: again\n")), "field-repeated-singleton",
                      Level::error, "\"again\"");
        const auto findings = check_head(ok_with(many + "X Bad: 1\n"));
        CHECK_FINDING(findings, "field-name-invalid", Level::error, "line 304");
    }
}

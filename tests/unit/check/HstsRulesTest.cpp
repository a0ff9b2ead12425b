#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
Findings sts(std::string_view value) {
    return check_head(string("HTTP/1.1 200 OK\n") + string(kDate) + "Strict-Transport-Security: " +
                      string(value) + "\nContent-Length: 0\n");
}
}  // namespace

TEST_SUITE("hsts") {
    TEST_CASE("clean Strict-Transport-Security") {
        CHECK_CLEAN(sts("max-age=31536000"));
        CHECK_CLEAN(sts("max-age=63072000; includeSubDomains; preload"));
        CHECK_CLEAN(sts("MAX-AGE=0"));
        CHECK_CLEAN(sts("max-age=\"31536000\""));
        CHECK_CLEAN(sts("max-age = 31536000 ;includeSubDomains"));
        CHECK_CLEAN(sts("includeSubDomains; max-age=1"));
        CHECK_CLEAN(sts(";;max-age=1;"));
        CHECK_CLEAN(sts("max-age=1; ext=\"a;b,c\""));
        CHECK_CLEAN(sts("max-age=1; includeSubDomains=1"));  // valueless by §6.1.2, but arguable
        SUBCASE("a second line is judged on its own") {
            CHECK_CLEAN(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) +
                                   "Strict-Transport-Security: max-age=1\n"
                                   "Strict-Transport-Security: max-age=2\nContent-Length: 0\n"));
        }
    }

    TEST_CASE("hsts-max-age-missing") {
        CHECK_FINDING(sts("includeSubDomains; preload"), "hsts-max-age-missing", Level::error,
                      "\"includeSubDomains; preload\" has no max-age");
        CHECK_FINDING(sts("max_age=31536000"), "hsts-max-age-missing", Level::error, "\"max_age=31536000\"");
        CHECK_FINDING(sts(""), "hsts-max-age-missing", Level::error, "\"\" has no max-age");
        CHECK_NO_FINDING(sts("max-age=1y"), "hsts-max-age-missing");
    }

    TEST_CASE("hsts-syntax") {
        CHECK_FINDING(sts("max-age=31536000, includeSubDomains"), "hsts-syntax", Level::error,
                      "instead of ';'");
        CHECK_FINDING(sts("max-age=1y"), "hsts-syntax", Level::error, "max-age \"1y\"");
        CHECK_FINDING(sts("max-age=-1"), "hsts-syntax", Level::error, "max-age \"-1\"");
        CHECK_FINDING(sts("max-age="), "hsts-syntax", Level::error, "\"max-age=\"");
        CHECK_FINDING(sts("max-age"), "hsts-syntax", Level::error, "has no value");
        CHECK_FINDING(sts("max-age=\"\""), "hsts-syntax", Level::error, "is not a number");
        CHECK_FINDING(sts("\"max-age=31536000\""), "hsts-syntax", Level::error, "\"\\\"max-age=31536000\\\"\"");
        CHECK_FINDING(sts("max-age=\"1"), "hsts-syntax", Level::error, "breaks the directive grammar");
        SUBCASE("a malformed line is not also missing max-age") {
            CHECK_NO_FINDING(sts("preload, includeSubDomains"), "hsts-max-age-missing");
            CHECK_NO_FINDING(sts("max-age"), "hsts-max-age-missing");
        }
    }

    TEST_CASE("hsts-directive-repeated") {
        CHECK_FINDING(sts("max-age=1; max-age=2"), "hsts-directive-repeated", Level::error, "\"max-age\" twice");
        CHECK_FINDING(sts("max-age=1; includeSubDomains; includesubdomains"), "hsts-directive-repeated",
                      Level::error, "\"includesubdomains\"");
    }
}

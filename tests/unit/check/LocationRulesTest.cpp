#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

TEST_SUITE("location") {
    TEST_CASE("clean Location") {
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 301 Moved Permanently", "Location: https://example.com/a?b=c#d\n")));
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 302 Found", "Location: ../login?next=%2Fhome\n")));
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 303 See Other", "Location: //cdn.example.com/x\n")));
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 201 Created", "Location: /items/8\n")));
        // 300 and 304 need no Location.
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 300 Multiple Choices")));
    }

    TEST_CASE("redirect-missing-location") {
        for (const char* status : {"301 Moved Permanently", "302 Found", "303 See Other",
                                   "307 Temporary Redirect", "308 Permanent Redirect"}) {
            CAPTURE(status);
            CHECK_FINDING(check_head(empty_response(string("HTTP/1.1 ") + status)), "redirect-missing-location",
                          Level::warning, string(status).substr(0, 3));
        }
    }

    TEST_CASE("location-syntax") {
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 302 Found", "Location: /a b\n")), "location-syntax",
                      Level::error, "\"/a b\" is not a URI-reference (a raw space at offset 2)");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 302 Found", "Location: <https://example.com/>\n")),
                      "location-syntax", Level::error, "<https://example.com/>");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 302 Found", "Location: /caf\xC3\xA9\n")),
                      "location-syntax", Level::error, "/caf\xC3\xA9");
    }
}

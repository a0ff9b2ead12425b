#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string not_allowed(std::string_view allow_lines) {
    return string("HTTP/1.1 405 Method Not Allowed\n") + string(kDate) + string(allow_lines) +
           "Content-Length: 0\n";
}
}  // namespace

TEST_SUITE("allow") {
    TEST_CASE("clean Allow") {
        SUBCASE("an empty Allow on a 405 is fine") {
            CHECK_CLEAN(check_head(not_allowed("Allow:\n"), request("DELETE", "/items/7")));
        }
        SUBCASE("a method list") {
            CHECK_CLEAN(check_head(not_allowed("Allow: GET, HEAD, PUT\n"), request("DELETE", "/items/7")));
        }
        SUBCASE("split across lines") {
            CHECK_CLEAN(check_head(not_allowed("Allow: GET\nAllow: PUT\n"), request("DELETE", "/items/7")));
        }
        SUBCASE("methods are case-sensitive: get is not GET") {
            CHECK_CLEAN(check_head(not_allowed("Allow: get\n"), request("GET", "/")));
        }
        SUBCASE("request method unknown (lint of a bare response)") {
            CHECK_CLEAN(check_head(not_allowed("Allow: GET\n"), request("", "")));
        }
    }

    TEST_CASE("405-missing-allow") {
        const auto findings = check_head(not_allowed(""), request("DELETE", "/items/7"));
        CHECK_FINDING(findings, "405-missing-allow", Level::error,
                      "405 response has no Allow header; list the methods /items/7 supports, e.g. "
                      "Allow: GET, PUT");
    }

    TEST_CASE("allow-syntax") {
        CHECK_FINDING(check_head(not_allowed("Allow: GET; PUT\n"), request("DELETE")), "allow-syntax",
                      Level::error, "\"GET; PUT\"");
        CHECK_FINDING(check_head(not_allowed("Allow: GET,,PUT\n"), request("DELETE")), "allow-syntax",
                      Level::error, "empty list element");
        CHECK_FINDING(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) +
                                 "Allow: \"GET\"\nContent-Length: 0\n"),
                      "allow-syntax", Level::error, "\\\"GET\\\"");
    }

    TEST_CASE("405-allow-lists-request-method") {
        CHECK_FINDING(check_head(not_allowed("Allow: GET, DELETE\n"), request("DELETE", "/items/7")),
                      "405-allow-lists-request-method", Level::warning, "\"GET, DELETE\"");
    }
}

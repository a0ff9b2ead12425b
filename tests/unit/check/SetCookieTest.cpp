#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "check/parse/SetCookie.hpp"

using namespace cproxy::check;

TEST_SUITE("set-cookie parser") {
    TEST_CASE("split_set_cookie") {
        SUBCASE("name, value, attributes") {
            const CookiePair pair = split_set_cookie(" sid = a=b ; Path=/; Secure");
            CHECK(pair.has_equals);
            CHECK(pair.name == "sid");
            CHECK(pair.value == "a=b");
            CHECK(pair.attributes == " Path=/; Secure");
        }
        SUBCASE("no '=': the whole pair is the value") {
            const CookiePair pair = split_set_cookie("abc; Path=/");
            CHECK_FALSE(pair.has_equals);
            CHECK(pair.name.empty());
            CHECK(pair.value == "abc");
        }
        SUBCASE("no attributes") {
            const CookiePair pair = split_set_cookie("a=1");
            CHECK(pair.attributes.empty());
            CHECK(pair.value == "1");
        }
    }

    TEST_CASE("for_each_cookie_attribute") {
        std::vector<std::string> seen;
        for_each_cookie_attribute(" Path = /a=b ;Secure;; Expires=Sun, 06 Nov 1994 08:49:37 GMT;",
                                  [&](const CookieAttribute& attribute) {
                                      seen.push_back(std::string(attribute.name) + "|" +
                                                     std::string(attribute.value) + "|" +
                                                     (attribute.has_equals ? "=" : ""));
                                  });
        const std::vector<std::string> expected{"Path|/a=b|=", "Secure||", "||",
                                                "Expires|Sun, 06 Nov 1994 08:49:37 GMT|=", "||"};
        CHECK(seen == expected);
        int calls = 0;
        for_each_cookie_attribute(std::string_view(), [&](const CookieAttribute&) { ++calls; });
        CHECK(calls == 0);
    }

    TEST_CASE("cookie-octets") {
        CHECK(first_bad_cookie_name_octet("a(b)/c:d<e>?@[]{}") == std::string_view::npos);
        CHECK(first_bad_cookie_name_octet("a b") == 1);
        CHECK(first_bad_cookie_value_octet("") == std::string_view::npos);
        CHECK(first_bad_cookie_value_octet("\"\"") == std::string_view::npos);
        CHECK(first_bad_cookie_value_octet("\"a\"") == std::string_view::npos);
        CHECK(first_bad_cookie_value_octet("\"") == 0);
        CHECK(first_bad_cookie_value_octet("a\"") == 1);
        CHECK(first_bad_cookie_value_octet("\"a b\"") == 2);
        CHECK(describe_non_cookie_octet('\x80') == "a non-ASCII octet");
        CHECK(describe_non_cookie_octet('\x7f') == "a control character");
    }

    TEST_CASE("Max-Age and Domain") {
        CHECK(is_valid_max_age("0"));
        CHECK(is_valid_max_age("-1"));
        CHECK(is_valid_max_age("007"));
        CHECK_FALSE(is_valid_max_age("-"));
        CHECK_FALSE(is_valid_max_age("+1"));
        CHECK(is_valid_cookie_domain("example.com"));
        CHECK(is_valid_cookie_domain(".example.com"));
        CHECK(is_valid_cookie_domain("localhost"));
        CHECK(is_valid_cookie_domain("3com.example"));
        CHECK_FALSE(is_valid_cookie_domain(".."));
        CHECK_FALSE(is_valid_cookie_domain("..example.com"));
        CHECK_FALSE(is_valid_cookie_domain(std::string(251, 'a').insert(63, ".").insert(127, ".").insert(191, ".")));
        CHECK(is_valid_cookie_domain(std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                                     std::string(63, 'c') + "." + std::string(61, 'd')));  // 253 octets
    }

    TEST_CASE("imf_fixdate_seconds") {
        CHECK(imf_fixdate_seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
        CHECK(imf_fixdate_seconds("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
        CHECK(imf_fixdate_seconds("Tue, 29 Feb 2000 00:00:00 GMT") == 951782400);
        CHECK_FALSE(imf_fixdate_seconds("Sunday, 06-Nov-94 08:49:37 GMT"));
        CHECK_FALSE(imf_fixdate_seconds(""));
    }
}

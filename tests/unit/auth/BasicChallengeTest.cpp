#include "conformance_proxy/auth/BasicChallenge.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace cproxy::auth;

TEST_CASE("Challenge: realm as a quoted-string with charset UTF-8") {
    CHECK(basic_challenge("conformance-proxy") == R"(Basic realm="conformance-proxy", charset="UTF-8")");
    CHECK(basic_challenge(R"(say "hi" \o/)") == R"(Basic realm="say \"hi\" \\o/", charset="UTF-8")");
    CHECK(basic_challenge("") == R"(Basic realm="", charset="UTF-8")");
    CHECK(basic_challenge("caf\xC3\xA9\tbar") == "Basic realm=\"caf\xC3\xA9\tbar\", charset=\"UTF-8\"");
}

TEST_CASE("Challenge: control characters in the realm are refused") {
    CHECK_FALSE(realm_problem("ok realm"));
    for (const std::string& realm : {std::string("a\r\nInjected: 1"), std::string("a\x7f"), std::string("a\0b", 3)}) {
        CHECK(realm_problem(realm));
        CHECK_THROWS_AS(basic_challenge(realm), std::invalid_argument);
    }
}

#include <doctest/doctest.h>

#include "check/parse/Origin.hpp"

using namespace cproxy::check;

TEST_SUITE("origin parser") {
    TEST_CASE("valid origins") {
        for (std::string_view text :
             {"https://app.example", "http://localhost:8080", "https://app.example:443",
              "http://192.0.2.1", "http://[::1]:3000", "http://[2001:db8::7]",
              "http://[v1.fe80::a+en1]", "chrome-extension://abcdefghijklmnop",
              "HTTPS://APP.EXAMPLE", "https://*.example.com", "https://a%2Db.example",
              "https://app.example:", "a+b.c-d://x", "https://"}) {
            CAPTURE(text);
            CHECK(is_origin(text));
        }
        const auto parsed = parse_origin("http://[::1]:3000");
        REQUIRE(parsed);
        CHECK(parsed.origin.scheme == "http");
        CHECK(parsed.origin.host == "[::1]");
        CHECK(parsed.origin.port == "3000");
        const auto plain = parse_origin("https://app.example");
        CHECK(plain.origin.host == "app.example");
        CHECK(plain.origin.port.empty());
    }

    TEST_CASE("invalid origins name their problem") {
        struct Case {
            std::string_view text;
            OriginProblem problem;
        };
        for (const Case& c : {
                 Case{"https://app.example/", OriginProblem::path},
                 Case{"https://app.example/path", OriginProblem::path},
                 Case{"https://app.example?x", OriginProblem::path},
                 Case{"https://app.example#f", OriginProblem::path},
                 Case{"https://app.example:443/", OriginProblem::path},
                 Case{"app.example", OriginProblem::no_scheme},
                 Case{"app.example:443", OriginProblem::no_scheme},
                 Case{"//app.example", OriginProblem::no_scheme},
                 Case{"https:/app.example", OriginProblem::no_scheme},
                 Case{"NULL", OriginProblem::no_scheme},
                 Case{"*", OriginProblem::no_scheme},
                 Case{"", OriginProblem::no_scheme},
                 Case{"://app.example", OriginProblem::bad_scheme},
                 Case{"1http://app.example", OriginProblem::bad_scheme},
                 Case{"\"https://app.example\"", OriginProblem::bad_scheme},
                 Case{"https://user@app.example", OriginProblem::userinfo},
                 Case{"https://a.example https://b.example", OriginProblem::bad_host},
                 Case{"https://app.example\"", OriginProblem::bad_host},
                 Case{"https://a%zz.example", OriginProblem::bad_host},
                 Case{"https://a%2", OriginProblem::bad_host},
                 Case{"http://[::1", OriginProblem::bad_host},
                 Case{"http://[::g]", OriginProblem::bad_host},
                 Case{"http://[1.2.3.4]", OriginProblem::bad_host},
                 Case{"http://[v1.]", OriginProblem::bad_host},
                 Case{"http://[::1]x", OriginProblem::bad_host},
                 Case{"https://app.example:80x", OriginProblem::bad_port},
                 Case{"https://app.example:-1", OriginProblem::bad_port},
                 Case{"https://app.example:443:1", OriginProblem::bad_port},
             }) {
            CAPTURE(c.text);
            const auto parsed = parse_origin(c.text);
            CHECK_FALSE(parsed);
            CHECK(parsed.problem == c.problem);
            CHECK_FALSE(describe(parsed.problem).empty());
        }
    }
}

#include "CheckTestSupport.hpp"
#include "check/parse/ChallengeParser.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string unauthorized(std::string_view challenge_lines) {
    return string("HTTP/1.1 401 Unauthorized\n") + string(kDate) + string(challenge_lines) +
           "Content-Length: 0\n";
}
}  // namespace

TEST_SUITE("authentication challenges") {
    TEST_CASE("clean challenges") {
        SUBCASE("Basic with realm and charset") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Basic realm=\"foo\", charset=\"UTF-8\"\n")));
        }
        SUBCASE("charset compared case-insensitively") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Basic realm=\"foo\", charset=\"utf-8\"\n")));
        }
        SUBCASE("several challenges in one line") {
            CHECK_CLEAN(check_head(unauthorized(
                "WWW-Authenticate: Basic realm=\"a\", Bearer realm=\"b\", error=\"invalid_token\"\n")));
        }
        SUBCASE("challenges split across field lines") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Bearer realm=\"api\"\n"
                                                "WWW-Authenticate: Basic realm=\"a\"\n")));
        }
        SUBCASE("auth-params of one challenge continued on the next field line") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Basic realm=\"a\"\n"
                                                "WWW-Authenticate: charset=\"UTF-8\"\n")));
        }
        SUBCASE("token68 challenge") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Negotiate abc==\n")));
        }
        SUBCASE("scheme alone, then a Basic challenge") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Negotiate, Basic realm=\"x\"\n")));
        }
        SUBCASE("RFC 9110 example with escapes, BWS and token values") {
            CHECK_CLEAN(check_head(unauthorized(
                "WWW-Authenticate: Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", "
                "Basic realm=\"simple\"\n")));
        }
        SUBCASE("quoted-string holding a comma") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Bearer realm=\"a, b\", scope=\"x y\"\n")));
        }
        SUBCASE("BWS around =") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Bearer realm = \"a\"\n")));
        }
        SUBCASE("WWW-Authenticate on a 200 is allowed") {
            CHECK_CLEAN(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) +
                                   "WWW-Authenticate: Basic realm=\"x\"\nContent-Length: 0\n"));
        }
        SUBCASE("407 with a challenge from a forward proxy") {
            CHECK_CLEAN(check_head(string("HTTP/1.1 407 Proxy Authentication Required\n") + string(kDate) +
                                       "Proxy-Authenticate: Basic realm=\"proxy\"\nContent-Length: 0\n",
                                   request("GET", "/", false)));
        }
    }

    TEST_CASE("401-missing-www-authenticate") {
        const auto findings = check_head(string("HTTP/1.1 401 Unauthorized\n") + string(kDate) +
                                         "Content-Length: 0\n");
        CHECK_FINDING(findings, "401-missing-www-authenticate", Level::error, "WWW-Authenticate");
        CHECK_FINDING(findings, "401-missing-www-authenticate", Level::error,
                      "if the application uses cookie or form login, answer 403");

        SUBCASE("a value that holds no valid challenge") {
            const auto broken = check_head(unauthorized("WWW-Authenticate: Basic; realm=\"x\"\n"));
            CHECK_FINDING(broken, "401-missing-www-authenticate", Level::error, "Basic; realm");
            CHECK_FINDING(broken, "challenge-syntax", Level::error, "Basic; realm=\\\"x\\\"");
        }
    }

    TEST_CASE("407-missing-proxy-authenticate and 407-from-origin") {
        const string head = string("HTTP/1.1 407 Proxy Authentication Required\n") + string(kDate) +
                            "Content-Length: 0\n";
        const auto findings = check_head(head);
        CHECK_FINDING(findings, "407-missing-proxy-authenticate", Level::error, "Proxy-Authenticate");
        CHECK_FINDING(findings, "407-missing-proxy-authenticate", Level::error, "answer 403");
        CHECK_FINDING(findings, "407-from-origin", Level::warning, "401");
        CHECK_NO_FINDING(check_head(head, request("GET", "/", false)), "407-from-origin");
    }

    TEST_CASE("challenge-syntax") {
        SUBCASE("semicolon after the scheme") {
            CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic; realm=\"x\"\n")),
                          "challenge-syntax", Level::error, "\";\"");
        }
        SUBCASE("curly quotes") {
            const auto findings =
                check_head(unauthorized("WWW-Authenticate: Basic realm=\xE2\x80\x9C" "x\xE2\x80\x9D\n"));
            CHECK_FINDING(findings, "challenge-syntax", Level::error, "typographic quotes");
            CHECK_FINDING(findings, "challenge-syntax", Level::error, "realm=\xE2\x80\x9C");
        }
        SUBCASE("empty value") {
            const auto findings = check_head(unauthorized("WWW-Authenticate:\n"));
            CHECK_FINDING(findings, "challenge-syntax", Level::error, "empty");
            CHECK_FINDING(findings, "401-missing-www-authenticate", Level::error, "403");
        }
        SUBCASE("auth-param before any scheme") {
            CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: realm=\"x\"\n")),
                          "challenge-syntax", Level::error, "realm=\\\"x\\\"");
        }
        SUBCASE("missing comma between auth-params") {
            CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic realm=\"x\" charset=\"UTF-8\"\n")),
                          "challenge-syntax", Level::error, "charset");
        }
        SUBCASE("auth-param after token68") {
            CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Negotiate abc==, realm=\"x\"\n")),
                          "challenge-syntax", Level::error, "token68");
        }
        SUBCASE("unterminated quoted-string") {
            CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic realm=\"x\n")),
                          "challenge-syntax", Level::error, "realm=\\\"x");
        }
        SUBCASE("doubled comma") {
            CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic realm=\"x\",, Bearer\n")),
                          "challenge-syntax", Level::error, "empty list element");
        }
        SUBCASE("in Proxy-Authenticate") {
            CHECK_FINDING(check_head(string("HTTP/1.1 407 Proxy Authentication Required\n") + string(kDate) +
                                     "Proxy-Authenticate: Basic; realm=\"p\"\n",
                                     request("GET", "/", false)),
                          "challenge-syntax", Level::error, "Proxy-Authenticate");
        }
    }

    TEST_CASE("challenge-duplicate-param") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Bearer realm=\"a\", REALM=\"b\"\n")),
                      "challenge-duplicate-param", Level::error, "\"REALM\"");
        SUBCASE("the same name in two different challenges is fine") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Basic realm=\"a\", Bearer realm=\"b\"\n")));
        }
    }

    TEST_CASE("realm-not-quoted") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic realm=simple\n")),
                      "realm-not-quoted", Level::error, "realm=simple");
    }

    TEST_CASE("basic-missing-realm") {
        const auto findings = check_head(unauthorized("WWW-Authenticate: Basic charset=\"UTF-8\"\n"));
        CHECK_FINDING(findings, "basic-missing-realm", Level::error, "Basic charset=\\\"UTF-8\\\"");
        CHECK_FINDING(findings, "basic-missing-realm", Level::error, "answer 403");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: basic\n")), "basic-missing-realm",
                      Level::error, "\"basic\"");
    }

    TEST_CASE("basic-bad-charset") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic realm=\"a\", charset=\"ISO-8859-1\"\n")),
                      "basic-bad-charset", Level::error, "ISO-8859-1");
    }
}

TEST_CASE("ChallengeParser splits the comma ambiguity") {
    ChallengeParser parser;
    parser.feed("Basic realm=\"a\", charset=\"UTF-8\", Bearer realm=\"b\", error=\"invalid_token\"");
    parser.feed("Negotiate abc/+==");
    REQUIRE_FALSE(parser.error());
    REQUIRE(parser.challenges().size() == 3);
    CHECK(parser.challenges()[0].scheme == "Basic");
    CHECK(parser.challenges()[0].params.size() == 2);
    CHECK(parser.challenges()[1].scheme == "Bearer");
    CHECK(parser.challenges()[1].params[1].value == "\"invalid_token\"");
    CHECK(parser.challenges()[2].token68 == "abc/+==");
}

TEST_CASE("ChallengeParser keeps many params and challenges beyond its inline capacity") {
    ChallengeParser parser;
    string value = "Custom a0=1";
    for (int i = 1; i < 20; ++i) value += ", a" + std::to_string(i) + "=" + std::to_string(i);
    for (int i = 0; i < 6; ++i) value += ", S" + std::to_string(i) + " realm=\"r\"";
    parser.feed(value);
    REQUIRE_FALSE(parser.error());
    REQUIRE(parser.challenges().size() == 7);
    CHECK(parser.challenges()[0].params.size() == 20);
    CHECK(parser.challenges()[0].params[19].name == "a19");
    CHECK(parser.challenges()[6].scheme == "S5");
}

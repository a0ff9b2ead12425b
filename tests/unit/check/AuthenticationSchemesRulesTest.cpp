// Bearer, Digest and Authentication-Info (RULES-v2 "Authentication: Bearer, Digest and
// Authentication-Info").
#include "ExchangeCheck.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string with_status(std::string_view status_line, std::string_view lines) {
    return string(status_line) + "\n" + string(kDate) + string(lines) + "Content-Length: 0\n";
}
string unauthorized(std::string_view lines) { return with_status("HTTP/1.1 401 Unauthorized", lines); }
constexpr std::string_view kToken = "mF_9.B5f-4.1JqM";
}  // namespace

TEST_SUITE("authentication schemes") {
    TEST_CASE("bearer-challenge-missing-params") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Bearer\n")), "bearer-challenge-missing-params",
                      Level::error, "\"Bearer\"");
        const auto token68 = check_head(unauthorized("WWW-Authenticate: Bearer abc\n"));
        CHECK_FINDING(token68, "bearer-challenge-missing-params", Level::error, "token68");
        CHECK_FINDING(token68, "bearer-challenge-missing-params", Level::error, "401 is for missing");
        CHECK_FINDING(check_head(with_status("HTTP/1.1 407 Proxy Authentication Required",
                                             "Proxy-Authenticate: bearer, Basic realm=\"p\"\n"),
                                 request("GET", "/", false)),
                      "bearer-challenge-missing-params", Level::error, "Proxy-Authenticate");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Bearer realm=\"api\"\n")));
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: BEARER scope=\"a b\"\n")));
            // A malformed parameter is challenge-syntax's; the challenge is not judged as bare.
            const auto cut = check_head(unauthorized("WWW-Authenticate: Bearer, realm=a b\n"));
            CHECK_FINDING(cut, "challenge-syntax", Level::error, "realm=a b");
            CHECK_NO_FINDING(cut, "bearer-challenge-missing-params");
            // The auth-params of Bearer continue on the next field line.
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Basic realm=\"a\", Bearer\n"
                                                "WWW-Authenticate: realm=\"b\"\n")));
        }
    }

    TEST_CASE("bearer-error-without-credentials") {
        const string invalid = unauthorized("WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\n");
        const auto findings = ExchangeCheck("GET /profile").run(invalid);
        CHECK_FINDING(findings, "bearer-error-without-credentials", Level::warning, "error=\"invalid_token\"");
        CHECK_FINDING(findings, "bearer-error-without-credentials", Level::warning, "401 is for missing");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(ExchangeCheck(string("GET /profile\nAuthorization: Bearer ") + string(kToken)).run(invalid));
            // Any Authorization counts as authentication information.
            CHECK_CLEAN(ExchangeCheck("GET /profile\nAuthorization: Basic dXNlcjpwYXNz").run(invalid));
            CHECK_CLEAN(ExchangeCheck("GET /profile?a=1&access_token=abc").run(invalid));
            CHECK_CLEAN(ExchangeCheck("POST /profile\nContent-Type: Application/X-WWW-Form-Urlencoded; charset=utf-8\n"
                                      "Content-Length: 0")
                            .run(invalid));
            // Unknown request: silent.
            CHECK_CLEAN(check_head(invalid));
            CHECK_NO_FINDING(ExchangeCheck("GET /profile?my_access_token=1").run(
                                 with_status("HTTP/1.1 403 Forbidden",
                                             "WWW-Authenticate: Bearer realm=\"api\", error=\"insufficient_scope\"\n")),
                             "bearer-error-without-credentials");
        }
        // A parameter merely containing the name is not the token.
        CHECK_FINDING(ExchangeCheck("GET /profile?my_access_token=1").run(invalid), "bearer-error-without-credentials",
                      Level::warning, "invalid_token");
    }

    TEST_CASE("bearer-error-missing") {
        const ExchangeCheck bearer(string("GET /profile\nAuthorization: bearer ") + string(kToken));
        const auto findings = bearer.run(unauthorized("WWW-Authenticate: Bearer realm=\"api\"\n"));
        CHECK_FINDING(findings, "bearer-error-missing", Level::warning, "Bearer realm=\\\"api\\\"");
        // The token is never quoted.
        for (const Finding& finding : findings) CHECK(finding.message.find(kToken) == std::string::npos);
        SUBCASE("tricky clean") {
            CHECK_CLEAN(bearer.run(unauthorized("WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\n")));
            CHECK_CLEAN(bearer.run(unauthorized("WWW-Authenticate: Basic realm=\"api\"\n")));
            CHECK_CLEAN(ExchangeCheck("GET /profile\nAuthorization: Basic dXNlcjpwYXNz")
                            .run(unauthorized("WWW-Authenticate: Bearer realm=\"api\"\n")));
            CHECK_CLEAN(bearer.run(with_status("HTTP/1.1 403 Forbidden", "WWW-Authenticate: Bearer realm=\"api\"\n")));
        }
    }

    TEST_CASE("bearer-error-status-mismatch") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Bearer realm=\"api\", error=\"insufficient_scope\"\n")),
                      "bearer-error-status-mismatch", Level::warning, "403 Forbidden");
        CHECK_FINDING(check_head(with_status("HTTP/1.1 403 Forbidden", "WWW-Authenticate: Bearer error=invalid_token\n")),
                      "bearer-error-status-mismatch", Level::warning, "401 Unauthorized");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Bearer realm=\"api\"\n"
                                              "WWW-Authenticate: error=\"invalid_request\"\n")),
                      "bearer-error-status-mismatch", Level::warning, "400 Bad Request");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(with_status("HTTP/1.1 400 Bad Request",
                                               "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_request\"\n")));
            CHECK_CLEAN(check_head(with_status("HTTP/1.1 403 Forbidden",
                                               "WWW-Authenticate: Bearer realm=\"api\", error=\"insufficient_scope\", "
                                               "scope=\"admin\"\n")));
            // Codes compare case-sensitively; other codes are not judged.
            CHECK_CLEAN(check_head(with_status("HTTP/1.1 403 Forbidden", "WWW-Authenticate: Bearer error=\"Invalid_Token\"\n")));
            CHECK_CLEAN(check_head(with_status("HTTP/1.1 403 Forbidden",
                                               "WWW-Authenticate: Bearer error=\"insufficient_user_authentication\"\n")));
            // Another scheme's error parameter is its own business.
            CHECK_CLEAN(check_head(with_status("HTTP/1.1 403 Forbidden", "WWW-Authenticate: DPoP error=\"invalid_token\"\n")));
        }
    }

    TEST_CASE("digest-challenge-missing-param") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\", qop=\"auth\"\n")),
                      "digest-challenge-missing-param", Level::error, "no nonce");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Digest nonce=\"n\"\n")),
                      "digest-challenge-missing-param", Level::error, "no realm");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Basic realm=\"b\", digest\n")),
                      "digest-challenge-missing-param", Level::error, "realm and no nonce");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(unauthorized(
                "WWW-Authenticate: DIGEST REALM=\"http-auth@example.org\", qop=\"auth, auth-int\", "
                "algorithm=SHA-256, Nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"\n")));
            const auto cut = check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\", nonce=\u201Cn\u201D\n"));
            CHECK_FINDING(cut, "challenge-syntax", Level::error, "typographic");
            CHECK_NO_FINDING(cut, "digest-challenge-missing-param");
            // realm and nonce on the next field line.
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\"\nWWW-Authenticate: nonce=\"n\"\n")));
        }
    }

    TEST_CASE("digest-param-quoting") {
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\", nonce=\"n\", qop=auth\n")),
                      "digest-param-quoting", Level::error, "qop parameter is a token");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\", nonce=abc\n")),
                      "digest-param-quoting", Level::error, "nonce");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\", nonce=\"n\", algorithm=\"MD5\"\n")),
                      "digest-param-quoting", Level::error, "algorithm parameter is a quoted-string");
        CHECK_FINDING(check_head(unauthorized("WWW-Authenticate: Digest realm=\"a\", nonce=\"n\", Stale=\"true\"\n")),
                      "digest-param-quoting", Level::error, "stale");
        // Credentials the client sent: the parameter is named, its value never shown.
        const auto credentials = check_request_of(
            "GET /dir/index.html\nAuthorization: Digest username=Mufasa, realm=\"http-auth@example.org\", "
            "uri=\"/dir/index.html\", algorithm=MD5, nonce=\"7ypf\", nc=00000001, cnonce=\"f2/wE4q\", qop=auth, "
            "response=\"8ca523f5e9506fed4657c9700eebdbec\"");
        CHECK_FINDING(credentials, "digest-param-quoting", Level::error, "request: the Digest credentials in Authorization send username as a token");
        for (const Finding& finding : credentials) {
            CHECK(finding.message.find("/dir/index.html") == std::string::npos);
            CHECK(finding.message.find("Mufasa") == std::string::npos);
        }
        CHECK_FINDING(check_request_of("GET /\nProxy-Authorization: Digest username=\"u\", nc=\"00000001\""),
                      "digest-param-quoting", Level::error, "nc as a quoted-string");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(unauthorized(
                "WWW-Authenticate: Digest realm=\"a\", domain=\"/ /b\", nonce=\"n\", opaque=\"o\", stale=TRUE, "
                "algorithm=SHA-256-sess, qop=\"auth\", charset=UTF-8, userhash=true\n")));
            // realm as a token is v1's realm-not-quoted, not this rule.
            const auto realm = check_head(unauthorized("WWW-Authenticate: Digest realm=a, nonce=\"n\"\n"));
            CHECK_FINDING(realm, "realm-not-quoted", Level::error, "realm=a");
            CHECK_NO_FINDING(realm, "digest-param-quoting");
            CHECK_CLEAN(check_request_of(
                "GET /dir/index.html\nAuthorization: digest username=\"Mufasa\", realm=\"r\", uri=\"/dir/index.html\", "
                "algorithm=MD5, nonce=\"7ypf\", nc=00000001, cnonce=\"f2/wE4q\", qop=auth, response=\"8ca5\", "
                "opaque=\"FQhe\", userhash=false"));
            // Other schemes may quote what they like.
            CHECK_CLEAN(check_head(unauthorized("WWW-Authenticate: Newauth realm=\"a\", qop=auth, algorithm=\"x\"\n")));
        }
    }

    TEST_CASE("authentication-info-syntax") {
        const auto ok = [](std::string_view lines) {
            return string("HTTP/1.1 200 OK\n") + string(kDate) + string(lines) + "Content-Length: 0\n";
        };
        CHECK_FINDING(check_head(ok("Authentication-Info: Digest rspauth=\"x\"\n")), "authentication-info-syntax",
                      Level::error, "starts with an auth-scheme");
        CHECK_FINDING(check_head(ok("Authentication-Info: nextnonce\n")), "authentication-info-syntax", Level::error,
                      "\"nextnonce\"");
        CHECK_FINDING(check_head(ok("Proxy-Authentication-Info: rspauth=\"x\n")), "authentication-info-syntax",
                      Level::error, "Proxy-Authentication-Info");
        CHECK_FINDING(check_head(ok("Authentication-Info: a=b c\n")), "authentication-info-syntax", Level::error,
                      "\"a=b c\"");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(check_head(ok("Authentication-Info: rspauth=\"d3f7\", cnonce=\"a, b\", nc=00000001, qop=auth\n")));
            CHECK_CLEAN(check_head(ok("Authentication-Info: nextnonce = \"x\\\"y\" ,, sid=1\n"
                                      "Authentication-Info: qop=auth\n")));
            CHECK_CLEAN(check_head(ok("Authentication-Info: \n")));
        }
    }
}

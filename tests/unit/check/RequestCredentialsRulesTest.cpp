// Authorization / Proxy-Authorization as the client sent them (RULES-v2 "Requests"): grammar,
// Basic and Bearer credentials. Credentials never appear in a message.
#include <algorithm>

#include "ExchangeCheck.hpp"
#include "check/HttpBase.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
// The findings for one Authorization value; none of their messages may show a piece of it.
Findings authorization(std::string_view value, std::string_view field = "Authorization") {
    const Findings findings = check_request_of(string("GET /profile\n") + string(field) + ": " + string(value));
    const std::string_view secret = value.substr(std::min(value.find(' '), value.size()));
    for (const Finding& finding : findings)
        if (grammar::trim_ows(secret).size() >= 3) CHECK(finding.message.find(grammar::trim_ows(secret)) == std::string::npos);
    return findings;
}
}  // namespace

TEST_SUITE("request credentials") {
    TEST_CASE("authorization-syntax") {
        for (const char* value : {"Bearer a b", "Bearer \"abc\"", "Token abc,def", "Basic  dXNlcjpwYXNz extra",
                                  "Digest a=1, b", "Bearer\tabc"}) {
            CAPTURE(value);
            CHECK_FINDING(authorization(value), "authorization-syntax", Level::error, "request: ");
        }
        CHECK_FINDING(authorization(""), "authorization-syntax", Level::error, "Authorization is empty");
        CHECK_FINDING(authorization("Bearer a b"), "authorization-syntax", Level::error, "after the Bearer scheme");
        CHECK_FINDING(authorization("Basic  x y", "Proxy-Authorization"), "authorization-syntax", Level::error,
                      "Proxy-Authorization");
        // AWS Signature V4 puts '/' and ';' in unquoted auth-param values: not tokens, so not RFC 9110.
        CHECK_FINDING(authorization("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, "
                                    "SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027"),
                      "authorization-syntax", Level::error, "after the AWS4-HMAC-SHA256 scheme");
        // An unknown scheme may be a bare secret: it is not named.
        const auto unknown = authorization("s3cr3tKey more words");
        CHECK_FINDING(unknown, "authorization-syntax", Level::error, "after the scheme");
        CHECK(unknown.front().message.find("s3cr3tKey") == std::string::npos);
        SUBCASE("tricky clean") {
            for (const char* value : {"Basic dXNlcjpwYXNz", "Bearer mF_9.B5f-4.1JqM", "Bearer abc==",
                                      "Negotiate", "Digest username=\"a, b\", realm=\"r\", uri=\"/\", nonce=\"n\", "
                                      "response=\"r\", qop=auth, nc=00000001, cnonce=\"c\"",
                                      "Newauth a = b ,, c=\"d\""}) {
                CAPTURE(value);
                CHECK_CLEAN(authorization(value));
            }
        }
    }

    TEST_CASE("basic-credentials-invalid") {
        CHECK_FINDING(authorization("Basic"), "basic-credentials-invalid", Level::error, "not a single base64 token");
        CHECK_FINDING(authorization("Basic dXNlcg=="), "basic-credentials-invalid", Level::error, "without a ':'");
        CHECK_FINDING(authorization("Basic dXNlcjpwYXNz="), "basic-credentials-invalid", Level::error, "multiple of 4");
        CHECK_FINDING(authorization("Basic dXNlcjpwYXNz~"), "basic-credentials-invalid", Level::error, "alphabet");
        CHECK_FINDING(authorization("basic realm=\"x\""), "basic-credentials-invalid", Level::error, "Basic credentials");
        CHECK_FINDING(authorization("Basic dXNlcjpwYXNz===="), "basic-credentials-invalid", Level::error, "padding");
        CHECK_FINDING(authorization("Basic dXNlcg==", "Proxy-Authorization"), "basic-credentials-invalid", Level::error,
                      "Proxy-Authorization");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(authorization("Basic dXNlcjpwYXNz"));   // user:pass
            CHECK_CLEAN(authorization("Basic dXNlcjpw"));       // user:p
            CHECK_CLEAN(authorization("BASIC dTpw"));           // u:p
            CHECK_CLEAN(authorization("Basic OnA="));           // :p (empty user-id)
            CHECK_CLEAN(authorization("Basic dTo="));           // u: (empty password)
            CHECK_CLEAN(authorization("Basic w6k6w6k="));       // é:é in UTF-8
        }
    }

    TEST_CASE("bearer-credentials-syntax") {
        CHECK_FINDING(authorization("Bearer"), "bearer-credentials-syntax", Level::error, "missing the token");
        CHECK_FINDING(authorization("Bearer token=\"abc\""), "bearer-credentials-syntax", Level::error,
                      "name=value parameters");
        CHECK_FINDING(authorization("bearer a=b, c=d"), "bearer-credentials-syntax", Level::error, "Bearer");
        SUBCASE("tricky clean") {
            CHECK_CLEAN(authorization("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
            CHECK_CLEAN(authorization("bearer   a-b_c~d+e/f=="));
            // A syntax error is authorization-syntax's alone.
            const auto broken = authorization("Bearer a b");
            CHECK_NO_FINDING(broken, "bearer-credentials-syntax");
        }
    }
}

#include "conformance_proxy/auth/BasicCredentials.hpp"

#include "unit/auth/AuthTestSupport.hpp"

using namespace cproxy::auth;
using cproxy::auth::test::base64;
using cproxy::auth::test::basic;
using Kind = CredentialParseResult::Kind;

TEST_CASE("Basic credentials: a well-formed value gives user and password") {
    const auto r = parse_basic_credentials(basic("alice:secret"));
    REQUIRE(r.present());
    CHECK(r.credentials.user == "alice");
    CHECK(r.credentials.password == "secret");
    CHECK(r.reason.empty());
}

TEST_CASE("Basic credentials: scheme is case-insensitive, 1*SP and surrounding OWS accepted") {
    for (const std::string& value : {"basic " + base64("a:b"), "BASIC " + base64("a:b"),
                                    "bAsIc   " + base64("a:b"), " \tBasic " + base64("a:b") + " \t"}) {
        CAPTURE(value);
        const auto r = parse_basic_credentials(value);
        REQUIRE(r.present());
        CHECK(r.credentials.user == "a");
        CHECK(r.credentials.password == "b");
    }
}

TEST_CASE("Basic credentials: absent field is missing, not malformed") {
    CHECK(parse_basic_credentials(std::nullopt).kind == Kind::missing);
}

TEST_CASE("Basic credentials: another scheme is malformed with a reason naming it") {
    for (const std::string_view value : {"Bearer abc.def", "Digest username=\"a\"", "Basicx YTpi", "YTpi"}) {
        CAPTURE(value);
        const auto r = parse_basic_credentials(value);
        CHECK(r.kind == Kind::malformed);
        CHECK(r.reason == "scheme is not Basic");
    }
    CHECK(parse_basic_credentials("").reason == "field is empty");
    CHECK(parse_basic_credentials("Basic").reason == "no credentials after Basic");
    CHECK(parse_basic_credentials("Basic   ").reason == "no credentials after Basic");
}

TEST_CASE("Basic credentials: invalid base64 is malformed") {
    const std::string good = base64("alice:secret");  // YWxpY2U6c2VjcmV0 (no padding needed)
    for (const std::string& value : {
             std::string("Basic YWxpY2U6c2VjcmV"),  // length not a multiple of 4
             std::string("Basic YWxp!2U6c2VjcmV0"), // character outside the alphabet
             std::string("Basic YWxpY2U6c2VjcmV0===="),
             std::string("Basic YWxpY2U6c2VjcmV0=="),  // padding where none belongs
             std::string("Basic YT=i"),                // '=' in the middle
             std::string("Basic YTpiYw"),              // unpadded "a:bc"
             std::string("Basic YTpiYx=="),            // non-canonical trailing bits
             std::string("Basic YTpi,YTpi"),           // two credentials
             std::string("Basic YTpi realm=x"),        // auth-params are not Basic credentials
             std::string("Basic\t") + good,            // the separator is SP only
         }) {
        CAPTURE(value);
        const auto r = parse_basic_credentials(value);
        CHECK(r.kind == Kind::malformed);
        CHECK(r.reason == (value.find('\t') == std::string::npos ? "credentials are not valid base64"
                                                                 : "scheme is not Basic"));
    }
}

TEST_CASE("Basic credentials: decoded text without a colon is malformed") {
    const auto r = parse_basic_credentials(basic("alice"));
    CHECK(r.kind == Kind::malformed);
    CHECK(r.reason == "decoded credentials have no colon");
}

TEST_CASE("Basic credentials: split at the first colon, so the password may hold colons") {
    const auto r = parse_basic_credentials(basic("alice:pa:ss:"));
    REQUIRE(r.present());
    CHECK(r.credentials.user == "alice");
    CHECK(r.credentials.password == "pa:ss:");
}

TEST_CASE("Basic credentials: empty password and empty user are still well-formed") {
    auto r = parse_basic_credentials(basic("alice:"));
    REQUIRE(r.present());
    CHECK(r.credentials.user == "alice");
    CHECK(r.credentials.password.empty());
    r = parse_basic_credentials(basic(":pw"));
    REQUIRE(r.present());
    CHECK(r.credentials.user.empty());
}

TEST_CASE("Basic credentials: UTF-8 user-id and password pass through as bytes") {
    const auto r = parse_basic_credentials(basic("j\xC3\xBCrgen:\xE5\xAF\x86\xE7\xA0\x81"));
    REQUIRE(r.present());
    CHECK(r.credentials.user == "j\xC3\xBCrgen");
    CHECK(r.credentials.password == "\xE5\xAF\x86\xE7\xA0\x81");
}

TEST_CASE("Basic credentials: control characters are refused (RFC 7617 section 2)") {
    for (const std::string& raw : {std::string("al\x01ice:pw"), std::string("alice:p\nw"),
                                  std::string("alice:pw\x7f"), std::string("alice:p\0w", 9)}) {
        const auto r = parse_basic_credentials(basic(raw));
        CHECK(r.kind == Kind::malformed);
        CHECK(r.reason == "decoded credentials contain a control character");
    }
}

TEST_CASE("decode_base64_strict: padding and lengths") {
    CHECK(decode_base64_strict("") == std::string());
    CHECK(decode_base64_strict("YQ==") == std::string("a"));
    CHECK(decode_base64_strict("YWI=") == std::string("ab"));
    CHECK(decode_base64_strict("YWJj") == std::string("abc"));
    CHECK(decode_base64_strict("AAAA") == std::string(3, '\0'));
    CHECK_FALSE(decode_base64_strict("YR=="));  // non-canonical
    CHECK_FALSE(decode_base64_strict("YWJ="));  // ditto, one '='
    CHECK_FALSE(decode_base64_strict("Y==="));
    CHECK_FALSE(decode_base64_strict("===="));
    CHECK_FALSE(decode_base64_strict("YW-j"));  // base64url is not base64
}

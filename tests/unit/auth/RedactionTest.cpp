#include "conformance_proxy/auth/Redaction.hpp"

#include <doctest/doctest.h>

using namespace cproxy::auth;

TEST_CASE("Redaction: credential fields in any case") {
    for (const char* name : {"Authorization", "authorization", "PROXY-AUTHORIZATION", "Proxy-Authorization",
                             "Cookie", "cookie", "Set-Cookie", "set-COOKIE"}) {
        CAPTURE(name);
        CHECK(is_credential_field(name));
        CHECK(redact(name, "secret") == "[redacted]");
    }
    for (const char* name : {"Proxy-Authenticate", "WWW-Authenticate", "Content-Type", "Cookies", "Authorizatio", ""}) {
        CAPTURE(name);
        CHECK_FALSE(is_credential_field(name));
        CHECK(redact(name, "value") == "value");
    }
    CHECK(redacted_value() == "[redacted]");
}

#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string with_cookies(std::string_view lines) {
    return string("HTTP/1.1 200 OK\n") + string(kDate) + string(lines) + "Content-Length: 0\n";
}
Findings cookie(std::string_view set_cookie_value) {
    return check_head(with_cookies(string("Set-Cookie: ") + string(set_cookie_value) + "\n"));
}
// The finding's message never shows the cookie value.
void check_value_hidden(const Findings& findings, std::string_view secret) {
    for (const Finding& finding : findings) {
        INFO("message: ", finding.message);
        CHECK(finding.message.find(secret) == string::npos);
    }
}
}  // namespace

TEST_SUITE("cookies") {
    TEST_CASE("clean Set-Cookie lines") {
        SUBCASE("typical session cookies, one per line, never joined") {
            CHECK_CLEAN(check_head(with_cookies(
                "Set-Cookie: sid=31d4d96e407aad42; Path=/; Secure; HttpOnly; SameSite=Lax\n"
                "Set-Cookie: lang=en-US; Expires=Fri, 09 Jun 1995 10:18:14 GMT; Path=/\n")));
        }
        SUBCASE("Max-Age 0, -1 and 007 are processed by every user agent") {
            CHECK_CLEAN(cookie("a=1; Max-Age=0"));
            CHECK_CLEAN(cookie("a=1; Max-Age=-1"));
            CHECK_CLEAN(cookie("a=1; Max-Age=007"));
            CHECK_CLEAN(cookie("a=1; max-age=34560000"));
        }
        SUBCASE("names with ( ) / : < > ? @ [ ] { } are valid under rfc6265bis") {
            CHECK_CLEAN(cookie("a(b)/c:d<e>f?g@h[i]j{k}=1"));
        }
        SUBCASE("empty and DQUOTE-wrapped values") {
            CHECK_CLEAN(cookie("a="));
            CHECK_CLEAN(cookie("a=\"\""));
            CHECK_CLEAN(cookie("a=\"abc\""));
            CHECK_CLEAN(cookie("a=YWJj+/==; Path=/"));
        }
        SUBCASE("whitespace around = and ; and a trailing ; (rfc6265bis allows them)") {
            CHECK_CLEAN(cookie("a = 1 ;Path=/;  Secure ;"));
            CHECK_CLEAN(cookie("a=1;;Path=/"));
        }
        SUBCASE("attribute names are case-insensitive") {
            CHECK_CLEAN(cookie("a=1; path=/; SECURE; samesite=none; max-age=60"));
            CHECK_CLEAN(cookie("a=1; SameSite=STRICT"));
        }
        SUBCASE("leading-dot and IP Domains are not reported") {
            CHECK_CLEAN(cookie("a=1; Domain=.example.com"));
            CHECK_CLEAN(cookie("a=1; Domain=192.0.2.1"));
            CHECK_CLEAN(cookie("a=1; Domain=xn--bcher-kva.example"));
            CHECK_CLEAN(cookie("a=1; Domain=a-b.c0.example"));
        }
        SUBCASE("unknown attributes and flags with values are extension-av") {
            CHECK_CLEAN(cookie("a=1; Priority=High; Secure=false; HttpOnly=1"));
        }
        SUBCASE("prefix case variants are not prefixes (exact case)") {
            CHECK_CLEAN(cookie("__secure-x=1"));
            CHECK_CLEAN(cookie("__HOST-x=1"));
        }
        SUBCASE("valid prefixed cookies") {
            CHECK_CLEAN(cookie("__Secure-x=1; Secure; Domain=example.com; Path=/app"));
            CHECK_CLEAN(cookie("__Host-x=1; Secure; Path=/"));
            // The last Path counts, and an empty Domain is ignored by the UA (other rules fire).
            CHECK_NO_FINDING(cookie("__Host-x=1; Secure; Path=/app; Path=/; Domain="),
                             "set-cookie-host-prefix-scope");
        }
        SUBCASE("SameSite=None with Secure, Partitioned with Secure") {
            CHECK_CLEAN(cookie("a=1; SameSite=None; Secure; Partitioned"));
        }
        SUBCASE("the same name in different responses is fine; different names in one") {
            CHECK_CLEAN(check_head(with_cookies("Set-Cookie: a=1\nSet-Cookie: A=2\nSet-Cookie: b=3\n")));
        }
        SUBCASE("name + value of exactly 4096 octets") {
            CHECK_CLEAN(cookie("ab=" + string(4094, 'x')));
        }
        SUBCASE("Expires within 400 days of Date; Max-Age wins over Expires") {
            CHECK_CLEAN(cookie("a=1; Expires=Mon, 06 Nov 1995 08:49:37 GMT"));
            CHECK_CLEAN(cookie("a=1; Max-Age=60; Expires=Fri, 01 Jan 2100 00:00:00 GMT"));
        }
        SUBCASE("interim responses are not checked") {
            CHECK_CLEAN(check_head("HTTP/1.1 103 Early Hints\nSet-Cookie: a b=1\n"));
        }
    }

    TEST_CASE("set-cookie-name-invalid") {
        CHECK_FINDING(cookie("my id=1"), "set-cookie-name-invalid", Level::warning, "\"my id\" holds a space");
        CHECK_FINDING(cookie("\"sid\"=1"), "set-cookie-name-invalid", Level::warning, "double quote");
        CHECK_FINDING(cookie("a,b=1"), "set-cookie-name-invalid", Level::warning, "a comma");
        CHECK_FINDING(cookie("a\\b=1"), "set-cookie-name-invalid", Level::warning, "a backslash");
        CHECK_FINDING(cookie("caf\xC3\xA9=1"), "set-cookie-name-invalid", Level::warning, "non-ASCII");
        CHECK_FINDING(cookie("=abc"), "set-cookie-name-invalid", Level::warning, "empty cookie name");
        const auto no_equals = cookie("s3cr3t; Path=/");
        CHECK_FINDING(no_equals, "set-cookie-name-invalid", Level::warning, "no '='");
        check_value_hidden(no_equals, "s3cr3t");
        CHECK_NO_FINDING(no_equals, "set-cookie-value-invalid");
    }

    TEST_CASE("set-cookie-value-invalid never quotes the value") {
        const auto space = cookie("a=hello s3cr3t");
        CHECK_FINDING(space, "set-cookie-value-invalid", Level::warning, "the value holds a space");
        check_value_hidden(space, "s3cr3t");
        CHECK_FINDING(cookie("a=1,2"), "set-cookie-value-invalid", Level::warning, "a comma");
        CHECK_FINDING(cookie("a=x\\y"), "set-cookie-value-invalid", Level::warning, "a backslash");
        CHECK_FINDING(cookie("a={\"x\":1}"), "set-cookie-value-invalid", Level::warning, "double quote");
        CHECK_FINDING(cookie("a=\"abc"), "set-cookie-value-invalid", Level::warning, "double quote");
        CHECK_FINDING(cookie("a=caf\xC3\xA9"), "set-cookie-value-invalid", Level::warning, "non-ASCII");
        CHECK_FINDING(cookie("sid=\"a b\""), "set-cookie-value-invalid", Level::warning, "Set-Cookie \"sid\"");
    }

    TEST_CASE("set-cookie-expires-syntax") {
        for (const char* bad : {"Thu, 01-Jan-1970 00:00:00 GMT", "Thursday, 01 Jan 1970 00:00:00 GMT",
                                "Thu, 1 Jan 1970 00:00:00 GMT", "Thu, 01 Jan 70 00:00:00 GMT",
                                "Thu, 01 Jan 1970 00:00:00 UTC", "1700000000", "", "thu, 01 jan 1970 00:00:00 gmt"}) {
            CAPTURE(bad);
            CHECK_FINDING(cookie(string("a=1; Expires=") + bad), "set-cookie-expires-syntax", Level::warning,
                          string("Expires \"") + bad + "\"");
        }
        SUBCASE("a wrong weekday is not reported") {
            CHECK_CLEAN(cookie("a=1; Expires=Mon, 01 Jan 1970 00:00:00 GMT"));
        }
    }

    TEST_CASE("set-cookie-max-age-invalid") {
        for (const char* bad : {"abc", "", "3600s", "1.5", "+60", "\"60\"", "-", "6 0"}) {
            CAPTURE(bad);
            CHECK_FINDING(cookie(string("a=1; Max-Age=") + bad), "set-cookie-max-age-invalid", Level::warning,
                          "Max-Age \"");
        }
        CHECK_FINDING(cookie("a=1; Max-Age"), "set-cookie-max-age-invalid", Level::warning, "without a value");
    }

    TEST_CASE("set-cookie-domain-invalid") {
        for (const char* bad : {"", "exa mple.com", "example..com", "example.com:8443", "https://example.com",
                                "*.example.com", "_acme.example.com", "b\xC3\xBC" "cher.example", ".",
                                "-a.example", "a-.example", "example.com."}) {
            CAPTURE(bad);
            CHECK_FINDING(cookie(string("a=1; Domain=") + bad), "set-cookie-domain-invalid", Level::warning,
                          "Domain \"");
        }
        CHECK_FINDING(cookie("a=1; Domain=" + string(64, 'a') + ".example"), "set-cookie-domain-invalid",
                      Level::warning, "is not a host name");
        CHECK_NO_FINDING(cookie("a=1; Domain=" + string(63, 'a') + ".example"), "set-cookie-domain-invalid");
    }

    TEST_CASE("set-cookie-path-not-absolute") {
        for (const char* bad : {"", "admin", "\"/\"", "*"}) {
            CAPTURE(bad);
            CHECK_FINDING(cookie(string("a=1; Path=") + bad), "set-cookie-path-not-absolute", Level::warning,
                          string("Path \"") + (string(bad) == "\"/\"" ? "\\\"/\\\"" : bad) + "\"");
        }
        CHECK_FINDING(cookie("a=1; Path"), "set-cookie-path-not-absolute", Level::warning, "Path \"\"");
    }

    TEST_CASE("set-cookie-attribute-repeated") {
        CHECK_FINDING(cookie("a=1; Path=/; path=/app"), "set-cookie-attribute-repeated", Level::warning,
                      "\"path\"");
        CHECK_FINDING(cookie("a=1; Secure; Secure"), "set-cookie-attribute-repeated", Level::warning, "\"Secure\"");
        CHECK_FINDING(cookie("a=1; Max-Age=60; max-age=120"), "set-cookie-attribute-repeated", Level::warning,
                      "\"max-age\"");
        SUBCASE("reported once per line") {
            const auto findings = cookie("a=1; Secure; Secure; Secure");
            int count = 0;
            for (const Finding& finding : findings) count += finding.rule->id == "set-cookie-attribute-repeated";
            CHECK(count == 1);
        }
    }

    TEST_CASE("set-cookie-name-repeated") {
        const auto findings = check_head(with_cookies(
            "Set-Cookie: sid=1; Path=/\nSet-Cookie: sid=2; Path=/app; Domain=example.com\nSet-Cookie: sid=3\n"));
        CHECK_FINDING(findings, "set-cookie-name-repeated", Level::warning, "\"sid\" is set twice");
        int count = 0;
        for (const Finding& finding : findings) count += finding.rule->id == "set-cookie-name-repeated";
        CHECK(count == 1);
        CHECK_FINDING(check_head(with_cookies("Set-Cookie: sid =1\nSet-Cookie: sid= 2\n")),
                      "set-cookie-name-repeated", Level::warning, "lines 3 and 4");
    }

    TEST_CASE("set-cookie-samesite-invalid") {
        for (const char* bad : {"", "Secure", "no_restriction", "\"Lax\"", "Lax,Strict"}) {
            CAPTURE(bad);
            CHECK_FINDING(cookie(string("a=1; Secure; SameSite=") + bad), "set-cookie-samesite-invalid",
                          Level::warning, "SameSite \"");
        }
        CHECK_FINDING(cookie("a=1; SameSite"), "set-cookie-samesite-invalid", Level::warning, "without a value");
    }

    TEST_CASE("set-cookie-samesite-none-insecure") {
        CHECK_FINDING(cookie("a=1; SameSite=None"), "set-cookie-samesite-none-insecure", Level::warning,
                      "SameSite=None without Secure");
        CHECK_FINDING(cookie("a=1; SameSite=none; SameSite=bogus"), "set-cookie-samesite-none-insecure",
                      Level::warning, "\"a\"");
        CHECK_NO_FINDING(cookie("a=1; SameSite=None; SameSite=Lax"), "set-cookie-samesite-none-insecure");
        CHECK_NO_FINDING(cookie("a=1; SameSite=None; secure=no"), "set-cookie-samesite-none-insecure");
    }

    TEST_CASE("set-cookie-prefix-insecure") {
        CHECK_FINDING(cookie("__Secure-sid=1; Path=/"), "set-cookie-prefix-insecure", Level::warning, "__Secure-");
        CHECK_FINDING(cookie("__Host-sid=1; Path=/"), "set-cookie-prefix-insecure", Level::warning, "__Host-");
    }

    TEST_CASE("set-cookie-host-prefix-scope") {
        CHECK_FINDING(cookie("__Host-sid=1; Secure; Path=/; Domain=example.com"), "set-cookie-host-prefix-scope",
                      Level::warning, "Domain \"example.com\"");
        CHECK_FINDING(cookie("__Host-sid=1; Secure"), "set-cookie-host-prefix-scope", Level::warning, "no Path");
        CHECK_FINDING(cookie("__Host-sid=1; Secure; Path=/; Path=/app"), "set-cookie-host-prefix-scope",
                      Level::warning, "Path \"/app\"");
    }

    TEST_CASE("set-cookie-partitioned-insecure") {
        CHECK_FINDING(cookie("a=1; Path=/; partitioned"), "set-cookie-partitioned-insecure", Level::warning,
                      "Partitioned without Secure");
    }

    TEST_CASE("set-cookie-too-large never quotes the value") {
        const auto findings = cookie("ab=s3cr3t" + string(4089, 'x'));
        CHECK_FINDING(findings, "set-cookie-too-large", Level::warning, "4097 octets");
        check_value_hidden(findings, "s3cr3t");
    }

    TEST_CASE("set-cookie-lifetime-capped") {
        CHECK_FINDING(cookie("a=1; Max-Age=34560001"), "set-cookie-lifetime-capped", Level::info,
                      "Max-Age \"34560001\"");
        CHECK_FINDING(cookie("a=1; Max-Age=99999999999999999999999"), "set-cookie-lifetime-capped", Level::info,
                      "over 400 days");
        CHECK_FINDING(cookie("a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT"), "set-cookie-lifetime-capped",
                      Level::info, "the response's Date");
        CHECK_FINDING(cookie("a=1; Max-Age=bad; Expires=Fri, 01 Jan 2100 00:00:00 GMT"),
                      "set-cookie-lifetime-capped", Level::info, "Expires");
        CHECK_NO_FINDING(cookie("a=1; Max-Age=-99999999999"), "set-cookie-lifetime-capped");
        CHECK_NO_FINDING(cookie("a=1; Max-Age=99999999999; Max-Age=60"), "set-cookie-lifetime-capped");
        SUBCASE("without Date: the receive time") {
            const auto findings = check_head(
                "HTTP/1.1 200 OK\nSet-Cookie: a=1; Expires=Fri, 01 Jan 9999 00:00:00 GMT\nContent-Length: 0\n");
            CHECK_FINDING(findings, "set-cookie-lifetime-capped", Level::info, "the time it was received");
            CHECK_NO_FINDING(check_head("HTTP/1.1 200 OK\nSet-Cookie: a=1; Expires=Sun, 06 Nov 1994 08:49:37 "
                                        "GMT\nContent-Length: 0\n"),
                             "set-cookie-lifetime-capped");
        }
    }
}

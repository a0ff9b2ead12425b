#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
// A 200 with Date, the given lines and an empty body.
string ok_with(std::string_view lines) { return empty_response("HTTP/1.1 200 OK", lines); }
Findings cc(std::string_view value) { return check_head(ok_with(string("Cache-Control: ") + string(value) + "\n")); }
}  // namespace

TEST_SUITE("caching") {
    TEST_CASE("clean Cache-Control") {
        for (std::string_view value : {
                 "no-cache",
                 "no-store",
                 "private, max-age=60",
                 "public, max-age=31536000, immutable",
                 "MAX-AGE=60, Public",                       // names are case-insensitive
                 "max-age=0, must-revalidate",
                 "max-age=0",
                 "max-age=007",
                 "s-maxage=600, max-age=60, proxy-revalidate",
                 "no-store, max-age=0",                      // not a positive lifetime
                 "no-store, no-cache, must-revalidate",
                 "no-store, must-understand, max-age=3600",  // must-understand excuses it
                 "must-understand, no-store",
                 "private=\"Set-Cookie, Authorization\", max-age=60",  // one directive, quoted comma
                 "private=\"Set-Cookie\", public, max-age=60",  // qualified private is consistent
                 "no-cache=\"\"",                            // an empty field list
                 "no-cache=\"Set-Cookie,,  X-Token ,\"",     // empty elements skipped
             }) {
            CAPTURE(value);
            CHECK_CLEAN(cc(value));
        }
        SUBCASE("empty elements and a list split across lines") {
            CHECK_CLEAN(check_head(ok_with("Cache-Control: max-age=60,\nCache-Control: , public\n")));
            CHECK_CLEAN(check_head(ok_with("Cache-Control:\n")));
            CHECK_CLEAN(check_head(ok_with("Cache-Control: public\nCache-Control: max-age=60, stale-while-revalidate=30, stale-if-error=86400\n")));
        }
        SUBCASE("immutable made fresh by Expires later than Date") {
            CHECK_CLEAN(check_head(ok_with("Cache-Control: public, immutable\nExpires: Mon, 07 Nov 1994 08:49:37 GMT\n")));
        }
        SUBCASE("interim responses are not judged") {
            CHECK_CLEAN(check_head("HTTP/1.1 103 Early Hints\nCache-Control: max-age = 60\nLink: </a.css>; rel=preload\n"));
        }
        SUBCASE("a 304 with usual fields") {
            CHECK_CLEAN(check_head("HTTP/1.1 304 Not Modified\n" + string(kDate) +
                                   "Cache-Control: max-age=60, stale-while-revalidate=30\nETag: \"a\"\n"
                                   "Expires: Sun, 06 Nov 1994 08:50:37 GMT\nVary: Accept-Encoding\n"));
        }
    }

    TEST_CASE("cache-control-syntax") {
        CHECK_FINDING(cc("max-age = 60"), "cache-control-syntax", Level::error, "\"max-age = 60\"");
        CHECK_FINDING(cc("max-age = 60"), "cache-control-syntax", Level::error, "whitespace");
        CHECK_FINDING(cc("max-age =60"), "cache-control-syntax", Level::error, "whitespace");
        CHECK_FINDING(cc("max-age= 60"), "cache-control-syntax", Level::error, "whitespace");
        CHECK_FINDING(cc("no-cache; no-store"), "cache-control-syntax", Level::error, "\"no-cache; no-store\"");
        CHECK_FINDING(cc("private=\"Set-Cookie"), "cache-control-syntax", Level::error, "unterminated");
        CHECK_FINDING(cc("max-age="), "cache-control-syntax", Level::error, "\"max-age=\"");
        CHECK_FINDING(cc("max age=1"), "cache-control-syntax", Level::error, "\"max age=1\"");
        CHECK_FINDING(cc("max-age:60"), "cache-control-syntax", Level::error, "\"max-age:60\"");
        CHECK_FINDING(cc("private=\"a\"b"), "cache-control-syntax", Level::error, "closing quote");
        CHECK_FINDING(cc("=60"), "cache-control-syntax", Level::error, "\"=60\"");
        CHECK_FINDING(cc("max-age=6 0"), "cache-control-syntax", Level::error, "\"max-age=6 0\"");
        // reported only by this rule, not by the directive rules
        const auto findings = cc("max-age = -1, public = true, maxage = 1");
        CHECK(findings.size() == 3);
        for (const Finding& finding : findings) CHECK(finding.rule->id == "cache-control-syntax");
        // an unterminated quote swallows the rest of its line, but not the next line
        const auto two_lines = check_head(ok_with("Cache-Control: private=\"x, max-age=60\nCache-Control: max-age=60\n"));
        CHECK_FINDING(two_lines, "cache-control-syntax", Level::error, "private=");
        CHECK_NO_FINDING(two_lines, "cache-control-duplicate-directive");
    }

    TEST_CASE("cache-control-delta-seconds-invalid") {
        for (std::string_view value : {"max-age", "max-age=-1", "s-maxage=86400.0", "max-age=60s",
                                       "stale-while-revalidate", "stale-if-error=1d"}) {
            CAPTURE(value);
            CHECK_FINDING(cc(value), "cache-control-delta-seconds-invalid", Level::error, value);
        }
        CHECK_FINDING(cc("max-age=\"60s\""), "cache-control-delta-seconds-invalid", Level::error, "60s");
        CHECK_NO_FINDING(cc("max-age=\"60\""), "cache-control-delta-seconds-invalid");
        CHECK_NO_FINDING(cc("Max-Age=0060"), "cache-control-delta-seconds-invalid");
    }

    TEST_CASE("cache-control-quoted-delta-seconds") {
        CHECK_FINDING(cc("max-age=\"3600\""), "cache-control-quoted-delta-seconds", Level::error,
                      "\"max-age=\\\"3600\\\"\"");
        CHECK_FINDING(cc("stale-if-error=\"x\""), "cache-control-quoted-delta-seconds", Level::error, "stale-if-error=3600");
        CHECK(cc("max-age=\"3600\"").size() == 1);
    }

    TEST_CASE("cache-control-field-list-token-form") {
        CHECK_FINDING(cc("private=Set-Cookie"), "cache-control-field-list-token-form", Level::warning,
                      "write private=\"Set-Cookie\"");
        CHECK_FINDING(cc("NO-CACHE=Set-Cookie"), "cache-control-field-list-token-form", Level::warning,
                      "\"NO-CACHE=Set-Cookie\"");
        CHECK_NO_FINDING(cc("private=Set-Cookie"), "cache-control-field-list-invalid");
    }

    TEST_CASE("cache-control-field-list-invalid") {
        CHECK_FINDING(cc("private=\"Set-Cookie Authorization\""), "cache-control-field-list-invalid",
                      Level::error, "Set-Cookie Authorization");
        CHECK_FINDING(cc("no-cache=\"Set-Cookie;\""), "cache-control-field-list-invalid", Level::error,
                      "Set-Cookie;");
        CHECK_FINDING(cc("private=\"a;b\\\"c\""), "cache-control-field-list-invalid", Level::error, "private");
        CHECK_NO_FINDING(cc("no-cache=\"\""), "cache-control-field-list-invalid");
        CHECK_NO_FINDING(cc("private=\" Set-Cookie , X-A \""), "cache-control-field-list-invalid");
        CHECK_NO_FINDING(cc("private=\"Set-\\Cookie\""), "cache-control-field-list-invalid");  // quoted-pair
    }

    TEST_CASE("cache-control-unexpected-argument") {
        CHECK_FINDING(cc("public=true"), "cache-control-unexpected-argument", Level::error, "\"public=true\"");
        CHECK_FINDING(cc("must-revalidate=\"yes\""), "cache-control-unexpected-argument", Level::error,
                      "must-revalidate takes no argument");
        CHECK_FINDING(cc("no-store=\"\""), "cache-control-unexpected-argument", Level::error, "no-store");
        CHECK_FINDING(cc("Immutable=1, max-age=60"), "cache-control-unexpected-argument", Level::error, "Immutable=1");
        for (std::string_view name : {"proxy-revalidate=1", "no-transform=1", "must-understand=1, no-store"}) {
            CAPTURE(name);
            CHECK_FINDING(cc(name), "cache-control-unexpected-argument", Level::error, name.substr(0, 12));
        }
        CHECK_NO_FINDING(cc("no-cache=\"Set-Cookie\""), "cache-control-unexpected-argument");
    }

    TEST_CASE("cache-control-duplicate-directive") {
        const auto two_lines = check_head(ok_with("Cache-Control: max-age=60\nCache-Control: max-age=3600\n"));
        CHECK_FINDING(two_lines, "cache-control-duplicate-directive", Level::warning,
                      "\"max-age=60\" and \"max-age=3600\"");
        CHECK_FINDING(cc("s-maxage=60, S-MAXAGE=60"), "cache-control-duplicate-directive", Level::warning,
                      "\"S-MAXAGE=60\"");
        CHECK_FINDING(cc("stale-if-error=1, stale-if-error=2, stale-if-error=3"),
                      "cache-control-duplicate-directive", Level::warning, "stale-if-error");
        CHECK(cc("stale-if-error=1, stale-if-error=2, stale-if-error=3").size() == 1);  // once per name
        CHECK_NO_FINDING(cc("max-age=60, s-maxage=60"), "cache-control-duplicate-directive");
        CHECK_NO_FINDING(cc("no-cache, no-cache"), "cache-control-duplicate-directive");
    }

    TEST_CASE("cache-control-public-and-private") {
        CHECK_FINDING(cc("public, private"), "cache-control-public-and-private", Level::warning,
                      "\"public\" and \"private\"");
        CHECK_FINDING(check_head(ok_with("Cache-Control: Private\nCache-Control: PUBLIC\n")),
                      "cache-control-public-and-private", Level::warning, "\"PUBLIC\"");
        CHECK_NO_FINDING(cc("public, private=\"Set-Cookie\""), "cache-control-public-and-private");
    }

    TEST_CASE("cache-control-no-store-conflict") {
        CHECK_FINDING(cc("no-store, max-age=3600"), "cache-control-no-store-conflict", Level::warning,
                      "\"no-store\" and \"max-age=3600\"");
        CHECK_FINDING(cc("public, no-store"), "cache-control-no-store-conflict", Level::warning, "\"public\"");
        CHECK_FINDING(cc("no-store, s-maxage=600"), "cache-control-no-store-conflict", Level::warning, "s-maxage=600");
        CHECK_FINDING(cc("no-store, max-age=31536000, immutable"), "cache-control-no-store-conflict",
                      Level::warning, "max-age=31536000");
        CHECK_NO_FINDING(cc("no-store, max-age=0"), "cache-control-no-store-conflict");
        CHECK_NO_FINDING(cc("no-store, max-age=000"), "cache-control-no-store-conflict");
        CHECK_NO_FINDING(cc("no-store, no-cache, must-revalidate"), "cache-control-no-store-conflict");
        CHECK_NO_FINDING(cc("no-store, private"), "cache-control-no-store-conflict");
        CHECK_NO_FINDING(cc("no-store, must-understand, public"), "cache-control-no-store-conflict");
        CHECK_NO_FINDING(cc("no-store, stale-while-revalidate=60"), "cache-control-no-store-conflict");
    }

    TEST_CASE("cache-control-request-directive") {
        CHECK_FINDING(cc("max-age=60, max-stale=600"), "cache-control-request-directive", Level::warning,
                      "\"max-stale=600\"");
        CHECK_FINDING(cc("Only-If-Cached"), "cache-control-request-directive", Level::warning, "Only-If-Cached");
        CHECK_FINDING(cc("min-fresh=10"), "cache-control-request-directive", Level::warning, "min-fresh");
        CHECK_NO_FINDING(cc("min-fresh=10"), "cache-control-unknown-directive");
    }

    TEST_CASE("cache-control-unknown-directive") {
        CHECK_FINDING(cc("max_age=3600"), "cache-control-unknown-directive", Level::info,
                      "\"max_age\" is not registered and caches ignore it; did you mean max-age?");
        CHECK_FINDING(cc("maxage=60"), "cache-control-unknown-directive", Level::info, "did you mean max-age?");
        CHECK_FINDING(cc("no-chache"), "cache-control-unknown-directive", Level::info, "did you mean no-cache?");
        CHECK_FINDING(cc("Privat"), "cache-control-unknown-directive", Level::info, "did you mean private?");
        CHECK_FINDING(cc("stale-while-revalidat=5"), "cache-control-unknown-directive", Level::info,
                      "did you mean stale-while-revalidate?");
        const auto far = cc("pre-check=0");
        CHECK_FINDING(far, "cache-control-unknown-directive", Level::info, "\"pre-check\"");
        CHECK(find_finding(far, "cache-control-unknown-directive")->message.find("did you mean") == string::npos);
        const auto long_name = cc("a-very-long-extension-directive-name-indeed=1");
        CHECK_FINDING(long_name, "cache-control-unknown-directive", Level::info, "a-very-long");
        CHECK(find_finding(long_name, "cache-control-unknown-directive")->message.find("did you mean") == string::npos);
        for (std::string_view name : {"immutable, max-age=1", "max-age=1", "must-revalidate", "no-cache",
                                      "no-store", "no-transform", "private", "proxy-revalidate", "public",
                                      "s-maxage=1", "stale-if-error=1", "stale-while-revalidate=1"}) {
            CAPTURE(name);
            CHECK_NO_FINDING(cc(name), "cache-control-unknown-directive");
        }
    }

    TEST_CASE("cache-control-immutable-not-fresh") {
        CHECK_FINDING(cc("public, immutable"), "cache-control-immutable-not-fresh", Level::info, "\"immutable\"");
        CHECK_FINDING(cc("max-age=0, immutable"), "cache-control-immutable-not-fresh", Level::info, "max-age=31536000");
        CHECK_FINDING(check_head(ok_with("Cache-Control: immutable\nExpires: Sun, 06 Nov 1994 08:49:37 GMT\n")),
                      "cache-control-immutable-not-fresh", Level::info, "immutable");  // Expires = Date
        CHECK_FINDING(check_head(ok_with("Cache-Control: immutable\nExpires: Sat, 05 Nov 1994 08:49:37 GMT\n")),
                      "cache-control-immutable-not-fresh", Level::info, "immutable");
        CHECK_FINDING(check_head(ok_with("Cache-Control: immutable\nExpires: 0\n")),
                      "cache-control-immutable-not-fresh", Level::info, "immutable");
        CHECK_NO_FINDING(cc("s-maxage=600, immutable"), "cache-control-immutable-not-fresh");
        CHECK_NO_FINDING(cc("max-age=\"600\", immutable"), "cache-control-immutable-not-fresh");
        // Expires a year later, a second later, across a month and a year
        for (std::string_view expires : {"Mon, 06 Nov 1995 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:38 GMT",
                                         "Thu, 01 Dec 1994 00:00:00 GMT", "Sun, 01 Jan 1995 00:00:00 GMT"}) {
            CAPTURE(expires);
            CHECK_NO_FINDING(check_head(ok_with("Cache-Control: immutable\nExpires: " + string(expires) + "\n")),
                             "cache-control-immutable-not-fresh");
        }
        // Without a usable Date the cache's receipt time decides: not judged.
        CHECK_NO_FINDING(check_head("HTTP/1.1 200 OK\nCache-Control: immutable\nExpires: Sun, 06 Nov 1994 08:49:37 GMT\n"
                                    "Content-Length: 0\n"),
                         "cache-control-immutable-not-fresh");
    }

    TEST_CASE("cache-control-s-maxage-with-private") {
        CHECK_FINDING(cc("private, max-age=60, s-maxage=600"), "cache-control-s-maxage-with-private", Level::info,
                      "\"s-maxage=600\" and \"private\"");
        CHECK_NO_FINDING(cc("private=\"Set-Cookie\", s-maxage=600"), "cache-control-s-maxage-with-private");
    }

    TEST_CASE("cache-control-must-understand-without-no-store") {
        CHECK_FINDING(cc("must-understand, max-age=60"), "cache-control-must-understand-without-no-store",
                      Level::warning, "\"must-understand\"");
        CHECK_NO_FINDING(check_head(ok_with("Cache-Control: must-understand\nCache-Control: no-store\n")),
                         "cache-control-must-understand-without-no-store");
    }

    TEST_CASE("expires-syntax") {
        for (std::string_view value : {"0", "-1", "Sat, 21 Nov 2026 11:00:00 UTC",
                                       "Saturday, 21-Nov-26 11:00:00 GMT", "Sat Nov 21 11:00:00 2026",
                                       "2026-11-21T11:00:00Z"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok_with("Expires: " + string(value) + "\n")), "expires-syntax",
                          Level::error, value);
        }
        CHECK_FINDING(check_head(ok_with("Expires:\n")), "expires-syntax", Level::error, "\"\"");
        CHECK_FINDING(check_head(ok_with("Expires: 0\n")), "expires-syntax", Level::error, "Cache-Control: no-cache");
        CHECK_FINDING(check_head(ok_with("Expires: Saturday, 21-Nov-26 11:00:00 GMT\n")), "expires-syntax",
                      Level::error, "obsolete RFC 850");
        // every line is checked
        CHECK_FINDING(check_head(ok_with("Expires: Sun, 06 Nov 1994 08:49:37 GMT\nExpires: never\n")),
                      "expires-syntax", Level::error, "\"never\"");
        CHECK_CLEAN(check_head(ok_with("Expires: Thu, 01 Jan 1970 00:00:00 GMT\n")));
    }

    TEST_CASE("age-syntax") {
        for (std::string_view value : {"-5", "12.5", "10s", "10, 10", "", "+1"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok_with("Age: " + string(value) + "\n")), "age-syntax", Level::error,
                          "\"" + string(value) + "\"");
        }
        CHECK_CLEAN(check_head(ok_with("Age: 0\n")));
        CHECK_CLEAN(check_head(ok_with("Age: 2147483648\n")));
    }

    TEST_CASE("pragma-in-response and warning-obsolete") {
        CHECK_FINDING(check_head(ok_with("Pragma: no-cache\n")), "pragma-in-response", Level::info, "\"no-cache\"");
        const auto twice = check_head(ok_with("Pragma: no-cache\nPragma: x\nWarning: 199 - \"x\"\nWarning: 299 - \"y\"\n"));
        CHECK(twice.size() == 2);  // once each per response
        CHECK_FINDING(twice, "warning-obsolete", Level::info, "199 - ");
    }
}

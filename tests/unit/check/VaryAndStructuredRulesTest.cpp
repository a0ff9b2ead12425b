// vary, cdn-caching and cross-origin-isolation subjects.
#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string ok_with(std::string_view lines) { return empty_response("HTTP/1.1 200 OK", lines); }
Findings with(std::string_view lines) { return check_head(ok_with(lines)); }
}  // namespace

TEST_SUITE("vary") {
    TEST_CASE("clean Vary") {
        CHECK_CLEAN(with("Vary: Accept-Encoding\n"));
        CHECK_CLEAN(with("Vary: accept-encoding, Origin,\n"));
        CHECK_CLEAN(with("Vary: Accept-Encoding\nVary: , Accept-Language\n"));
        CHECK_CLEAN(with("Vary:\n"));
        CHECK_CLEAN(check_head("HTTP/1.1 100 Continue\nVary: *\n"));
    }

    TEST_CASE("vary-syntax") {
        CHECK_FINDING(with("Vary: Accept-Encoding; Origin\n"), "vary-syntax", Level::error,
                      "\"Accept-Encoding; Origin\"");
        CHECK_FINDING(with("Vary: \"Accept-Encoding\"\n"), "vary-syntax", Level::error, "\\\"Accept-Encoding\\\"");
        CHECK_FINDING(with("Vary: Origin\nVary: Accept Encoding\n"), "vary-syntax", Level::error,
                      "\"Accept Encoding\"");
        CHECK_NO_FINDING(with("Vary: Accept Encoding\n"), "vary-star");
    }

    TEST_CASE("vary-star") {
        CHECK_FINDING(with("Vary: *\n"), "vary-star", Level::info, "\"*\"");
        const auto mixed = with("Vary: Origin\nVary: Accept-Encoding, *\n");
        CHECK_FINDING(mixed, "vary-star", Level::info, "\"Accept-Encoding, *\"");
        CHECK_NO_FINDING(mixed, "vary-syntax");  // "*" with field names is valid since RFC 9110
        CHECK_CLEAN(with("Vary: *x\n"));  // "*x" is a token, hence a field-name
    }
}

TEST_SUITE("cdn-caching") {
    TEST_CASE("clean Cache-Status and CDN-Cache-Control") {
        CHECK_CLEAN(with("Cache-Status: ExampleCache; hit\n"));
        CHECK_CLEAN(with("Cache-Status: OriginCache; fwd=uri-miss; stored, \"CDN Company Here\"; hit; ttl=30\n"));
        CHECK_CLEAN(with("Cache-Status: ReverseProxyCache; hit\nCache-Status: ForwardProxyCache; fwd=uri-miss;collapsed; stored\n"));
        CHECK_CLEAN(with("Cache-Status: ExampleCache; hit; detail=\"a, b; c\"\n"));
        CHECK_CLEAN(with("Cache-Status:\n"));
        CHECK_CLEAN(with("CDN-Cache-Control: max-age=600\n"));
        CHECK_CLEAN(with("CDN-Cache-Control: max-age=600, stale-while-revalidate=30, no-store, private=\"x\"\n"));
        CHECK_CLEAN(with("CDN-Cache-Control: max-age=600\nCDN-Cache-Control: must-revalidate\n"));
        CHECK_CLEAN(with("CDN-Cache-Control:\n"));  // an empty dictionary
    }

    TEST_CASE("cache-status-syntax") {
        CHECK_FINDING(with("Cache-Status: ExampleCache hit\n"), "cache-status-syntax", Level::error,
                      "\"ExampleCache hit\"");
        CHECK_FINDING(with("Cache-Status: ExampleCache hit\n"), "cache-status-syntax", Level::error, "(at \"hit\")");
        CHECK_FINDING(with("Cache-Status: ExampleCache; hit; ttl=30s\n"), "cache-status-syntax", Level::error, "ttl=30s");
        CHECK_FINDING(with("Cache-Status: ExampleCache;Hit\n"), "cache-status-syntax", Level::error, "lowercase");
        CHECK_FINDING(with("Cache-Status: ExampleCache; hit,\n"), "cache-status-syntax", Level::error, "trailing");
        CHECK_FINDING(with("Cache-Status: (a b); hit\n"), "cache-status-syntax", Level::error, "an Inner List");
        CHECK_FINDING(with("Cache-Status: ExampleCache, 42; hit\n"), "cache-status-syntax", Level::error,
                      "\"42; hit\" is an Integer");
        // lines are joined with ", ": an empty second line leaves a trailing comma
        CHECK_FINDING(with("Cache-Status: ExampleCache; hit\nCache-Status:\n"), "cache-status-syntax", Level::error,
                      "\"ExampleCache; hit, \"");
    }

    TEST_CASE("cdn-cache-control-syntax") {
        CHECK_FINDING(with("CDN-Cache-Control: Max-Age=600\n"), "cdn-cache-control-syntax", Level::error,
                      "\"Max-Age=600\"");
        CHECK_FINDING(with("CDN-Cache-Control: max-age = 600\n"), "cdn-cache-control-syntax", Level::error,
                      "\"max-age = 600\"");
        CHECK_FINDING(with("CDN-Cache-Control: private=\"a\"b\n"), "cdn-cache-control-syntax", Level::error,
                      "private=");
        CHECK_FINDING(with("CDN-Cache-Control: max-age=600\nCDN-Cache-Control: no-store;\n"),
                      "cdn-cache-control-syntax", Level::error, "\"max-age=600, no-store;\"");
        CHECK_NO_FINDING(with("CDN-Cache-Control: max-age=1.5\n"), "cdn-cache-control-syntax");  // left out
    }

    TEST_CASE("a joined value too long for the buffer is parsed line by line") {
        const string long_key = "x-" + string(3000, 'a');
        CHECK_CLEAN(with("CDN-Cache-Control: " + long_key + "=1\nCDN-Cache-Control: " + long_key + "=2\n"));
        CHECK_FINDING(with("CDN-Cache-Control: " + long_key + "=1\nCDN-Cache-Control: " + long_key + " =2\n"),
                      "cdn-cache-control-syntax", Level::error, "x-aaa");
    }
}

TEST_SUITE("cross-origin-isolation") {
    TEST_CASE("clean COOP and COEP") {
        for (std::string_view value : {"same-origin", "same-origin-allow-popups", "noopener-allow-popups",
                                       "unsafe-none", "same-origin; report-to=\"coop\"",
                                       "same-origin;report-to=\"a\""}) {
            CAPTURE(value);
            CHECK_CLEAN(with("Cross-Origin-Opener-Policy: " + string(value) + "\n"));
            CHECK_CLEAN(with("Cross-Origin-Opener-Policy-Report-Only: " + string(value) + "\n"));
        }
        for (std::string_view value : {"require-corp", "credentialless", "unsafe-none",
                                       "require-corp; report-to=\"coep\""}) {
            CAPTURE(value);
            CHECK_CLEAN(with("Cross-Origin-Embedder-Policy: " + string(value) + "\n"));
            CHECK_CLEAN(with("cross-origin-embedder-policy-report-only: " + string(value) + "\n"));
        }
    }

    TEST_CASE("cross-origin-opener-policy-invalid") {
        for (std::string_view value : {"same-origin-allow-popup", "Same-Origin", "\"same-origin\"",
                                       "same-origin, unsafe-none", "same-origin-plus-COEP", "same-origin;",
                                       "same_origin"}) {
            CAPTURE(value);
            CHECK_FINDING(with("Cross-Origin-Opener-Policy: " + string(value) + "\n"),
                          "cross-origin-opener-policy-invalid", Level::error, "Cross-Origin-Opener-Policy \"");
        }
        CHECK_FINDING(with("Cross-Origin-Opener-Policy: Same-Origin\n"), "cross-origin-opener-policy-invalid",
                      Level::error, "case-sensitive");
        CHECK_FINDING(with("Cross-Origin-Opener-Policy: \"same-origin\"\n"), "cross-origin-opener-policy-invalid",
                      Level::error, "is a String, not a token");
        CHECK_FINDING(with("Cross-Origin-Opener-Policy-Report-Only: same-origin, unsafe-none\n"),
                      "cross-origin-opener-policy-invalid", Level::error, "Cross-Origin-Opener-Policy-Report-Only");
        CHECK_FINDING(with("Cross-Origin-Opener-Policy: same-origin\nCross-Origin-Opener-Policy: same-origin\n"),
                      "cross-origin-opener-policy-invalid", Level::error, "is sent on 2 lines");
        CHECK_FINDING(with("Cross-Origin-Opener-Policy:\n"), "cross-origin-opener-policy-invalid", Level::error,
                      "\"\"");
    }

    TEST_CASE("cross-origin-embedder-policy-invalid") {
        for (std::string_view value : {"require-corp;", "require_corp", "Require-Corp", "\"require-corp\"",
                                       "require-corp credentialless"}) {
            CAPTURE(value);
            CHECK_FINDING(with("Cross-Origin-Embedder-Policy: " + string(value) + "\n"),
                          "cross-origin-embedder-policy-invalid", Level::error, "require-corp");
        }
        CHECK_NO_FINDING(with("Cross-Origin-Embedder-Policy: same-origin\n"), "cross-origin-opener-policy-invalid");
        CHECK_FINDING(with("Cross-Origin-Embedder-Policy: same-origin\n"), "cross-origin-embedder-policy-invalid",
                      Level::error, "\"same-origin\"");
    }
}

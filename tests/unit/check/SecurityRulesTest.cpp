#include <algorithm>

#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {

string page(std::string_view more) {
    return string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Type: text/html\n" + string(more) +
           "Content-Length: 0\n";
}

Findings with(std::string_view field_lines) { return check_head(page(field_lines)); }

}  // namespace

TEST_SUITE("security") {
    TEST_CASE("clean security fields") {
        CHECK_CLEAN(with("X-Content-Type-Options: nosniff\n"));
        CHECK_CLEAN(with("X-Content-Type-Options: NoSniff\n"));
        CHECK_CLEAN(with("X-Content-Type-Options: nosniff, nosniff\n"));
        CHECK_CLEAN(with("X-Content-Type-Options: nosniff\nX-Content-Type-Options: nosniff\n"));
        CHECK_CLEAN(with("X-Frame-Options: DENY\n"));
        CHECK_CLEAN(with("X-Frame-Options: sameorigin\n"));
        CHECK_CLEAN(with("X-Frame-Options: DENY, DENY\n"));
        CHECK_CLEAN(with("X-Frame-Options: SAMEORIGIN\nX-Frame-Options: sameorigin\n"));
        CHECK_CLEAN(with("Referrer-Policy: no-referrer, strict-origin-when-cross-origin\n"));
        CHECK_CLEAN(with("Referrer-Policy: No-Referrer\n"));
        // An unknown fallback beside a known one is how the spec says to add new policies.
        CHECK_CLEAN(with("Referrer-Policy: no-referrer\nReferrer-Policy: future-policy\n"));
        CHECK_CLEAN(with("Referrer-Policy: origin,,\n"));
        CHECK_CLEAN(with("Referrer-Policy:\n"));
        CHECK_CLEAN(with("Cross-Origin-Resource-Policy: same-origin\n"));
        CHECK_CLEAN(with("Cross-Origin-Resource-Policy:  cross-origin \n"));
        CHECK_CLEAN(with("Content-Security-Policy: default-src 'self'; img-src * data:; "
                         "script-src 'self' https://cdn.example;\n"));
        // Repeats across policies of one line, or across lines, are separate policies.
        CHECK_CLEAN(with("Content-Security-Policy: script-src 'self', script-src https://cdn.example\n"));
        CHECK_CLEAN(with("Content-Security-Policy: script-src 'self'\n"
                         "Content-Security-Policy: script-src https://cdn.example\n"));
        CHECK_CLEAN(with("Content-Security-Policy-Report-Only: default-src 'none';;  ; report-uri /csp\n"));
        // Unknown directive names are valid names (left out as arguable).
        CHECK_CLEAN(with("Content-Security-Policy: script-scr 'self'; trusted-types x; webrtc 'block'\n"));
        CHECK_CLEAN(with("Content-Security-Policy: upgrade-insecure-requests\n"));
        CHECK_CLEAN(with("X-XSS-Protection: 0\n"));
        CHECK_CLEAN(with("Server: nginx\n"));
        CHECK_CLEAN(with("Server: cloudflare\n"));
        CHECK_CLEAN(with("Server: AmazonS3\n"));
        CHECK_CLEAN(with("Server: Apache (Ubuntu)\n"));
        CHECK_CLEAN(with("Server: gunicorn (built 2024 \\) v3) (x (nested 1.2))\n"));
        CHECK_CLEAN(with("Server: Kestrel/beta\n"));
        // Products inside comments are comments, even with a slash and digits.
        CHECK_CLEAN(with("Server: Apache (Unix) (mod_ssl/2.4 OpenSSL/1.1.1)\n"));
        CHECK_CLEAN(with("Server: Apache (escaped \\) paren mod_ssl/2.4)\n"));
        CHECK_CLEAN(with("Permissions-Policy: geolocation=()\n"));
    }

    TEST_CASE("x-content-type-options-invalid") {
        for (std::string_view value : {"no-sniff", "nosniff;", "1", "true"}) {
            CAPTURE(value);
            CHECK_FINDING(with(string("X-Content-Type-Options: ") + string(value) + "\n"),
                          "x-content-type-options-invalid", Level::error,
                          string("\"") + string(value) + "\" is not nosniff");
        }
        CHECK_FINDING(with("X-Content-Type-Options:\n"), "x-content-type-options-invalid", Level::error,
                      "is empty");
        CHECK_FINDING(with("X-Content-Type-Options: ,\n"), "x-content-type-options-invalid", Level::error,
                      "is empty");
        CHECK_FINDING(with("X-Content-Type-Options: nosniff\nX-Content-Type-Options: sniff\n"),
                      "x-content-type-options-invalid", Level::error, "\"sniff\"");
    }

    TEST_CASE("x-frame-options-invalid and -allow-from") {
        for (std::string_view value : {"ALLOWALL", "SAME-ORIGIN", "NONE", "SAMEORIGIN; DENY"}) {
            CAPTURE(value);
            CHECK_FINDING(with(string("X-Frame-Options: ") + string(value) + "\n"), "x-frame-options-invalid",
                          Level::error, string("\"") + string(value) + "\" is neither DENY nor SAMEORIGIN");
        }
        CHECK_FINDING(with("X-Frame-Options:\n"), "x-frame-options-invalid", Level::error, "is empty");
        CHECK_FINDING(with("X-Frame-Options: DENY, SAMEORIGIN\n"), "x-frame-options-invalid", Level::error,
                      "combines DENY and SAMEORIGIN");
        CHECK_FINDING(with("X-Frame-Options: deny\nX-Frame-Options: SameOrigin\n"), "x-frame-options-invalid",
                      Level::error, "combines DENY and SAMEORIGIN");

        const auto allow_from = with("X-Frame-Options: allow-from https://partner.example\n");
        CHECK_FINDING(allow_from, "x-frame-options-allow-from", Level::warning,
                      "\"allow-from https://partner.example\"");
        CHECK_NO_FINDING(allow_from, "x-frame-options-invalid");
    }

    TEST_CASE("referrer-policy-syntax and -unknown") {
        for (std::string_view value :
             {"no-referrer;", "strict_origin", "no-referrer strict-origin", "origin/when"}) {
            CAPTURE(value);
            const auto findings = with(string("Referrer-Policy: ") + string(value) + "\n");
            CHECK_FINDING(findings, "referrer-policy-syntax", Level::error, string("\"") + string(value) + "\"");
            CHECK_NO_FINDING(findings, "referrer-policy-unknown");
        }
        CHECK_FINDING(with("Referrer-Policy: \"no-referrer\"\n"), "referrer-policy-syntax", Level::error,
                      "is not a policy token");
        for (std::string_view value : {"no-referer", "none", "never", "strict", "none, never"}) {
            CAPTURE(value);
            CHECK_FINDING(with(string("Referrer-Policy: ") + string(value) + "\n"), "referrer-policy-unknown",
                          Level::warning, string("\"") + string(value) + "\" names no known policy");
        }
    }

    TEST_CASE("cross-origin-resource-policy-invalid") {
        for (std::string_view value : {"Same-Origin", "same-site, same-origin", "cross-site", "none", ""}) {
            CAPTURE(value);
            CHECK_FINDING(with(string("Cross-Origin-Resource-Policy: ") + string(value) + "\n"),
                          "cross-origin-resource-policy-invalid", Level::error,
                          string("\"") + string(value) + "\" is ignored");
        }
        CHECK_FINDING(with("Cross-Origin-Resource-Policy: same-origin\nCross-Origin-Resource-Policy: same-origin\n"),
                      "cross-origin-resource-policy-invalid", Level::error, "2 lines");
    }

    TEST_CASE("csp-directive-name-invalid") {
        for (std::string_view directive : {"default-src: 'self'", "script_src 'self'", "'self'", "img-src'self'"}) {
            CAPTURE(directive);
            CHECK_FINDING(with(string("Content-Security-Policy: object-src 'none'; ") + string(directive) + "\n"),
                          "csp-directive-name-invalid", Level::error, "is not a directive name");
        }
        CHECK_FINDING(with("Content-Security-Policy-Report-Only: default-src: 'self'\n"),
                      "csp-directive-name-invalid", Level::error,
                      "Content-Security-Policy-Report-Only directive \"default-src: 'self'\": \"default-src:\"");
        // Tabs are ASCII whitespace: the name ends there.
        CHECK_CLEAN(with("Content-Security-Policy: default-src\t'self'\n"));
    }

    TEST_CASE("csp-directive-repeated") {
        CHECK_FINDING(with("Content-Security-Policy: script-src 'self'; object-src 'none'; "
                           "script-src https://cdn.example\n"),
                      "csp-directive-repeated", Level::warning, "names the directive \"script-src\" twice");
        CHECK_FINDING(with("Content-Security-Policy: default-src 'self', img-src *; IMG-SRC data:\n"),
                      "csp-directive-repeated", Level::warning, "\"IMG-SRC\"");
        CHECK_FINDING(with("Content-Security-Policy-Report-Only: upgrade-insecure-requests; "
                           "upgrade-insecure-requests\n"),
                      "csp-directive-repeated", Level::warning, "upgrade-insecure-requests");
    }

    TEST_CASE("x-xss-protection-deprecated") {
        CHECK_FINDING(with("X-XSS-Protection: 1; mode=block\n"), "x-xss-protection-deprecated", Level::info,
                      "\"1; mode=block\"");
        CHECK_FINDING(with("X-XSS-Protection: 1\n"), "x-xss-protection-deprecated", Level::info, "\"1\"");
    }

    TEST_CASE("response-field-obsolete") {
        CHECK_FINDING(with("Expect-CT: max-age=86400\n"), "response-field-obsolete", Level::info, "Expect-CT");
        CHECK_FINDING(with("Public-Key-Pins: pin-sha256=\"x\"; max-age=1\n"), "response-field-obsolete",
                      Level::info, "Public-Key-Pins");
        CHECK_FINDING(with("Public-Key-Pins-Report-Only: pin-sha256=\"x\"\n"), "response-field-obsolete",
                      Level::info, "Public-Key-Pins-Report-Only");
        CHECK_FINDING(with("P3P: CP=\"NOI\"\n"), "response-field-obsolete", Level::info, "P3P");
        CHECK_FINDING(with("Feature-Policy: camera 'none'\n"), "response-field-obsolete", Level::info,
                      "send Permissions-Policy instead");
        CHECK_FINDING(with("Set-Cookie2: a=b; Version=1\n"), "response-field-obsolete", Level::info,
                      "send Set-Cookie instead");
        const auto two = with("P3P: CP=\"NOI\"\nExpect-CT: max-age=0\n");
        CHECK(std::count_if(two.begin(), two.end(), [](const Finding& f) {
                  return f.rule->id == "response-field-obsolete";
              }) == 2);
    }

    TEST_CASE("server-version-disclosed") {
        CHECK_FINDING(with("Server: nginx/1.25.3\n"), "server-version-disclosed", Level::info,
                      "the version \"nginx/1.25.3\"");
        CHECK_FINDING(with("Server: Apache/2.4.41 (Ubuntu)\n"), "server-version-disclosed", Level::info,
                      "\"Apache/2.4.41\"");
        CHECK_FINDING(with("Server: Microsoft-IIS/10.0\n"), "server-version-disclosed", Level::info,
                      "\"Microsoft-IIS/10.0\"");
        CHECK_FINDING(with("Server: (comment) gunicorn openresty/1.21.4.1\n"), "server-version-disclosed",
                      Level::info, "\"openresty/1.21.4.1\"");
        // The message is made once per Server value and reused: a repeat, a change and a change
        // back must each name their own value.
        for (const std::string value : {"nginx/1.25.3", "nginx/1.25.3", "nginx/1.27.0 (Debian)", "nginx/1.25.3"}) {
            const auto findings = with("Server: " + value + "\n");
            CHECK_FINDING(findings, "server-version-disclosed", Level::info, "Server \"" + value + "\" discloses");
        }
    }

    TEST_CASE("x-powered-by-disclosed") {
        CHECK_FINDING(with("X-Powered-By: Express\n"), "x-powered-by-disclosed", Level::info,
                      "X-Powered-By \"Express\"");
        CHECK_FINDING(with("X-AspNet-Version: 4.0.30319\n"), "x-powered-by-disclosed", Level::info,
                      "X-AspNet-Version");
        CHECK_FINDING(with("X-AspNetMvc-Version: 5.2\n"), "x-powered-by-disclosed", Level::info,
                      "X-AspNetMvc-Version");
    }

    TEST_CASE("interim responses are not judged") {
        const auto findings = check_head("HTTP/1.1 103 Early Hints\nX-Frame-Options: NONE\nServer: nginx/1.2\n");
        CHECK_NO_FINDING(findings, "x-frame-options-invalid");
        CHECK_NO_FINDING(findings, "server-version-disclosed");
    }
}

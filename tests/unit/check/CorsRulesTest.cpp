#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {

string ok(std::string_view more) {
    return string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Type: application/json\n" +
           string(more) + "Content-Length: 0\n";
}

string no_content(std::string_view more) {
    return string("HTTP/1.1 204 No Content\n") + string(kDate) + string(more);
}

// Runs the request rules and the head rules with the client's request head known.
Findings exchange(std::string_view response, std::string_view method, std::string_view request_fields) {
    string raw = string(method) + " /api/items HTTP/1.1\r\nHost: example.test\r\n";
    for (char c : request_fields) {
        if (c == '\n') raw += '\r';
        raw += c;
    }
    if (!request_fields.empty() && !raw.ends_with("\r\n")) raw += "\r\n";
    raw += "\r\n";
    const RequestContext context{method, "/api/items", true, raw};
    Findings findings;
    const Checker checker;
    checker.check_request(context, findings);
    checker.check_head(head_of(response), context, findings);
    return findings;
}

constexpr std::string_view kPreflight =
    "Origin: https://app.example\nAccess-Control-Request-Method: PUT\n";

}  // namespace

TEST_SUITE("cors") {
    TEST_CASE("clean CORS responses") {
        SUBCASE("wildcard, null, and origins with ports or IP literals") {
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: *\n")));
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: null\n")));
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: http://localhost:3000\n")));
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: http://[::1]:8080\n")));
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin:   https://app.example  \n")));
        }
        SUBCASE("grammar-valid but never matching (left out as arguable)") {
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: https://*.example.com\n")));
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: https://example.com:443\n")));
        }
        SUBCASE("a trailing comma is not a list of two origins") {
            CHECK_NO_FINDING(check_head(ok("Access-Control-Allow-Origin: https://app.example,\n")),
                             "cors-allow-origin-multiple");
        }
        SUBCASE("credentials true with an echoed origin") {
            CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: https://app.example\n"
                                      "Access-Control-Allow-Credentials: true\nVary: Origin\n")));
        }
        SUBCASE("lists with empty elements, split over lines, and * without credentials") {
            CHECK_CLEAN(check_head(no_content(
                "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET,, PUT,\n"
                "Access-Control-Allow-Methods: DELETE\nAccess-Control-Allow-Headers: *\n"
                "Access-Control-Allow-Headers: X-Token, Content-Type\n"
                "Access-Control-Expose-Headers: ETag, X-Total-Count\nAccess-Control-Max-Age: 600\n")));
            CHECK_CLEAN(check_head(no_content(
                "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods:\n"
                "Access-Control-Max-Age: 0\n")));
        }
        SUBCASE("methods are tokens: lowercase and extension methods are fine") {
            CHECK_CLEAN(check_head(no_content(
                "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: get, PROPFIND, M-SEARCH\n")));
        }
        SUBCASE("interim responses are not judged") {
            const auto interim = check_head("HTTP/1.1 103 Early Hints\nAccess-Control-Allow-Origin: a, b\n"
                                            "Access-Control-Max-Age: 1h\n");
            CHECK_NO_FINDING(interim, "cors-allow-origin-multiple");
            CHECK_NO_FINDING(interim, "cors-max-age-syntax");
        }
    }

    TEST_CASE("cors-allow-origin-multiple") {
        CHECK_FINDING(check_head(ok("Access-Control-Allow-Origin: https://a.example, https://b.example\n")),
                      "cors-allow-origin-multiple", Level::error,
                      "\"https://a.example, https://b.example\" is a list");
        CHECK_FINDING(check_head(ok("Access-Control-Allow-Origin: https://a.example,https://b.example\n")),
                      "cors-allow-origin-multiple", Level::error, "\"https://a.example,https://b.example\"");
        const auto two_lines = check_head(ok("Access-Control-Allow-Origin: https://a.example\n"
                                             "Access-Control-Allow-Origin: https://a.example\n"));
        CHECK_FINDING(two_lines, "cors-allow-origin-multiple", Level::error, "2 lines");
        CHECK_NO_FINDING(two_lines, "cors-allow-origin-syntax");
        // A list is reported once, not again as a syntax error.
        CHECK_NO_FINDING(check_head(ok("Access-Control-Allow-Origin: *, *\n")), "cors-allow-origin-syntax");
    }

    TEST_CASE("cors-allow-origin-syntax") {
        for (std::string_view value :
             {"https://app.example/", "https://app.example/path", "app.example", "NULL", "Null",
              "\"https://app.example\"", "https://a.example https://b.example", "true",
              "https://user@app.example", "https://app.example:80x"}) {
            CAPTURE(value);
            const auto findings =
                check_head(ok(string("Access-Control-Allow-Origin: ") + string(value) + "\n"));
            const Finding* finding = find_finding(findings, "cors-allow-origin-syntax");
            REQUIRE(finding != nullptr);
            CHECK(finding->level == Level::error);
            CHECK(finding->message.find("scheme://host[:port]") != string::npos);
        }
        CHECK_FINDING(check_head(ok("Access-Control-Allow-Origin: https://app.example/\n")),
                      "cors-allow-origin-syntax", Level::error,
                      "\"https://app.example/\" has a path, query or fragment");
        CHECK_FINDING(check_head(ok("Access-Control-Allow-Origin:\n")), "cors-allow-origin-syntax",
                      Level::error, "is empty");
    }

    TEST_CASE("cors-credentials-with-wildcard-origin") {
        CHECK_FINDING(check_head(ok("Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true\n")),
                      "cors-credentials-with-wildcard-origin", Level::warning,
                      "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true");
        CHECK_CLEAN(check_head(ok("Access-Control-Allow-Origin: *\n")));
    }

    TEST_CASE("cors-allow-credentials-invalid") {
        for (std::string_view value : {"false", "True", "TRUE", "1", "yes", "true, true", ""}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok(string("Access-Control-Allow-Origin: https://app.example\n"
                                               "Vary: Origin\nAccess-Control-Allow-Credentials: ") +
                                        string(value) + "\n")),
                          "cors-allow-credentials-invalid", Level::error,
                          string("\"") + string(value) + "\"");
        }
        const auto two = check_head(ok("Access-Control-Allow-Credentials: true\n"
                                       "Access-Control-Allow-Credentials: true\n"));
        CHECK_FINDING(two, "cors-allow-credentials-invalid", Level::error, "2 lines");
        // Not a valid `true`, so the wildcard warning does not apply either.
        CHECK_NO_FINDING(check_head(ok("Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: True\n")),
                         "cors-credentials-with-wildcard-origin");
    }

    TEST_CASE("cors-origin-echo-without-vary") {
        const string echo = "Access-Control-Allow-Origin: https://app.example\n";
        CHECK_FINDING(exchange(ok(echo), "GET", "Origin: https://app.example"),
                      "cors-origin-echo-without-vary", Level::info, "\"https://app.example\" repeats");
        SUBCASE("clean") {
            CHECK_CLEAN(exchange(ok(echo + "Vary: Origin\n"), "GET", "Origin: https://app.example"));
            CHECK_CLEAN(exchange(ok(echo + "Vary: accept-encoding\nVary: ORIGIN\n"), "GET",
                                 "Origin: https://app.example"));
            // Vary: * covers Origin (vary-star, an info of the vary subject, still reports it).
            CHECK_NO_FINDING(exchange(ok(echo + "Vary: *\n"), "GET", "Origin: https://app.example"),
                             "cors-origin-echo-without-vary");
            CHECK_CLEAN(exchange(ok(echo + "Cache-Control: private, No-Store\n"), "GET",
                                 "Origin: https://app.example"));
            // A different origin: a static grant (or a denial), not an echo.
            CHECK_CLEAN(exchange(ok(echo), "GET", "Origin: https://other.example"));
            // Byte for byte: case differs, not an echo.
            CHECK_CLEAN(exchange(ok(echo), "GET", "Origin: https://APP.example"));
            CHECK_CLEAN(exchange(ok("Access-Control-Allow-Origin: *\n"), "GET", "Origin: https://app.example"));
            CHECK_CLEAN(exchange(ok("Access-Control-Allow-Origin: null\n"), "GET", "Origin: null"));
            // Without the request head (lint of a bare response) the rule stays silent.
            CHECK_CLEAN(check_head(ok(echo)));
        }
        SUBCASE("Cache-Control without no-store does not excuse it") {
            CHECK_FINDING(exchange(ok(echo + "Cache-Control: no-cache, x=\"no-store\"\n"), "GET",
                                   "Origin: https://app.example"),
                          "cors-origin-echo-without-vary", Level::info, "Vary");
        }
    }

    TEST_CASE("cors-allow-methods-syntax") {
        for (std::string_view value : {"GET POST", "GET; POST", "\"GET\"", "GET,PUT/PATCH"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(no_content(string("Access-Control-Allow-Origin: *\n"
                                                       "Access-Control-Allow-Methods: ") +
                                                string(value) + "\n")),
                          "cors-allow-methods-syntax", Level::error, "is not a method token");
        }
        CHECK_FINDING(check_head(no_content("Access-Control-Allow-Methods: GET,PUT/PATCH\n")),
                      "cors-allow-methods-syntax", Level::error, "\"PUT/PATCH\"");
    }

    TEST_CASE("cors-allow-headers-syntax and cors-expose-headers-syntax") {
        for (std::string_view value : {"X-A X-B", "Content Type", "X-Token:"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(no_content(string("Access-Control-Allow-Headers: ") + string(value) + "\n")),
                          "cors-allow-headers-syntax", Level::error, "is not a field name");
        }
        for (std::string_view value : {"X-Total-Count X-Page", "ETag;"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok(string("Access-Control-Expose-Headers: ") + string(value) + "\n")),
                          "cors-expose-headers-syntax", Level::error,
                          string("\"") + string(value) + "\"");
        }
    }

    TEST_CASE("cors-max-age-syntax") {
        for (std::string_view value : {"-1", "1h", "600.0", "\"600\"", ""}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(no_content(string("Access-Control-Max-Age: ") + string(value) + "\n")),
                          "cors-max-age-syntax", Level::error, "is not delta-seconds");
        }
        CHECK_FINDING(check_head(no_content("Access-Control-Max-Age: 1h\n")), "cors-max-age-syntax",
                      Level::error, "\"1h\"");
        CHECK_FINDING(check_head(no_content("Access-Control-Max-Age: 600\nAccess-Control-Max-Age: 600\n")),
                      "cors-max-age-syntax", Level::error, "2 lines");
    }

    TEST_CASE("cors-preflight-missing-allow-origin") {
        const string grant = "Access-Control-Allow-Methods: PUT\n";
        CHECK_FINDING(exchange(no_content(grant), "OPTIONS", kPreflight),
                      "cors-preflight-missing-allow-origin", Level::warning, "\"https://app.example\"");
        CHECK_FINDING(exchange(no_content("Access-Control-Allow-Headers: X-Token\n"), "OPTIONS", kPreflight),
                      "cors-preflight-missing-allow-origin", Level::warning, "no Access-Control-Allow-Origin");
        SUBCASE("clean") {
            // Not a preflight: no Access-Control-Request-Method, or not OPTIONS.
            CHECK_CLEAN(exchange(no_content(grant), "OPTIONS", "Origin: https://app.example"));
            CHECK_CLEAN(exchange(no_content(grant), "PUT", kPreflight));
            // A server without CORS support (left out as arguable): no CORS field at all.
            CHECK_CLEAN(exchange(no_content("Allow: GET, PUT\n"), "OPTIONS", kPreflight));
            // Non-2xx answers are not judged.
            CHECK_CLEAN(exchange(string("HTTP/1.1 403 Forbidden\n") + string(kDate) + grant +
                                     "Content-Length: 0\n",
                                 "OPTIONS", kPreflight));
            CHECK_CLEAN(exchange(no_content(grant + "Access-Control-Allow-Origin: https://app.example\nVary: Origin\n"),
                                 "OPTIONS", kPreflight));
            // Request head unknown.
            CHECK_CLEAN(check_head(no_content(grant), request("OPTIONS", "/api/items")));
        }
    }

    TEST_CASE("cors-list-wildcard-with-credentials") {
        const string credentialed =
            "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Credentials: true\n"
            "Vary: Origin\n";
        CHECK_FINDING(check_head(no_content(credentialed + "Access-Control-Allow-Methods: GET, *\n")),
                      "cors-list-wildcard-with-credentials", Level::warning,
                      "Access-Control-Allow-Methods lists *");
        const auto both = check_head(no_content(credentialed + "Access-Control-Allow-Headers: X-A\n"
                                                               "Access-Control-Allow-Headers: *\n"
                                                               "Access-Control-Expose-Headers: *\n"));
        CHECK_FINDING(both, "cors-list-wildcard-with-credentials", Level::warning,
                      "Access-Control-Allow-Headers, Access-Control-Expose-Headers lists *");
        SUBCASE("clean") {
            CHECK_CLEAN(check_head(no_content(credentialed + "Access-Control-Allow-Methods: GET, PUT\n"
                                                             "Access-Control-Allow-Headers: X-*\n")));
            CHECK_CLEAN(check_head(no_content("Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: *\n"
                                              "Access-Control-Expose-Headers: *\n")));
        }
    }

    TEST_CASE("cors-preflight-authorization-not-allowed") {
        const string answer = "Access-Control-Allow-Origin: https://app.example\nVary: Origin\n"
                              "Access-Control-Allow-Methods: GET\n";
        const string asks = string(kPreflight) + "Access-Control-Request-Headers: content-type,Authorization\n";
        CHECK_FINDING(exchange(no_content(answer + "Access-Control-Allow-Headers: *\n"), "OPTIONS", asks),
                      "cors-preflight-authorization-not-allowed", Level::warning,
                      "\"content-type,Authorization\"");
        SUBCASE("clean") {
            CHECK_CLEAN(exchange(no_content(answer + "Access-Control-Allow-Headers: *, AUTHORIZATION\n"),
                                 "OPTIONS", asks));
            CHECK_CLEAN(exchange(no_content(answer + "Access-Control-Allow-Headers: *\n"
                                                     "Access-Control-Allow-Headers: authorization\n"),
                                 "OPTIONS", asks));
            CHECK_CLEAN(exchange(no_content(answer + "Access-Control-Allow-Headers: *\n"), "OPTIONS",
                                 string(kPreflight) + "Access-Control-Request-Headers: content-type\n"));
            CHECK_CLEAN(exchange(no_content(answer + "Access-Control-Allow-Headers: Authorization\n"),
                                 "OPTIONS", asks));
            // No Access-Control-Allow-Origin: the preflight fails anyway (another rule).
            CHECK_NO_FINDING(exchange(no_content("Access-Control-Allow-Headers: *\n"), "OPTIONS", asks),
                             "cors-preflight-authorization-not-allowed");
        }
    }

    TEST_CASE("origin-syntax (request)") {
        const string plain = ok("");
        for (std::string_view value : {"https://a.example/", "a.example", "*", "Null", "NULL",
                                       "https://a.example  https://b.example", "https://a.example/ https://b.example"}) {
            CAPTURE(value);
            const auto findings = exchange(plain, "GET", string("Origin: ") + string(value));
            CHECK_FINDING(findings, "origin-syntax", Level::error, string("request: Origin \""));
            CHECK(find_finding(findings, "origin-syntax")->rule->side == Side::request);
        }
        CHECK_FINDING(exchange(plain, "GET", "Origin:"), "origin-syntax", Level::error, "request: Origin is empty");
        SUBCASE("clean") {
            for (std::string_view value : {"null", "https://app.example", "http://localhost:3000",
                                           "https://a.example https://b.example", "http://[::1]"}) {
                CAPTURE(value);
                CHECK_CLEAN(exchange(plain, "GET", string("Origin: ") + string(value)));
            }
        }
    }
}

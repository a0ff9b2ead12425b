#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

TEST_SUITE("status codes") {
    TEST_CASE("registered codes are clean") {
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 451 Unavailable For Legal Reasons",
                                              "Link: <https://authority.example/>; rel=\"blocked-by\"\n")));
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 422 Unprocessable Content")));
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 308 Permanent Redirect", "Location: /b\n")));
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 200 ")));  // reason phrase may be absent (not the SP)
        CHECK_CLEAN(check_head(string("HTTP/1.1 204 No Content\n") + string(kDate)));
    }

    TEST_CASE("status-code-invalid") {
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 600 Weird")), "status-code-invalid", Level::error,
                      "\"600\"");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 099 Low")), "status-code-invalid", Level::error,
                      "\"099\"");
        const auto iis = check_head(empty_response("HTTP/1.1 401.1 Unauthorized"));
        CHECK_FINDING(iis, "status-code-invalid", Level::error, "\"401.1\"");
        // No status-specific rule runs on a code that is not one.
        CHECK_NO_FINDING(iis, "401-missing-www-authenticate");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1")), "status-code-invalid", Level::error,
                      "\"HTTP/1.1\"");
    }

    TEST_CASE("status-code-unregistered names the vendor and the code to use") {
        const auto cloudflare = check_head(empty_response("HTTP/1.1 520 Unknown Error"));
        CHECK_FINDING(cloudflare, "status-code-unregistered", Level::warning, "520");
        CHECK_FINDING(cloudflare, "status-code-unregistered", Level::warning, "Cloudflare");
        CHECK_FINDING(cloudflare, "status-code-unregistered", Level::warning, "send 502");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 419 Page Expired")), "status-code-unregistered",
                      Level::warning, "Laravel");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 444 No Response")), "status-code-unregistered",
                      Level::warning, "nginx");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 299 Odd")), "status-code-unregistered",
                      Level::warning, "299");
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 418 I'm a teapot")), "status-code-unregistered",
                      Level::warning, "(Unused)");
    }

    TEST_CASE("426-missing-upgrade") {
        CHECK_FINDING(check_head(empty_response("HTTP/1.1 426 Upgrade Required")), "426-missing-upgrade",
                      Level::error, "Upgrade");
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 426 Upgrade Required",
                                           "Upgrade: HTTP/2.0\nConnection: Upgrade\n")));
    }
}

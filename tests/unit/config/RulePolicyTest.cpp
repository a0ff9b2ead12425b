// Rule overrides and scoped ignores from the configuration change what the Checker emits.
#include "ConfigTestSupport.hpp"

using namespace cproxy;
using namespace cproxy::check;
using namespace cproxy::config::test;

namespace {

// A 200 without Date: date-missing (warning) and nothing else.
const std::string kNoDate = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n";
// A 413 without Retry-After: 413-missing-retry-after (info).
const std::string k413 =
    "HTTP/1.1 413 Content Too Large\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n";

Findings run(const Checker& checker, const std::string& head, std::string_view method, std::string_view target) {
    Findings findings;
    checker.check_head(head, RequestContext{method, target, true}, findings);
    return findings;
}

const Finding* find(const Findings& findings, std::string_view id) {
    for (const auto& finding : findings)
        if (finding.rule->id == id) return &finding;
    return nullptr;
}

Checker checker_from(const std::string& yaml) {
    const auto parsed = parse_yaml(yaml);
    INFO("stderr: ", parsed.err);
    REQUIRE(parsed.ok());
    return Checker{parsed.command_line.rule_policy};
}

}  // namespace

TEST_CASE("without configuration the checker reports at catalogue levels") {
    const Checker checker = checker_from("");
    REQUIRE(find(run(checker, kNoDate, "GET", "/health"), "date-missing"));
    CHECK(find(run(checker, k413, "POST", "/upload"), "413-missing-retry-after")->level == Level::info);
}

TEST_CASE("rules: off silences a rule, a level re-levels it") {
    const Checker checker = checker_from("rules:\n  date-missing: off\n  413-missing-retry-after: error\n");
    CHECK_FALSE(find(run(checker, kNoDate, "GET", "/"), "date-missing"));
    const auto findings = run(checker, k413, "POST", "/upload");
    const auto* finding = find(findings, "413-missing-retry-after");
    REQUIRE(finding);
    CHECK(finding->level == Level::error);
}

TEST_CASE("ignore drops a rule's findings only for the matching methods and paths") {
    const Checker checker = checker_from(
        "ignore:\n"
        "  - rule: date-missing\n"
        "    path: /health*\n"
        "    methods: [GET, HEAD]\n");
    CHECK_FALSE(find(run(checker, kNoDate, "GET", "/health"), "date-missing"));
    CHECK_FALSE(find(run(checker, kNoDate, "GET", "/healthz"), "date-missing"));
    CHECK_FALSE(find(run(checker, kNoDate, "HEAD", "/health/live?verbose=1"), "date-missing"));
    CHECK_FALSE(find(run(checker, kNoDate, "GET", "http://api.internal:3000/health/ready"), "date-missing"));
    CHECK(find(run(checker, kNoDate, "POST", "/health"), "date-missing"));      // other method
    CHECK(find(run(checker, kNoDate, "GET", "/api/health"), "date-missing"));   // other path
    CHECK(find(run(checker, kNoDate, "GET", "/status?x=/health"), "date-missing"));  // the query is not the path
    // Other rules on the ignored path are still reported.
    CHECK(find(run(checker, k413, "GET", "/health"), "413-missing-retry-after"));
}

TEST_CASE("ignore without methods applies to every method; several rules in one entry") {
    const Checker checker = checker_from(
        "ignore:\n"
        "  - rule: [date-missing, 413-missing-retry-after]\n"
        "    path: /internal/*\n");
    for (const char* method : {"GET", "POST", "DELETE", "PURGE"}) {
        CHECK_FALSE(find(run(checker, kNoDate, method, "/internal/a"), "date-missing"));
        CHECK_FALSE(find(run(checker, k413, method, "/internal/upload"), "413-missing-retry-after"));
    }
    CHECK(find(run(checker, kNoDate, "GET", "/internal"), "date-missing"));
}

TEST_CASE("ignores from the environment and flags reach the checker too") {
    const auto parsed = parse({"--ignore", "413-missing-retry-after=POST /upload*"},
                              {{"CONFORMANCE_PROXY_IGNORE", "date-missing=/health*"}});
    REQUIRE(parsed.ok());
    const Checker checker{parsed.command_line.rule_policy};
    CHECK_FALSE(find(run(checker, kNoDate, "DELETE", "/health"), "date-missing"));
    CHECK_FALSE(find(run(checker, k413, "POST", "/upload/big"), "413-missing-retry-after"));
    CHECK(find(run(checker, k413, "PUT", "/upload/big"), "413-missing-retry-after"));
}

TEST_CASE("ignores apply to check_body as well") {
    RulePolicy policy;
    policy.add_ignore(*find_rule("content-length-mismatch"), {}, "/download/*");
    const Checker checker{policy};
    const std::string head = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"
                             "Content-Length: 100\r\n\r\n";
    BodyOutcome broken;
    broken.complete = false;
    Findings ignored, reported;
    checker.check_body(head, RequestContext{"GET", "/download/x", true}, broken, ignored);
    checker.check_body(head, RequestContext{"GET", "/other", true}, broken, reported);
    CHECK_FALSE(find(ignored, "content-length-mismatch"));
    CHECK(find(reported, "content-length-mismatch"));
}

TEST_CASE("glob_match: * spans anything, ? one character, the rest literally") {
    CHECK(glob_match("/health*", "/health"));
    CHECK(glob_match("/health*", "/health/live/deep"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("/items/*/edit", "/items/7/edit"));
    CHECK(glob_match("/items/*/edit", "/items/7/8/edit"));
    CHECK_FALSE(glob_match("/items/*/edit", "/items/7/view"));
    CHECK(glob_match("/v?/x", "/v1/x"));
    CHECK_FALSE(glob_match("/v?/x", "/v10/x"));
    CHECK(glob_match("*.css", "/static/site.css"));
    CHECK_FALSE(glob_match("/Health", "/health"));
    CHECK(glob_match("P*", "POST"));
    CHECK_FALSE(glob_match("GET", "GETX"));
    CHECK(glob_match("a*b*c", "aXXbYYbc"));
    CHECK_FALSE(glob_match("a*b*c", "aXXbYYb"));
}

TEST_CASE("request_path: the path of each request-target form") {
    CHECK(request_path("/a/b?x=1") == "/a/b");
    CHECK(request_path("/a#frag") == "/a");
    CHECK(request_path("/") == "/");
    CHECK(request_path("http://host:8080/a/b?q") == "/a/b");
    CHECK(request_path("http://host") == "/");
    CHECK(request_path("http://host?q") == "/");
    CHECK(request_path("example.com:443") == "example.com:443");
    CHECK(request_path("*") == "*");
    CHECK(request_path("") == "");
}

// report merge (replicas add up exactly), diff (new, fixed, changed level) and the GitHub
// workflow commands, over reports with known contents.
#include <doctest/doctest.h>

#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/GithubAnnotations.hpp"
#include "conformance_proxy/report/ReportDiff.hpp"
#include "conformance_proxy/report/ReportJson.hpp"
#include "conformance_proxy/report/ReportMerge.hpp"
#include "ReportTestSupport.hpp"

namespace cproxy::report {

using namespace test;

namespace {

ReportSnapshot aggregate(const std::vector<ExchangeRecord>& records) {
    Aggregator aggregator;
    for (const auto& record : records) aggregator.add(record);
    return aggregator.snapshot();
}

// Through JSON and back, as `report merge` and `diff` read it.
ReportSnapshot round_trip(const ReportSnapshot& s) { return parse_report_json(render_report_json(s), "r.json"); }

check::Finding at(std::string_view id, check::Level level, std::string message = "something is wrong") {
    return check::Finding{rule(id), level, std::move(message)};
}

}  // namespace

TEST_CASE("report.json reads back into the snapshot it was written from") {
    const auto s = aggregate({make_record(1, "DELETE", "/items/7", 405, {finding("405-missing-allow")}),
                              make_record(2, "GET", "/", 200, {finding("date-missing")})});
    const auto back = round_trip(s);
    CHECK(render_report_json(back) == render_report_json(s));
}

TEST_CASE("report merge: two replicas add up exactly, routes merged by template, examples kept") {
    const auto a = aggregate({make_record(1, "DELETE", "/items/7", 405, {finding("405-missing-allow")}),
                              make_record(2, "DELETE", "/items/8", 405, {finding("405-missing-allow")}),
                              make_record(3, "GET", "/", 200, {finding("date-missing")}),
                              make_record(4, "GET", "/health", 200)});
    auto late = make_record(1, "DELETE", "/items/9", 405, {finding("405-missing-allow", "from replica b")});
    late.time += std::chrono::seconds(5);
    const auto b = aggregate({late, make_record(2, "GET", "/private", 401, {finding("401-missing-www-authenticate")}),
                              make_record(3, "GET", "/health", 503)});
    const auto m = merge_reports({round_trip(a), round_trip(b)});

    CHECK(m.exchanges == 7);
    CHECK(m.exchanges_with_findings == 5);
    CHECK(m.findings == LevelCounts{a.findings[0] + b.findings[0], a.findings[1] + b.findings[1],
                                    a.findings[2] + b.findings[2]});
    CHECK(m.findings_total() == 5);
    CHECK(m.status_classes[1] == 2);  // 2xx
    CHECK(m.status_classes[3] == 4);  // 4xx
    CHECK(m.status_classes[4] == 1);  // 5xx
    CHECK(m.latency.count == 7);
    CHECK(m.response_bytes == 700);

    const auto* allow = m.find("405-missing-allow");
    REQUIRE(allow);
    CHECK(allow->count == 3);
    REQUIRE(allow->routes.size() == 1);  // /items/7, /items/8 and /items/9: one template
    CHECK(allow->routes[0].route == "/items/{id}");
    CHECK(allow->routes[0].count == 3);
    CHECK(allow->example.message == "something is wrong");  // the earliest example is kept
    REQUIRE(m.find("401-missing-www-authenticate"));

    std::uint64_t route_exchanges = 0;
    for (const auto& route : m.routes) route_exchanges += route.exchanges;
    CHECK(route_exchanges == 7);
    const auto health = std::find_if(m.routes.begin(), m.routes.end(), [](const RouteReport& r) { return r.route == "/health"; });
    REQUIRE(health != m.routes.end());
    CHECK(health->exchanges == 2);

    std::uint64_t printed = 0;
    for (const auto& f : m.fingerprints) printed += f.count;
    CHECK(printed == 5);
    std::uint64_t timeline = 0;
    for (const auto& bucket : m.timeline.buckets)
        for (const auto n : bucket) timeline += n;
    CHECK(timeline == 7);
    // Merging a merge with nothing changes nothing.
    CHECK(render_report_json(merge_reports({round_trip(m)})) == render_report_json(m));
}

TEST_CASE("report merge: a file that is no report is an error naming it") {
    CHECK_THROWS_WITH_AS(parse_report_json("{\"exchanges\": 3}", "b.json"), doctest::Contains("b.json: missing \"started\""),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(load_report_json("/nonexistent/a.json"), doctest::Contains("cannot read report /nonexistent/a.json"),
                         std::runtime_error);
}

TEST_CASE("diff of two reports: new, fixed and changed-level findings by rule and route") {
    const auto before = round_trip(aggregate({
        make_record(1, "DELETE", "/items/7", 405, {finding("405-missing-allow")}),
        make_record(2, "GET", "/private", 401, {finding("401-missing-www-authenticate")}),
        make_record(3, "GET", "/", 200, {at("date-missing", check::Level::warning)}),
    }));
    const auto after = round_trip(aggregate({
        make_record(1, "DELETE", "/items/8", 405, {finding("405-missing-allow")}),  // same route: unchanged
        make_record(2, "GET", "/", 200, {at("date-missing", check::Level::error)}),  // re-levelled
        make_record(3, "PUT", "/orders/3", 405, {finding("405-missing-allow", "405 without Allow")}),  // new
    }));
    const auto d = diff_reports(before, after);
    REQUIRE(d.added.size() == 1);
    CHECK(d.added[0].rule == "405-missing-allow");
    CHECK(d.added[0].route == "/orders/{id}");
    REQUIRE(d.fixed.size() == 1);
    CHECK(d.fixed[0].rule == "401-missing-www-authenticate");
    REQUIRE(d.changed.size() == 1);
    CHECK(d.changed[0].rule == "date-missing");
    CHECK(d.changed[0].old_level == check::Level::warning);
    CHECK(d.changed[0].level == check::Level::error);
    CHECK(d.unchanged == 1);

    CHECK(render_diff_text(d) ==
          "conformance-proxy diff: 1 new finding, 1 fixed, 1 changed level, 1 unchanged\n"
          "  new      error 405-missing-allow PUT /orders/{id} -> 405 (1x): 405 without Allow\n"
          "  fixed    error 401-missing-www-authenticate GET /private -> 401\n"
          "  changed  warning -> error date-missing GET / -> 200\n");
    const auto markdown = render_diff_markdown(d);
    CHECK(markdown.starts_with("### Conformance: 1 new finding, 1 fixed, 1 changed level, 1 unchanged\n"));
    CHECK(markdown.find("| error | `405-missing-allow` | `PUT /orders/{id} -> 405` | 405 without Allow |\n") !=
          std::string::npos);
    CHECK(markdown.find("| warning → error | `date-missing` |") != std::string::npos);
    const auto json = render_diff_json(d);
    CHECK(json.find("\"new\":[{\"rule\":\"405-missing-allow\",\"route\":\"/orders/{id}\"") != std::string::npos);
    CHECK(json.find("\"old_level\":\"warning\"") != std::string::npos);
    CHECK(json.find("\"unchanged\":1") != std::string::npos);

    CHECK(evaluate_diff(d, FailOn::error).exit_status == 1);
    CHECK(evaluate_diff(d, FailOn::error).reason ==
          "exit status 1: 1 new finding at or above error (--fail-on error): 405-missing-allow on /orders/{id}");
    CHECK(evaluate_diff(d, FailOn::never).exit_status == 0);
    CHECK(evaluate_diff(diff_reports(after, after), FailOn::info).exit_status == 0);
}

TEST_CASE("GitHub workflow commands: exact lines, escaped as the runner expects") {
    CHECK(github_command(check::Level::error, "405-missing-allow", "DELETE /items/7 -> 405: no Allow (RFC 9110 §15.5.6)") ==
          "::error title=405-missing-allow::DELETE /items/7 -> 405: no Allow (RFC 9110 §15.5.6)\n");
    CHECK(github_command(check::Level::warning, "a:b,c", "50% done\nnext line\r") ==
          "::warning title=a%3Ab%2Cc::50%25 done%0Anext line%0D\n");
    CHECK(github_command(check::Level::info, "x", "y") == "::notice title=x::y\n");

    const auto s = aggregate({make_record(1, "DELETE", "/items/7", 405, {finding("405-missing-allow", "no Allow")}),
                              make_record(2, "DELETE", "/items/8", 405, {finding("405-missing-allow", "no Allow")})});
    const auto* allow = s.find("405-missing-allow");
    REQUIRE(allow);
    CHECK(render_github_annotations(s) == "::error title=405-missing-allow::DELETE /items/{id} -> 405, 2x: no Allow (" +
                                              allow->rule.reference + ")\n");

    const ReportDiff d{{DiffEntry{"405-missing-allow", "/orders/{id}", "RFC 9110 §15.5.6", check::Level::error,
                                  check::Level::error, 1, "PUT", 405, "no Allow"}},
                       {}, {}, 0};
    CHECK(render_diff_github(d) ==
          "::error title=405-missing-allow (new)::PUT /orders/{id} -> 405, 1x: no Allow (RFC 9110 §15.5.6)\n");
}

}  // namespace cproxy::report

// Baselines: fingerprints that survive ids in paths, files that are sorted and stable, and the
// create/apply/update round trip with exact counts and --fail-on counting only new findings.
#include <doctest/doctest.h>

#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/Baseline.hpp"
#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/HtmlReport.hpp"
#include "conformance_proxy/report/JsonLines.hpp"
#include "conformance_proxy/report/JunitReport.hpp"
#include "conformance_proxy/report/SarifReport.hpp"
#include "conformance_proxy/report/MetricsText.hpp"
#include "conformance_proxy/report/ReportJson.hpp"
#include "conformance_proxy/report/SummaryText.hpp"
#include "ReportTestSupport.hpp"

namespace cproxy::report {

using namespace test;

namespace {

ReportSnapshot run(const std::vector<ExchangeRecord>& records, std::shared_ptr<const Baseline> baseline = {}) {
    AggregatorOptions options;
    options.baseline = std::move(baseline);
    options.baseline_path = "baseline.json";
    Aggregator aggregator(options);
    for (auto record : records) {
        Aggregator::mark(record, options.baseline.get());
        aggregator.add(record);
    }
    return aggregator.snapshot();
}

// The first run: two DELETEs without Allow on one route, a 401 without a challenge.
std::vector<ExchangeRecord> first_run() {
    return {make_record(1, "DELETE", "/items/7", 405, {finding("405-missing-allow")}),
            make_record(2, "DELETE", "/items/8?force=1", 405, {finding("405-missing-allow")}),
            make_record(3, "GET", "/private", 401, {finding("401-missing-www-authenticate")}),
            make_record(4, "GET", "/health", 200)};
}

}  // namespace

TEST_CASE("fingerprint: ids in the path are one route; rule and status change it; no query, no values") {
    const auto a = make_fingerprint("405-missing-allow", "response", "DELETE", "/items/7", 405);
    const auto b = make_fingerprint("405-missing-allow", "response", "DELETE", "/items/8?token=secret", 405);
    CHECK(a == b);
    CHECK(a.route == "/items/{id}");
    CHECK(a.key() == "405-missing-allow response DELETE /items/{id} 405");
    CHECK(b.key().find("secret") == std::string::npos);
    CHECK(make_fingerprint("date-missing", "response", "DELETE", "/items/7", 405) != a);
    CHECK(make_fingerprint("405-missing-allow", "response", "DELETE", "/items/7", 501) != a);
    CHECK(make_fingerprint("405-missing-allow", "response", "PUT", "/items/7", 405) != a);
}

TEST_CASE("baseline file: sorted, one entry per line, the same bytes for the same findings") {
    const auto snapshot = run(first_run());
    const auto text = render_report_json(snapshot);
    const Baseline baseline(fingerprints_from_file_text(text, "report.json"));
    REQUIRE(baseline.size() == 2);
    const auto file = baseline.to_json();
    CHECK(file ==
          "{\n  \"format\": \"conformance-proxy baseline\",\n  \"version\": 1,\n  \"findings\": [\n"
          "    {\"rule\":\"401-missing-www-authenticate\",\"subject\":\"response\",\"method\":\"GET\","
          "\"route\":\"/private\",\"status\":401},\n"
          "    {\"rule\":\"405-missing-allow\",\"subject\":\"response\",\"method\":\"DELETE\","
          "\"route\":\"/items/{id}\",\"status\":405}\n  ]\n}\n");
    // Read back and written again: byte for byte the same (a committed file does not churn).
    CHECK(Baseline::parse(file, "baseline.json").to_json() == file);
    CHECK(Baseline().to_json() == "{\n  \"format\": \"conformance-proxy baseline\",\n  \"version\": 1,\n  \"findings\": []\n}\n");
}

TEST_CASE("baseline from --findings JSON Lines gives the same fingerprints as from the report") {
    std::string lines;
    for (const auto& record : first_run()) append_finding_lines(lines, record);
    const auto from_lines = fingerprints_from_file_text(lines, "findings.jsonl");
    const auto from_report = fingerprints_from_file_text(render_report_json(run(first_run())), "report.json");
    CHECK(from_lines == from_report);
    CHECK(from_lines.size() == 2);
}

TEST_CASE("baseline round trip: known findings pass, a new one fails naming only itself, a fixed one is reported") {
    auto baseline = std::make_shared<const Baseline>(
        fingerprints_from_file_text(render_report_json(run(first_run())), "report.json"));

    SUBCASE("the same findings again, other ids: all known, exit 0") {
        auto records = first_run();
        records[0].target = "/items/99";
        const auto s = run(records, baseline);
        REQUIRE(s.baseline);
        CHECK(s.baseline->known == LevelCounts{0, 0, 3});
        CHECK(s.baseline->fresh == LevelCounts{0, 0, 0});
        CHECK(s.baseline->fixed.empty());
        const auto verdict = evaluate_fail_on(s, FailOn::error);
        CHECK(verdict.exit_status == 0);
        CHECK(verdict.reason == "exit status 0: no new finding at or above error (--fail-on error, baseline "
                                "baseline.json); 3 known");
    }
    SUBCASE("one newly broken endpoint, one fixed: fails on the new one only") {
        auto records = first_run();
        records[2] = make_record(3, "GET", "/private", 200);  // fixed: the 401 is gone
        records.push_back(make_record(5, "POST", "/orders/12", 405, {finding("405-missing-allow")}));
        const auto s = run(records, baseline);
        REQUIRE(s.baseline);
        CHECK(s.baseline->known == LevelCounts{0, 0, 2});
        CHECK(s.baseline->fresh == LevelCounts{0, 0, 1});
        REQUIRE(s.baseline->fixed.size() == 1);
        CHECK(s.baseline->fixed[0].key() == "401-missing-www-authenticate response GET /private 401");
        const auto verdict = evaluate_fail_on(s, FailOn::error);
        CHECK(verdict.exit_status == 1);
        CHECK(verdict.reason == "exit status 1: new findings at or above error: 1 error (--fail-on error, baseline "
                                "baseline.json): 405-missing-allow on POST /orders/{id}; 2 known");
        const auto summary = render_summary(s, verdict);
        CHECK(summary.find("  baseline   1 new, 2 known, 1 fixed (baseline.json)\n") != std::string::npos);
        CHECK(summary.find("    new    error   405-missing-allow POST /orders/{id} -> 405 (1)\n") != std::string::npos);
        CHECK(summary.find("    fixed  401-missing-www-authenticate GET /private -> 401\n") != std::string::npos);
        // JSON Lines carry the mark, the report its totals.
        auto record = records.back();
        Aggregator::mark(record, baseline.get());
        CHECK(format_finding_line(record, record.findings[0]).find(",\"baseline\":\"new\"}") != std::string::npos);
        auto known = records.front();
        Aggregator::mark(known, baseline.get());
        CHECK(format_finding_line(known, known.findings[0]).find(",\"baseline\":\"known\"}") != std::string::npos);
        const auto json = render_report_json(s);
        CHECK(json.find("\"new\":{\"error\":1,\"warning\":0,\"info\":0}") != std::string::npos);
        // The dashboard and the HTML report show what the gate counts.
        const auto html = render_html(s);
        CHECK(html.find("<div class=\"v\">1</div><div class=\"l\">new (not in the baseline)</div>") != std::string::npos);
        CHECK(html.find("<div class=\"v\">2</div><div class=\"l\">known (in the baseline)</div>") != std::string::npos);
        CHECK(html.find("<div class=\"v\">1</div><div class=\"l\">fixed since the baseline</div>") != std::string::npos);
        // SARIF's own field for it: results by rule and route, new or unchanged.
        const auto sarif = render_sarif(s);
        CHECK(sarif.find("\"ruleRoute/v1\":\"405-missing-allow /orders/{id}\"},\"baselineState\":\"new\"") !=
              std::string::npos);
        CHECK(sarif.find("\"ruleRoute/v1\":\"405-missing-allow /items/{id}\"},\"baselineState\":\"unchanged\"") !=
              std::string::npos);
        // JUnit fails only the new finding's test; the known one passes and says why.
        const auto junit = render_junit(s);
        CHECK(junit.find("name=\"/orders/{id}\" time=\"0\">\n      <failure type=\"error\"") != std::string::npos);
        CHECK(junit.find("name=\"/items/{id}\" time=\"0\">\n      <system-out>error, known (in the baseline "
                         "baseline.json): ") != std::string::npos);
        const auto totals = junit.find("<testsuites ");
        REQUIRE(totals != std::string::npos);
        CHECK(junit.substr(junit.find("failures=", totals), 13) == "failures=\"1\" ");
        // The metric an alert on new findings reads.
        const auto metrics = render_metrics(s);
        CHECK(metrics.find("conformance_proxy_baseline_findings_total{rule=\"405-missing-allow\",level=\"error\","
                           "baseline=\"new\"} 1\n") != std::string::npos);
        CHECK(metrics.find("conformance_proxy_baseline_findings_total{rule=\"405-missing-allow\",level=\"error\","
                           "baseline=\"known\"} 2\n") != std::string::npos);
    }
    SUBCASE("without a baseline the same new finding is counted like any other") {
        auto records = first_run();
        const auto s = run(records);
        CHECK_FALSE(s.baseline);
        CHECK(evaluate_fail_on(s, FailOn::error).exit_status == 1);
        CHECK(format_finding_line(records[0], records[0].findings[0]).find("baseline") == std::string::npos);
    }
}

TEST_CASE("baseline update: the file of the newer run, and only its entries") {
    const Baseline old(fingerprints_from_file_text(render_report_json(run(first_run())), "a.json"));
    auto records = first_run();
    records[2] = make_record(3, "GET", "/private", 200);
    records.push_back(make_record(5, "POST", "/orders/12", 405, {finding("405-missing-allow")}));
    const Baseline updated(fingerprints_from_file_text(render_report_json(run(records)), "b.json"));
    CHECK(updated.size() == 2);
    CHECK(updated.contains(make_fingerprint("405-missing-allow", "response", "POST", "/orders/1", 405)));
    CHECK_FALSE(updated.contains(make_fingerprint("401-missing-www-authenticate", "response", "GET", "/private", 401)));
    CHECK(old.contains(make_fingerprint("401-missing-www-authenticate", "response", "GET", "/private", 401)));
}

TEST_CASE("bad baseline and report files: errors name the file and what is wrong") {
    CHECK_THROWS_WITH_AS(Baseline::parse("{\"rules\": []}", "b.json"),
                         doctest::Contains("b.json: not a baseline file"), std::runtime_error);
    CHECK_THROWS_WITH_AS(Baseline::parse("{\"findings\": [{\"rule\": 1}]}", "b.json"),
                         doctest::Contains("b.json: findings[0]: expected a string member \"rule\""),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(Baseline::parse("not json", "b.json"), doctest::Contains("b.json: not valid JSON"),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(fingerprints_from_file_text("{\"x\": 1}", "r.json"),
                         doctest::Contains("r.json: neither a report"), std::runtime_error);
    CHECK_THROWS_WITH_AS(Baseline::load("/nonexistent/baseline.json"),
                         doctest::Contains("cannot read baseline file /nonexistent/baseline.json"), std::runtime_error);
    CHECK(fingerprints_from_file_text("", "empty.jsonl").empty());
}

}  // namespace cproxy::report

#include <boost/json.hpp>

#include <cctype>
#include <cstdlib>

#include "ReportTestSupport.hpp"
#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/HtmlReport.hpp"
#include "conformance_proxy/report/JsonLines.hpp"
#include "conformance_proxy/report/JunitReport.hpp"
#include "conformance_proxy/report/MetricsText.hpp"
#include "conformance_proxy/report/Recorder.hpp"
#include "conformance_proxy/report/ReportJson.hpp"
#include "conformance_proxy/report/ReportWriter.hpp"
#include "conformance_proxy/report/SarifReport.hpp"
#include "conformance_proxy/report/SummaryText.hpp"

using namespace cproxy::report;
using namespace cproxy::report::test;
namespace check = cproxy::check;
namespace json = boost::json;

namespace {

constexpr std::string_view basic_credentials = "dXNlcjpzZWNyZXQ=";
constexpr std::string_view cookie_secret = "topsecret";

std::vector<const check::Rule*> checked() {
    return {rule("405-missing-allow"), rule("date-missing"), rule("401-missing-www-authenticate"),
            rule("retry-after-missing"), rule("status-code-unregistered")};
}

// About 20 exchanges over a few seconds, 4 rules firing, credentials in the examples.
void record_sample(Aggregator& a) {
    using namespace std::chrono;
    const auto t0 = system_clock::time_point(milliseconds(1795255200123));
    std::uint64_t n = 0;
    auto add = [&](std::string method, std::string target, int status, check::Findings f, int second) {
        auto r = make_record(++n, std::move(method), std::move(target), status, std::move(f));
        r.time = t0 + seconds(second) + milliseconds(37 * n);
        r.duration = milliseconds(3 + 41 * (n % 7));
        r.example.add_field("Content-Type", "application/json");
        r.example.add_field("Authorization", "Basic " + std::string(basic_credentials));
        r.example.add_field("Cookie", "session=" + std::string(cookie_secret));
        a.add(r);
    };
    for (int i = 0; i < 6; ++i) add("GET", "/items/" + std::to_string(i), 200, {}, i / 2);
    add("DELETE", "/items/7", 405,
        {finding("405-missing-allow", "405 response has no Allow header; list the methods /items/7 supports, "
                                      "e.g. Allow: GET, PUT"),
         finding("date-missing", "response has no Date field; an origin with a clock must send one")},
        1);
    add("DELETE", "/items/8?force=1", 405, {finding("405-missing-allow", "405 response has no Allow header")}, 2);
    add("PUT", "/orders/123e4567-e89b-12d3-a456-426614174000", 405,
        {finding("405-missing-allow", "405 response has no Allow header")}, 2);
    for (int i = 0; i < 2; ++i)
        add("GET", "/admin", 401,
            {finding("401-missing-www-authenticate",
                     "401 without WWW-Authenticate <script>alert(1)</script> & \"quotes\"; 401 is for missing or "
                     "bad HTTP authentication and must carry a challenge")},
            3);
    add("GET", "/search?q=" + std::string(cookie_secret), 503,
        {finding("retry-after-missing", "503 without Retry-After")}, 4);
    for (int i = 0; i < 4; ++i)
        add("GET", "/reports/" + std::to_string(100 + i), 200,
            {finding("date-missing", "response has no Date field")}, 4 + i / 2);
    for (int i = 0; i < 4; ++i) add("GET", "/health", 200, {}, 6);
}

ReportSnapshot sample() {
    Aggregator a(AggregatorOptions{checked()});
    record_sample(a);
    return a.snapshot();
}

void check_no_credentials(std::string_view output, std::string_view what) {
    CAPTURE(what);
    CHECK(output.find(basic_credentials) == std::string_view::npos);
    // The secret cookie value only ever appears in a query string, which routes drop; examples
    // and targets that carried it must show it nowhere but the raw target of that exchange.
    CHECK(output.find("session=" + std::string(cookie_secret)) == std::string_view::npos);
}

// Prometheus text format: name{label="value",...} value, label values with \\ \" \n escapes.
bool is_sample_line(std::string_view line) {
    auto name_char = [](char c, bool first) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
               (!first && std::isdigit(static_cast<unsigned char>(c)));
    };
    std::size_t i = 0;
    while (i < line.size() && name_char(line[i], i == 0)) ++i;
    if (i == 0) return false;
    if (i < line.size() && line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            const auto label_begin = i;
            while (i < line.size() && name_char(line[i], i == label_begin)) ++i;
            if (i == label_begin || line.substr(i, 2) != "=\"") return false;
            i += 2;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\') {
                    if (i + 1 >= line.size() || std::string_view("\\\"n").find(line[i + 1]) == std::string_view::npos)
                        return false;
                    ++i;
                }
                ++i;
            }
            if (i >= line.size()) return false;
            ++i;  // closing quote
            if (i < line.size() && line[i] == ',') ++i;
        }
        if (i >= line.size()) return false;
        ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') return false;
    const auto value = std::string(line.substr(i + 1));
    if (value == "+Inf" || value == "-Inf" || value == "NaN") return true;
    char* end = nullptr;
    std::strtod(value.c_str(), &end);
    return !value.empty() && end == value.c_str() + value.size();
}

}  // namespace

TEST_SUITE("report.outputs") {
    TEST_CASE("JUnit: one testsuite per checked rule, one testcase per route, errors fail") {
        const auto s = sample();
        const auto xml = render_junit(s);
        check_no_credentials(xml, "junit");
        CHECK(xml.find("&lt;script&gt;") != std::string::npos);
        CHECK(xml.find("<script>") == std::string::npos);
        if (!have_python3()) {
            MESSAGE("python3 missing: JUnit XML not parsed back");
            return;
        }
        TempPath path("junit.xml");
        REQUIRE(write_file_atomically(path.str(), xml).empty());
        bool ok = false;
        const auto out = run_command(
            "python3 -c \"import sys,xml.etree.ElementTree as E\n"
            "r=E.parse(sys.argv[1]).getroot()\n"
            "ss=r.findall('testsuite')\n"
            "tc=r.findall('testsuite/testcase')\n"
            "f=r.findall('testsuite/testcase/failure')\n"
            "o=r.findall('testsuite/testcase/system-out')\n"
            "assert int(r.get('tests'))==len(tc) and int(r.get('failures'))==len(f)\n"
            "assert all(int(s.get('tests'))==len(s.findall('testcase')) for s in ss)\n"
            "assert all(int(s.get('failures'))==len(s.findall('testcase/failure')) for s in ss)\n"
            "p=lambda s,n:s.find('properties/property[@name=\\'%s\\']'%n).get('value')\n"
            "assert all(c.get('classname')=='conformance.'+p(s,'subject')+'.'+s.get('name') for s in ss for c in s.findall('testcase'))\n"
            "assert all(p(s,'about')=='response' for s in ss)\n"
            "a=[s for s in ss if s.get('name')=='405-missing-allow'][0]\n"
            "x=[c for c in a.findall('testcase') if c.find('failure') is not None]\n"
            "print(len(ss),len(tc),len(f),len(o),sorted(c.get('name') for c in x),x[0].get('classname'))\" " +
                path.str(),
            ok);
        CHECK(ok);
        // 5 rules x 6 routes; failures: 405 on 2 routes, 401 on 1; warnings/info as system-out:
        // date-missing on 2 routes, retry-after-missing on 1.
        // Test cases are grouped by subject through the classname (405-missing-allow: methods).
        CHECK(out == "5 30 3 3 ['/items/{id}', '/orders/{id}'] conformance.methods.405-missing-allow\n");
    }

    TEST_CASE("JUnit: failure_level warning turns warnings into failures") {
        const auto xml = render_junit(sample(), JunitOptions{check::Level::warning});
        CHECK(xml.find("failures=\"5\"") != std::string::npos);  // testsuites total: 3 errors + 2 warnings
        CHECK(xml.find("<failure type=\"warning\"") != std::string::npos);
    }

    TEST_CASE("SARIF 2.1.0: required properties") {
        const auto s = sample();
        const auto text = render_sarif(s);
        check_no_credentials(text, "sarif");
        const auto root = json::parse(text).as_object();
        CHECK(root.at("version") == "2.1.0");
        CHECK(root.at("$schema").as_string().starts_with("https://"));
        const auto& run = root.at("runs").as_array().at(0).as_object();
        const auto& driver = run.at("tool").at("driver").as_object();
        CHECK(driver.at("name") == "conformance-proxy");
        CHECK(driver.at("informationUri").as_string().starts_with("https://"));
        const auto& rules = driver.at("rules").as_array();
        REQUIRE(rules.size() == 5);
        for (const auto& r : rules) {
            const auto& o = r.as_object();
            CHECK(o.contains("id"));
            CHECK(!o.at("shortDescription").at("text").as_string().empty());
            CHECK(o.at("fullDescription").at("text").as_string().find("RFC") != json::string::npos);
            CHECK(o.at("helpUri").as_string().starts_with("https://www.rfc-editor.org/rfc/rfc"));
            const auto level = o.at("defaultConfiguration").at("level").as_string();
            CHECK((level == "error" || level == "warning" || level == "note"));
        }
        // Each rule tagged with its subject, so viewers can group by it.
        CHECK(rules.at(0).at("id") == "405-missing-allow");
        CHECK(json::serialize(rules.at(0).at("properties").at("tags")) == R"(["methods"])");
        CHECK(json::serialize(rules.at(1).at("properties").at("tags")) == R"(["dates"])");
        const auto& results = run.at("results").as_array();
        CHECK(results.size() == 6);  // (rule, route) pairs
        for (const auto& r : results) {
            const auto& o = r.as_object();
            const auto rule_index = o.at("ruleIndex").as_int64();
            CHECK(rules.at(rule_index).at("id") == o.at("ruleId"));
            CHECK(!o.at("message").at("text").as_string().empty());
            const auto& loc = o.at("locations").as_array().at(0);
            CHECK(!loc.at("logicalLocations").as_array().at(0).at("fullyQualifiedName").as_string().empty());
            CHECK(loc.at("physicalLocation").at("artifactLocation").at("uri").as_string().starts_with("/"));
        }
        const auto& first = results.at(0).as_object();
        CHECK(first.at("ruleId") == "405-missing-allow");
        CHECK(first.at("level") == "error");
        CHECK(first.at("locations").at(0).at("physicalLocation").at("artifactLocation").at("uri") ==
              "/items/%7Bid%7D");
    }


    TEST_CASE("HTML: self-contained, escaped, shows rules and counts") {
        const auto s = sample();
        HtmlOptions options;
        options.subject = "http://127.0.0.1:9000";
        options.verdict = evaluate_fail_on(s, FailOn::error);
        const auto html = render_html(s, options);
        check_no_credentials(html, "html");
        CHECK(html.starts_with("<!DOCTYPE html>"));
        for (const auto& r : s.rules) {
            CHECK(html.find(r.rule.id) != std::string::npos);
            CHECK(html.find("<b>" + std::to_string(r.count) + "</b>") != std::string::npos);
        }
        CHECK(html.find("FAIL") != std::string::npos);
        CHECK(html.find("<svg") != std::string::npos);
        // Nothing is loaded from anywhere: no external scripts, styles, images or fonts.
        for (const char* bad : {"src=\"http", "src='http", "url(http", "@import", "<link", "<img", "<iframe"})
            CHECK_MESSAGE(html.find(bad) == std::string::npos, bad);
        for (auto at = html.find("href=\"http"); at != std::string::npos; at = html.find("href=\"http", at + 1)) {
            const auto url = html.substr(at + 6, html.find('"', at + 6) - at - 6);
            CHECK_MESSAGE(url.starts_with("https://www.rfc-editor.org/rfc/"), url);
        }
        // The finding message with markup is escaped.
        CHECK(html.find("<script>alert(1)</script>") == std::string::npos);
        CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
        CHECK(html.find("<script") == std::string::npos);  // not live: no script at all
        CHECK(html.find("[redacted]") != std::string::npos);
    }

    TEST_CASE("HTML: the subject overview counts findings per subject, worst subject first") {
        // Two subjects: methods with 2 errors, dates with 3 warnings. dates has more findings,
        // but errors come first: the top row is where the team should look.
        Aggregator a(AggregatorOptions{{rule("405-missing-allow"), rule("date-missing"), rule("date-syntax")}});
        a.add(make_record(1, "DELETE", "/items/1", 405, {finding("405-missing-allow")}));
        a.add(make_record(2, "DELETE", "/items/2", 405, {finding("405-missing-allow")}));
        for (std::uint64_t n = 3; n <= 5; ++n) a.add(make_record(n, "GET", "/items", 200, {finding("date-missing")}));
        const auto html = render_html(a.snapshot());

        const auto overview = html.find("id=\"subjects\"");
        REQUIRE(overview != std::string::npos);
        CHECK(overview < html.find("<section class=\"rule"));
        const auto methods_row = html.find(
            "<tr data-subject=\"methods\"><td><a href=\"#subject-methods\">methods</a></td>"
            "<td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">0</td>"
            "<td>1 of 1: <a class=\"mono\" href=\"#rule-405-missing-allow\">405-missing-allow</a></td></tr>");
        const auto dates_row = html.find(
            "<tr data-subject=\"dates\"><td><a href=\"#subject-dates\">dates</a></td>"
            "<td class=\"n\">0</td><td class=\"n\">3</td><td class=\"n\">0</td>"
            "<td>1 of 2: <a class=\"mono\" href=\"#rule-date-missing\">date-missing</a></td></tr>");
        REQUIRE(methods_row != std::string::npos);
        REQUIRE(dates_row != std::string::npos);
        CHECK(methods_row < dates_row);
        CHECK(methods_row > overview);
        std::size_t rows = 0;
        for (auto at = html.find("data-subject="); at != std::string::npos; at = html.find("data-subject=", at + 1))
            ++rows;
        CHECK(rows == 2);

        // The per-rule detail is grouped under the same subjects, in the same order.
        const auto methods_group = html.find("<div class=\"subject-group\" id=\"subject-methods\">");
        const auto dates_group = html.find("<div class=\"subject-group\" id=\"subject-dates\">");
        REQUIRE(methods_group != std::string::npos);
        REQUIRE(dates_group != std::string::npos);
        CHECK(methods_group < html.find("id=\"rule-405-missing-allow\""));
        CHECK(html.find("id=\"rule-405-missing-allow\"") < dates_group);
        CHECK(dates_group < html.find("id=\"rule-date-missing\""));
        CHECK(html.find("methods<small>2 errors, 0 warnings, 0 info</small>") != std::string::npos);
        CHECK(html.find("dates<small>0 errors, 3 warnings, 0 info</small>") != std::string::npos);
    }

    TEST_CASE("HTML: request-side rules are marked as the client's to fix; subjects are escaped") {
        Aggregator a(AggregatorOptions{{rule("405-missing-allow"), rule("authorization-syntax")}});
        a.add(make_record(1, "DELETE", "/items/1", 405, {finding("405-missing-allow")}));
        a.add(make_record(2, "GET", "/profile", 401, {finding("authorization-syntax")}));
        auto s = a.snapshot();
        const auto html = render_html(s);
        const auto marker = std::string(">request</span>");
        const auto request_rule = html.find("id=\"rule-authorization-syntax\"");
        const auto response_rule = html.find("id=\"rule-405-missing-allow\"");
        REQUIRE(request_rule != std::string::npos);
        REQUIRE(response_rule != std::string::npos);
        // In the rule's own section head, and beside it in the overview; never on response rules.
        CHECK(html.find(marker, request_rule) < html.find("</div>", request_rule));
        CHECK(html.find("<span class=\"id\">405-missing-allow</span><span>") != std::string::npos);
        const auto overview_row = html.find("<tr data-subject=\"request-credentials\">");
        REQUIRE(overview_row != std::string::npos);
        CHECK(html.find(marker, overview_row) < html.find("</tr>", overview_row));
        CHECK(html.find("the client has to change") != std::string::npos);

        // A snapshot is plain data: whatever a subject holds reaches the page escaped.
        s.rules.at(0).rule.subject = "<b>x</b>";
        const auto escaped = render_html(s);
        CHECK(escaped.find("<b>x</b>") == std::string::npos);
        CHECK(escaped.find("data-subject=\"&lt;b&gt;x&lt;/b&gt;\"") != std::string::npos);
    }

    TEST_CASE("HTML: the live option adds one inline script polling report.json") {
        HtmlOptions options;
        options.live = true;
        options.refresh_seconds = 3;
        const auto html = render_html(sample(), options);
        CHECK(html.find("<script>") != std::string::npos);
        CHECK(html.find("/report.json") != std::string::npos);
        CHECK(html.find("every=3000") != std::string::npos);
        CHECK(html.find("<script src") == std::string::npos);
    }

    TEST_CASE("HTML: an empty snapshot renders") {
        const auto html = render_html(Aggregator(AggregatorOptions{checked()}).snapshot());
        CHECK(html.find("No rule fired") != std::string::npos);
        CHECK(html.find("5 rules checked without findings") != std::string::npos);
    }

    TEST_CASE("report.json: the snapshot as JSON") {
        const auto s = sample();
        const auto text = render_report_json(s, evaluate_fail_on(s, FailOn::warning));
        check_no_credentials(text, "report.json");
        const auto root = json::parse(text).as_object();
        CHECK(root.at("exchanges").as_int64() == 20);
        CHECK(root.at("findings").at("error").as_int64() == 5);
        CHECK(root.at("findings_total").as_int64() == 11);
        CHECK(root.at("verdict").at("exit_status").as_int64() == 1);
        CHECK(root.at("rules").as_array().size() == 4);
        CHECK(root.at("rules").at(0).at("id") == "405-missing-allow");
        CHECK(root.at("rules").at(0).at("example").at("fields").at(1).at(1) == "[redacted]");
        CHECK(root.at("checked_rules").as_array().size() == 5);
        CHECK(root.at("latency").at("buckets").as_array().back().at("count").as_int64() == 20);
    }

    TEST_CASE("Prometheus text: every sample line is name{labels} value") {
        const auto s = sample();
        const auto text = render_metrics(s);
        int samples = 0;
        for (const auto& line : lines_of(text)) {
            CAPTURE(line);
            if (line.starts_with("#")) {
                CHECK((line.starts_with("# HELP conformance_proxy_") || line.starts_with("# TYPE conformance_proxy_")));
                continue;
            }
            CHECK(is_sample_line(line));
            ++samples;
        }
        CHECK(samples > 10);
        CHECK(text.find("conformance_proxy_exchanges_total{class=\"2xx\"} 14\n") != std::string::npos);
        CHECK(text.find("conformance_proxy_findings_total{rule=\"405-missing-allow\",level=\"error\"} 3\n") !=
              std::string::npos);
        CHECK(text.find("conformance_proxy_upstream_errors_total 0\n") != std::string::npos);
        CHECK(text.find("conformance_proxy_request_duration_seconds_bucket{le=\"+Inf\"} 20\n") != std::string::npos);
        CHECK(text.find("conformance_proxy_request_duration_seconds_bucket{le=\"0.005\"}") != std::string::npos);
        CHECK(text.find("conformance_proxy_request_duration_seconds_count 20\n") != std::string::npos);
        CHECK(text.find("# TYPE conformance_proxy_request_duration_seconds histogram\n") != std::string::npos);
        CHECK(escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
        CHECK(is_sample_line("x{rule=\"a\\\"b\"} 1"));
        CHECK_FALSE(is_sample_line("x{rule=\"a\"b\"} 1"));
        CHECK_FALSE(is_sample_line("x 1 2"));
    }

    TEST_CASE("summary: totals, worst rules with an example, reports, verdict") {
        const auto s = sample();
        const auto verdict = evaluate_fail_on(s, FailOn::error);
        const auto text = render_summary(s, verdict, {{"junit", "/tmp/j.xml"}, {"html", "/tmp/r.html"}});
        check_no_credentials(text, "summary");
        CHECK(text.find("exchanges  20") != std::string::npos);
        CHECK(text.find("5 error, 5 warning, 1 info") != std::string::npos);
        CHECK(text.find("405-missing-allow") < text.find("date-missing"));
        CHECK(text.find("e.g. DELETE /items/7 -> 405") != std::string::npos);
        CHECK(text.find("/tmp/r.html") != std::string::npos);
        CHECK(text.find(verdict.reason) != std::string::npos);
        CHECK(lines_of(text).size() < 40);  // one screen
    }

    TEST_CASE("credentials never reach any output, findings file included") {
        TempPath findings("findings.jsonl");
        {
            Recorder recorder(RecorderOptions{.findings_path = findings.str(), .checked_rules = checked()});
            auto r = make_record(1, "GET", "http://alice:hunter2@example.com/admin", 401,
                                 {finding("401-missing-www-authenticate")});
            r.example.fields.push_back({"Authorization", "Basic " + std::string(basic_credentials)});
            r.example.fields.push_back({"Cookie", "session=" + std::string(cookie_secret)});
            r.example.fields.push_back({"Set-Cookie", "session=" + std::string(cookie_secret)});
            recorder.record(std::move(r));
            recorder.close();
            const auto s = recorder.snapshot();
            const auto verdict = evaluate_fail_on(s, FailOn::error);
            for (const auto& [what, out] :
                 std::vector<std::pair<std::string, std::string>>{
                     {"jsonl", read_file(findings.str())},
                     {"junit", render_junit(s)},
                     {"sarif", render_sarif(s)},
                     {"html", render_html(s)},
                     {"report.json", render_report_json(s)},
                     {"metrics", render_metrics(s)},
                     {"summary", render_summary(s, verdict)}}) {
                CAPTURE(what);
                CHECK(out.find(basic_credentials) == std::string::npos);
                CHECK(out.find(cookie_secret) == std::string::npos);
                CHECK(out.find("hunter2") == std::string::npos);
            }
        }
    }

    TEST_CASE("write_reports writes each requested file and lists it") {
        TempPath junit("r.xml"), sarif("r.sarif"), html("r.html");
        const auto s = sample();
        const auto result = write_reports(s, ReportPaths{"/tmp/findings.jsonl", junit.str(), sarif.str(), html.str(), ""},
                                          evaluate_fail_on(s, FailOn::never));
        CHECK(result.errors.empty());
        CHECK(result.written.size() == 4);
        CHECK(read_file(junit.str()).find("<testsuites") != std::string::npos);
        CHECK(read_file(sarif.str()).find("\"2.1.0\"") != std::string::npos);
        CHECK(read_file(html.str()).find("PASS") != std::string::npos);

        const auto bad = write_reports(s, ReportPaths{"", "/nonexistent-dir/j.xml", "", "", ""},
                                       evaluate_fail_on(s, FailOn::never));
        REQUIRE(bad.errors.size() == 1);
        CHECK(bad.errors[0].find("/nonexistent-dir/j.xml") != std::string::npos);
    }

    TEST_CASE("sample report for eyeballing (CPROXY_SAMPLE_HTML=path)") {
        const char* path = std::getenv("CPROXY_SAMPLE_HTML");
        if (path == nullptr) return;
        const auto s = sample();
        HtmlOptions options;
        options.subject = "http://127.0.0.1:9000 (demo upstream)";
        options.verdict = evaluate_fail_on(s, FailOn::error);
        CHECK(write_file_atomically(path, render_html(s, options)).empty());
        std::fputs(render_summary(s, *options.verdict, {{"html", path}}).c_str(), stderr);
    }
}

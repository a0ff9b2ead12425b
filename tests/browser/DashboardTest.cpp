// The real binary with --demo and --admin: drive exchanges through the proxy, read /healthz,
// /metrics (line by line) and /report.json, load the live dashboard and the --html report in
// headless Chromium, check the rendered DOM and keep screenshots in build/artifacts/.
#include <doctest/doctest.h>

#include <signal.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>
#include <thread>

#include "browser/BrowserSupport.hpp"

using namespace browser;
namespace fs = std::filesystem;

namespace {

struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// Prometheus text format 0.0.4: comments start with '#'; every other non-empty line is
// `name{label="value",...} value`, or `name value`. Returns an error text on the first bad line.
std::vector<Sample> parse_metrics(const std::string& text, std::string& error) {
    std::vector<Sample> samples;
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    auto is_name_char = [](char c, bool first) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
               (!first && std::isdigit(static_cast<unsigned char>(c)));
    };
    while (std::getline(lines, line)) {
        ++number;
        auto fail = [&](const std::string& why) {
            error = "line " + std::to_string(number) + " (" + line + "): " + why;
            return std::vector<Sample>{};
        };
        if (line.empty() || line[0] == '#') continue;
        Sample s;
        std::size_t i = 0;
        while (i < line.size() && is_name_char(line[i], i == 0)) ++i;
        if (i == 0) return fail("no metric name");
        s.name = line.substr(0, i);
        if (i < line.size() && line[i] == '{') {
            ++i;
            while (i < line.size() && line[i] != '}') {
                const auto eq = line.find('=', i);
                if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"')
                    return fail("label without =\"");
                const auto label = line.substr(i, eq - i);
                std::string value;
                std::size_t j = eq + 2;
                for (; j < line.size() && line[j] != '"'; ++j) {
                    if (line[j] == '\\' && j + 1 < line.size()) ++j;
                    value += line[j];
                }
                if (j >= line.size()) return fail("unterminated label value");
                s.labels[label] = value;
                i = j + 1;
                if (i < line.size() && line[i] == ',') ++i;
            }
            if (i >= line.size()) return fail("no closing }");
            ++i;
        }
        if (i >= line.size() || line[i] != ' ') return fail("no space before the value");
        const auto value_text = line.substr(i + 1);
        try {
            std::size_t used = 0;
            s.value = value_text == "+Inf" ? 1e308 : std::stod(value_text, &used);
            if (value_text != "+Inf" && used != value_text.size()) return fail("trailing text after the value");
        } catch (const std::exception&) {
            return fail("value is not a number");
        }
        samples.push_back(std::move(s));
    }
    return samples;
}

double sample_value(const std::vector<Sample>& samples, const std::string& name,
                    const std::map<std::string, std::string>& labels) {
    for (const auto& s : samples)
        if (s.name == name && s.labels == labels) return s.value;
    return -1;
}

std::uint64_t rule_count(const boost::json::value& report, std::string_view id) {
    for (const auto& r : report.at("rules").as_array())
        if (r.at("id").as_string() == id) return r.at("count").to_number<std::uint64_t>();
    return 0;
}

void check_dom_has_demo_findings(const std::string& dom) {
    CHECK(rule_count_in_dom(dom, "405-missing-allow") == 2);
    CHECK(rule_count_in_dom(dom, "401-missing-www-authenticate") == 1);
    CHECK(rule_count_in_dom(dom, "retry-after-missing") == 1);
    CHECK(dom.find("DELETE /api/items/7") != std::string::npos);  // the example exchange
}

// The subject overview, above the rule sections, has a row for every subject with findings in
// report.json, and that row's first count (errors) is the sum report.json gives for it.
void check_dom_subject_overview(const std::string& dom, const boost::json::value& report) {
    const auto overview = dom.find("id=\"subjects\"");
    REQUIRE(overview != std::string::npos);
    const auto first_rule = dom.find("<section class=\"rule");
    std::map<std::string, std::uint64_t> errors_by_subject;
    for (const auto& r : report.at("rules").as_array())
        errors_by_subject[std::string(r.at("subject").as_string())] +=
            r.at("by_level").at("error").to_number<std::uint64_t>();
    CHECK(errors_by_subject.count("methods") == 1);         // 405-missing-allow
    CHECK(errors_by_subject.count("authentication") == 1);  // 401-missing-www-authenticate
    CHECK(errors_by_subject.count("retry-after") == 1);     // retry-after-missing
    for (const auto& [subject, errors] : errors_by_subject) {
        CAPTURE(subject);
        const auto row = dom.find("<tr data-subject=\"" + subject + "\">", overview);
        REQUIRE(row != std::string::npos);
        CHECK(row < first_rule);
        const std::string cell = "<td class=\"n\">";
        const auto at = dom.find(cell, row) + cell.size();
        CHECK(dom.substr(at, dom.find('<', at) - at) == std::to_string(errors));
    }
}

}  // namespace

TEST_CASE("dashboard: the real proxy with --admin, metrics, report.json, Chromium, then the --html report") {
    const auto chromium = chromium_binary();
    REQUIRE_MESSAGE(!chromium.empty(), "chromium not found: scripts/install-deps.sh --with-tests installs it");
    TempDir dir;
    const auto html_path = dir.path() / "report.html";
    ChildProcess proxy({proxy_binary().string(), "--demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                        "--html", html_path.string()},
                       dir.path() / "proxy.log");
    std::string log;
    const auto listening = proxy.wait_for_output(std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"), 20s, log);
    REQUIRE_MESSAGE(listening.has_value(), log);
    const auto proxy_base = "http://127.0.0.1:" + (*listening)[1].str();
    const auto admin = proxy.wait_for_output(std::regex(R"(admin dashboard on (http://127\.0\.0\.1:(\d+)/))"), 20s, log);
    REQUIRE_MESSAGE(admin.has_value(), log);
    const auto admin_url = (*admin)[1].str();

    // Exchanges through the proxy: two DELETEs without Allow, a 401 without a challenge, a
    // 503 without Retry-After, and clean ones.
    CHECK(http("DELETE", proxy_base + "/api/items/7").status == 405);
    CHECK(http("DELETE", proxy_base + "/api/items/7").status == 405);
    CHECK(http("GET", proxy_base + "/admin").status == 401);
    CHECK(http("GET", proxy_base + "/busy").status == 503);
    CHECK(http("GET", proxy_base + "/api/items").status == 200);
    CHECK(http("GET", proxy_base + "/health").status == 200);
    constexpr std::uint64_t exchanges = 6;

    // The recorder sees an exchange once its last byte went out: wait for all six.
    boost::json::value report;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        const auto res = http("GET", admin_url + "report.json");
        REQUIRE_MESSAGE(res.status == 200, res.curl_error);
        report = boost::json::parse(res.body);
        if (report.at("exchanges").to_number<std::uint64_t>() >= exchanges || std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(50ms);
    }

    {
        INFO("/healthz");
        const auto res = http("GET", admin_url + "healthz");
        CHECK(res.status == 200);
        CHECK(res.body == "ok\n");
        CHECK(header_value(res.head, "Cache-Control") == "no-store");
    }
    {
        INFO("/report.json");
        CHECK(report.at("exchanges").to_number<std::uint64_t>() == exchanges);
        CHECK(report.at("exchanges_with_findings").to_number<std::uint64_t>() == 4);
        CHECK(rule_count(report, "405-missing-allow") == 2);
        CHECK(rule_count(report, "401-missing-www-authenticate") == 1);
        CHECK(rule_count(report, "retry-after-missing") == 1);
        CHECK(report.at("status_classes").at("2xx").to_number<std::uint64_t>() == 2);
        CHECK(report.at("status_classes").at("4xx").to_number<std::uint64_t>() == 3);
    }
    {
        INFO("/metrics");
        const auto res = http("GET", admin_url + "metrics");
        REQUIRE(res.status == 200);
        CHECK(header_value(res.head, "Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
        std::string error;
        const auto samples = parse_metrics(res.body, error);
        INFO(error);
        REQUIRE(error.empty());
        REQUIRE(!samples.empty());
        CHECK(sample_value(samples, "conformance_proxy_findings_total",
                           {{"rule", "405-missing-allow"}, {"level", "error"}}) == 2);
        CHECK(sample_value(samples, "conformance_proxy_findings_total",
                           {{"rule", "401-missing-www-authenticate"}, {"level", "error"}}) == 1);
        CHECK(sample_value(samples, "conformance_proxy_exchanges_total", {{"class", "4xx"}}) == 3);
        CHECK(sample_value(samples, "conformance_proxy_exchanges_total", {{"class", "2xx"}}) == 2);
        CHECK(sample_value(samples, "conformance_proxy_upstream_errors_total", {}) == 0);
        CHECK(sample_value(samples, "conformance_proxy_request_duration_seconds_count", {}) == double(exchanges));
        CHECK(sample_value(samples, "conformance_proxy_request_duration_seconds_bucket", {{"le", "+Inf"}}) ==
              double(exchanges));
    }
    {
        INFO("the live dashboard in headless Chromium");
        const auto dom = chromium_dump_dom(admin_url);
        INFO(dom.err);
        REQUIRE_FALSE(dom.timed_out);
        REQUIRE(dom.exit_status == 0);
        check_dom_has_demo_findings(dom.out);
        check_dom_subject_overview(dom.out, report);
        CHECK(dom.out.find("LIVE") != std::string::npos);
        const auto png = artifacts_dir() / "dashboard.png";
        const auto shot = chromium_screenshot(admin_url, png);
        INFO(shot.err);
        CHECK_FALSE(shot.timed_out);
        CHECK(is_png(png));
        MESSAGE("dashboard screenshot: " << png.string());
    }

    // SIGTERM: the proxy drains, writes the --html report and exits.
    proxy.send_signal(SIGTERM);
    const auto status = proxy.wait_for_exit(30s);
    REQUIRE_MESSAGE(status.has_value(), proxy.output());
    CHECK(*status == 0);
    REQUIRE(fs::exists(html_path));
    {
        INFO("the --html report in headless Chromium");
        const auto url = "file://" + html_path.string();
        const auto dom = chromium_dump_dom(url);
        INFO(dom.err);
        REQUIRE(dom.exit_status == 0);
        check_dom_has_demo_findings(dom.out);
        // --fail-on never with errors: the verdict must not look like a clean pass.
        CHECK(dom.out.find("PASS, but 3 errors not gated") != std::string::npos);
        CHECK(dom.out.find("verdict ungated") != std::string::npos);
        const auto png = artifacts_dir() / "report.png";
        const auto shot = chromium_screenshot(url, png);
        INFO(shot.err);
        CHECK(is_png(png));
        MESSAGE("report screenshot: " << png.string());
    }
}

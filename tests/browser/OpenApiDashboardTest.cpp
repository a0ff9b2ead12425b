// The demo held to its own API description (config/demo-openapi.yaml): the deliberate mismatch
// shows as openapi-response-schema, and the coverage section appears in the live dashboard and
// the --html report, rendered by headless Chromium.
#include <doctest/doctest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <regex>
#include <thread>

#include "browser/BrowserSupport.hpp"

using namespace browser;
namespace fs = std::filesystem;

namespace {

std::string demo_document() {
    const char* dir = std::getenv("CPROXY_SOURCE_DIR");
    return std::string(dir ? dir : ".") + "/config/demo-openapi.yaml";
}

// The coverage panel of a rendered page: its heading and one row per operation.
void check_coverage_dom(const std::string& dom) {
    const auto panel = dom.find("id=\"coverage\"");
    REQUIRE(panel != std::string::npos);
    CHECK(dom.find("3 of 15 operations exercised (20.0%)", panel) != std::string::npos);
    CHECK(dom.find("<tr class=\"exercised\"><td class=\"mono\">GET /api/items/{id}", panel) != std::string::npos);
    CHECK(dom.find("<tr class=\"unexercised\"><td class=\"mono\">GET /busy", panel) != std::string::npos);
}

}  // namespace

TEST_CASE("openapi dashboard: the demo's contract mismatch and the coverage section in Chromium") {
    const auto chromium = chromium_binary();
    REQUIRE_MESSAGE(!chromium.empty(), "chromium not found: scripts/install-deps.sh --with-tests installs it");
    TempDir dir;
    const auto html_path = dir.path() / "report.html";
    ChildProcess proxy({proxy_binary().string(), "--demo", "--openapi", demo_document(), "--listen", "127.0.0.1:0",
                        "--admin", "127.0.0.1:0", "--html", html_path.string()},
                       dir.path() / "proxy.log");
    std::string log;
    const auto listening = proxy.wait_for_output(std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"), 20s, log);
    REQUIRE_MESSAGE(listening.has_value(), log);
    const auto proxy_base = "http://127.0.0.1:" + (*listening)[1].str();
    const auto admin = proxy.wait_for_output(std::regex(R"(admin dashboard on (http://127\.0\.0\.1:(\d+)/))"), 20s, log);
    REQUIRE_MESSAGE(admin.has_value(), log);
    const auto admin_url = (*admin)[1].str();

    CHECK(http("GET", proxy_base + "/api/items/7").status == 200);  // no price: the deliberate mismatch
    CHECK(http("GET", proxy_base + "/api/items").status == 200);
    CHECK(http("GET", proxy_base + "/health").status == 200);
    boost::json::value report;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        const auto res = http("GET", admin_url + "report.json");
        REQUIRE_MESSAGE(res.status == 200, res.curl_error);
        report = boost::json::parse(res.body);
        if (report.at("exchanges").to_number<std::uint64_t>() >= 3 || std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(50ms);
    }
    std::vector<std::string> openapi_rules;
    for (const auto& r : report.at("rules").as_array())
        if (r.at("id").as_string().starts_with("openapi-")) openapi_rules.emplace_back(r.at("id").as_string());
    CHECK(openapi_rules == std::vector<std::string>{"openapi-response-schema"});
    CHECK(report.at("coverage").at("exercised").to_number<int>() == 3);
    CHECK(report.at("coverage").at("declared").to_number<int>() == 15);
    {
        INFO("the live dashboard in headless Chromium");
        const auto dom = chromium_dump_dom(admin_url);
        INFO(dom.err);
        REQUIRE_FALSE(dom.timed_out);
        REQUIRE(dom.exit_status == 0);
        check_coverage_dom(dom.out);
        CHECK(rule_count_in_dom(dom.out, "openapi-response-schema") == 1);
        const auto png = artifacts_dir() / "dashboard-openapi.png";
        const auto shot = chromium_screenshot(admin_url, png);
        CHECK_FALSE(shot.timed_out);
        CHECK(is_png(png));
    }
    proxy.send_signal(SIGTERM);
    const auto status = proxy.wait_for_exit(30s);
    REQUIRE_MESSAGE(status.has_value(), proxy.output());
    CHECK(*status == 0);
    {
        INFO("the --html report in headless Chromium");
        const auto dom = chromium_dump_dom("file://" + html_path.string());
        REQUIRE(dom.exit_status == 0);
        check_coverage_dom(dom.out);
    }
}

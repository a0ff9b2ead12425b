// The admin server in-process, fed by a Recorder the test fills: routes, headers, keep-alive,
// HEAD, errors, and the bind error message. The dashboard in a real browser is in DashboardTest.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <atomic>
#include <stdexcept>
#include <thread>

#include "admin/AdminRoutes.hpp"
#include "browser/BrowserSupport.hpp"
#include "conformance_proxy/admin/AdminServer.hpp"
#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/Recorder.hpp"

using namespace browser;
using cproxy::admin::AdminServer;

namespace {

cproxy::report::RecorderOptions all_rules_options() {
    cproxy::report::RecorderOptions options;
    options.checked_rules.assign(cproxy::check::all_rules().begin(), cproxy::check::all_rules().end());
    return options;
}

void record(cproxy::report::Recorder& recorder, std::uint64_t exchange, std::string method, std::string target,
            int status, const char* rule_id = nullptr) {
    cproxy::report::ExchangeRecord r;
    r.exchange = exchange;
    r.time = std::chrono::system_clock::now();
    r.method = std::move(method);
    r.target = std::move(target);
    r.status = status;
    r.duration = std::chrono::milliseconds(3);
    r.example.set_request_line(r.method + " " + r.target + " HTTP/1.1");
    r.example.status_line = "HTTP/1.1 " + std::to_string(status);
    if (rule_id) {
        const auto* rule = cproxy::check::find_rule(rule_id);
        REQUIRE(rule != nullptr);
        r.findings.push_back({rule, rule->level, std::string(rule_id) + " seen on " + r.target});
    }
    recorder.record(std::move(r));
}

void require_common_fields(const HttpResult& res) {
    CHECK(header_value(res.head, "Date").has_value());
    CHECK(header_value(res.head, "Content-Type").has_value());
    CHECK(header_value(res.head, "Cache-Control") == "no-store");
}

}  // namespace

TEST_CASE("admin routes without sockets: 404 and 405 are problem+json, 405 lists Allow") {
    cproxy::admin::AdminRouteContext context;
    int snapshots = 0;
    context.snapshot = [&] {
        ++snapshots;
        return cproxy::report::ReportSnapshot{};
    };
    auto missing = cproxy::admin::route_admin_request("GET", "/nope", context);
    CHECK(missing.status == 404);
    CHECK(missing.content_type == "application/problem+json");
    CHECK(boost::json::parse(missing.body).at("status").as_int64() == 404);

    auto post = cproxy::admin::route_admin_request("POST", "/metrics", context);
    CHECK(post.status == 405);
    CHECK(post.allow == "GET, HEAD");
    CHECK(post.content_type == "application/problem+json");

    auto health = cproxy::admin::route_admin_request("GET", "/healthz", context);
    CHECK(health.status == 200);
    CHECK(health.body == "ok\n");
    CHECK(snapshots == 0);  // a health check never takes the recorder's lock

    auto json = cproxy::admin::route_admin_request("GET", "/report.json?pretty=1", context);
    CHECK(json.status == 200);
    CHECK(json.content_type == "application/json");
    CHECK(snapshots == 1);
}

TEST_CASE("admin /routes.json: each route template with one concrete example (what probe --from-admin reads)") {
    cproxy::admin::AdminRouteContext context;
    context.snapshot = [] {
        cproxy::report::ReportSnapshot snapshot;
        snapshot.routes.push_back({"/items/{id}", 3, {}, "/items/7"});
        return snapshot;
    };
    const auto res = cproxy::admin::route_admin_request("GET", "/routes.json", context);
    CHECK(res.status == 200);
    CHECK(res.content_type == "application/json");
    const auto routes = boost::json::parse(res.body).at("routes").as_array();
    REQUIRE(routes.size() == 1);
    CHECK(routes[0].at("route").as_string() == "/items/{id}");
    CHECK(routes[0].at("example").as_string() == "/items/7");
    CHECK(cproxy::admin::route_admin_request("POST", "/routes.json", context).status == 405);
}

TEST_CASE("a snapshot source that throws gives 500 problem+json, not a dead admin thread") {
    cproxy::admin::AdminRouteContext context;
    context.snapshot = []() -> cproxy::report::ReportSnapshot { throw std::runtime_error("boom"); };
    auto res = cproxy::admin::route_admin_request("GET", "/metrics", context);
    CHECK(res.status == 500);
    CHECK(res.body.find("boom") != std::string::npos);
}

TEST_CASE("admin server over HTTP: every endpoint, headers, keep-alive and HEAD") {
    cproxy::report::Recorder recorder(all_rules_options());
    record(recorder, 1, "DELETE", "/items/7", 405, "405-missing-allow");
    record(recorder, 2, "DELETE", "/items/8", 405, "405-missing-allow");
    record(recorder, 3, "GET", "/items/7", 200);

    AdminServer server("127.0.0.1", 0, recorder, "http://upstream.test");
    REQUIRE(server.port() != 0);
    const auto base = "http://127.0.0.1:" + std::to_string(server.port());
    CHECK(server.url() == base + "/");

    SUBCASE("/healthz") {
        const auto res = http("GET", base + "/healthz");
        REQUIRE(res.curl_error == "");
        CHECK(res.status == 200);
        CHECK(res.body == "ok\n");
        require_common_fields(res);
    }
    SUBCASE("/report.json counts what was recorded") {
        const auto res = http("GET", base + "/report.json");
        REQUIRE(res.status == 200);
        require_common_fields(res);
        CHECK(header_value(res.head, "Content-Type") == "application/json");
        const auto json = boost::json::parse(res.body);
        CHECK(json.at("exchanges").to_number<std::uint64_t>() == 3);
        CHECK(json.at("findings_total").to_number<std::uint64_t>() == 2);
        const auto& rules = json.at("rules").as_array();
        REQUIRE(rules.size() == 1);
        CHECK(rules[0].at("id").as_string() == "405-missing-allow");
        CHECK(rules[0].at("count").to_number<std::uint64_t>() == 2);
    }
    SUBCASE("/metrics has the Prometheus content type and the finding counter") {
        const auto res = http("GET", base + "/metrics");
        REQUIRE(res.status == 200);
        require_common_fields(res);
        CHECK(header_value(res.head, "Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
        CHECK(res.body.find("conformance_proxy_findings_total{rule=\"405-missing-allow\",level=\"error\"} 2\n") !=
              std::string::npos);
    }
    SUBCASE("/ is the live dashboard") {
        const auto res = http("GET", base + "/");
        REQUIRE(res.status == 200);
        require_common_fields(res);
        CHECK(header_value(res.head, "Content-Type") == "text/html; charset=utf-8");
        CHECK(header_value(res.head, "Content-Security-Policy").has_value());
        CHECK(res.body.find("405-missing-allow") != std::string::npos);
        CHECK(res.body.find("http://upstream.test") != std::string::npos);
        CHECK(res.body.find("report.json") != std::string::npos);  // the polling script
    }
    SUBCASE("HEAD: same fields, Content-Length of the GET body, no body") {
        const auto get = http("GET", base + "/metrics");
        const auto head = http("HEAD", base + "/metrics");
        REQUIRE(head.status == 200);
        CHECK(head.body.empty());
        CHECK(header_value(head.head, "Content-Length") == std::to_string(get.body.size()));
        require_common_fields(head);
    }
    SUBCASE("unknown path: 404 problem+json") {
        const auto res = http("GET", base + "/admin/../etc/passwd", {"--path-as-is"});
        CHECK(res.status == 404);
        require_common_fields(res);
        CHECK(header_value(res.head, "Content-Type") == "application/problem+json");
        CHECK(boost::json::parse(res.body).at("status").as_int64() == 404);
    }
    SUBCASE("other methods: 405 with Allow") {
        for (const char* method : {"POST", "DELETE", "PUT"}) {
            CAPTURE(method);
            const auto res = http(method, base + "/report.json");
            CHECK(res.status == 405);
            CHECK(header_value(res.head, "Allow") == "GET, HEAD");
            require_common_fields(res);
        }
    }
    SUBCASE("keep-alive: several requests on one connection") {
        const auto run = run_command({"curl", "-sS", "-v", "--noproxy", "*", "--max-time", "20", "-o", "/dev/null",
                                      "-o", "/dev/null", "-o", "/dev/null", base + "/healthz", base + "/metrics",
                                      base + "/"},
                                     30s);
        REQUIRE(run.exit_status == 0);
        CHECK(run.err.find("Re-using existing connection") != std::string::npos);
        CHECK(run.err.find("Connection: close") == std::string::npos);
    }
    SUBCASE("new exchanges show up in the next request") {
        record(recorder, 4, "GET", "/admin", 401, "401-missing-www-authenticate");
        const auto json = boost::json::parse(http("GET", base + "/report.json").body);
        CHECK(json.at("exchanges").to_number<std::uint64_t>() == 4);
        CHECK(json.at("findings_total").to_number<std::uint64_t>() == 3);
    }
}

TEST_CASE("admin server: a port in use is an error naming the address") {
    AdminServer first("127.0.0.1", 0, [] { return cproxy::report::ReportSnapshot{}; });
    const auto address = "127.0.0.1:" + std::to_string(first.port());
    try {
        AdminServer second("127.0.0.1", first.port(), [] { return cproxy::report::ReportSnapshot{}; });
        FAIL("binding a port in use succeeded");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        CAPTURE(message);
        CHECK(message.find("admin server") != std::string::npos);
        CHECK(message.find(address) != std::string::npos);
    }
}

TEST_CASE("admin server: stop() returns promptly with an idle connection open") {
    auto server = std::make_unique<AdminServer>("127.0.0.1", 0, [] { return cproxy::report::ReportSnapshot{}; });
    // A client that connects and never sends a byte.
    const auto port = std::to_string(server->port());
    ChildProcess idle({"/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + "; sleep 5"},
                      std::filesystem::temp_directory_path() / ("cproxy-admin-idle-" + port + ".log"));
    std::this_thread::sleep_for(200ms);
    const auto start = std::chrono::steady_clock::now();
    server.reset();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("the dashboard refreshes itself in Chromium when the numbers change") {
    REQUIRE_MESSAGE(!chromium_binary().empty(), "chromium not found: scripts/install-deps.sh --with-tests installs it");
    // Every snapshot has one more exchange than the last: the page is rendered with 1, the
    // first poll of report.json sees 2, so the script fetches the page again (3) and swaps it in.
    std::atomic<std::uint64_t> calls{0};
    cproxy::admin::AdminOptions options;
    options.refresh_seconds = 1;
    AdminServer server(options, [&] {
        cproxy::report::ReportSnapshot s;
        s.exchanges = ++calls;
        return s;
    });
    const auto dom = chromium_dump_dom(server.url(), {"--virtual-time-budget=5000"});
    INFO(dom.err);
    REQUIRE(dom.exit_status == 0);
    CHECK(dom.out.find("data-version=\"1:0\"") == std::string::npos);
    CHECK(calls.load() >= 3);
    CHECK(dom.out.find("id=\"report\"") != std::string::npos);
}

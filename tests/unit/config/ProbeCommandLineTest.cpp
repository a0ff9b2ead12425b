// `conformance-proxy probe`: its own flags, the proxy's flags it shares (fallthrough), and the
// CI-gate default of --fail-on.
#include "ConfigTestSupport.hpp"

using namespace cproxy::config;
using namespace cproxy::config::test;

TEST_CASE("probe: route sources, headers and bounds; the proxy's --upstream and --findings apply") {
    auto parsed = parse({"probe", "--upstream", "http://127.0.0.1:3000", "--routes", "a.txt", "--routes", "b.txt",
                         "--har", "x.har", "--from-report", "report.json", "--from-admin", "http://127.0.0.1:9090",
                         "--header", "Authorization: Bearer t", "--header-file", "creds.txt", "--rate", "2.5",
                         "--max-requests", "40", "--timeout", "3", "--findings", "f.jsonl"});
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.command == Command::probe);
    CHECK(c.proxy.upstream->port == 3000);
    CHECK(c.probe.route_files == std::vector<std::string>{"a.txt", "b.txt"});
    CHECK(c.probe.har_files == std::vector<std::string>{"x.har"});
    CHECK(c.probe.report_files == std::vector<std::string>{"report.json"});
    CHECK(c.probe.admin_urls == std::vector<std::string>{"http://127.0.0.1:9090"});
    CHECK(c.probe.headers == std::vector<std::string>{"Authorization: Bearer t"});
    CHECK(c.probe.header_file == "creds.txt");
    CHECK(c.probe.rate == 2.5);
    CHECK(c.probe.max_requests == 40);
    CHECK(c.probe.timeout_seconds == 3);
    CHECK_FALSE(c.probe.unsafe_methods);
    CHECK(c.findings_path == "f.jsonl");
    CHECK(c.fail_on == "error");  // a CI gate, like lint
    CHECK(parse({"probe", "--routes", "a.txt", "--unsafe-methods", "--fail-on", "never"}).command_line.fail_on == "never");
    CHECK(parse({"probe", "--routes", "a.txt", "--unsafe-methods"}).command_line.probe.unsafe_methods);
}


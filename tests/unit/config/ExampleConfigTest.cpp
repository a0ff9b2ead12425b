// The files in config/ load, mean what their comments say, and document every key; the docs
// page lists every key and variable.
#include <cstdlib>

#include "ConfigTestSupport.hpp"

using namespace cproxy;
using namespace cproxy::config;
using namespace cproxy::config::test;

namespace {

std::filesystem::path source_dir() {
    if (const char* dir = std::getenv("CPROXY_SOURCE_DIR")) return dir;  // set by ctest
    return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

std::string read(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    REQUIRE_MESSAGE(file, "cannot read ", path.string());
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

check::Findings run(const check::Checker& checker, std::string_view method, std::string_view target) {
    check::Findings findings;
    checker.check_head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", check::RequestContext{method, target, true},
                       findings);
    return findings;
}

bool has(const check::Findings& findings, std::string_view id) {
    for (const auto& finding : findings)
        if (finding.rule->id == id) return true;
    return false;
}

}  // namespace

TEST_CASE("config/conformance-proxy.example.yaml loads and documents every key") {
    const auto path = (source_dir() / "config" / "conformance-proxy.example.yaml").string();
    const auto parsed = parse({"--config", path});
    INFO("stderr: ", parsed.err);
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.proxy.upstream);
    CHECK(c.admin == "127.0.0.1:9090");
    CHECK(c.proxy.max_request_body_bytes == 1ull << 30);
    CHECK(c.proxy.max_request_head_bytes == 32u << 10);
    CHECK_FALSE(c.rule_policy.enabled(*check::find_rule("retry-after-missing")));
    CHECK(c.rule_policy.level(*check::find_rule("413-missing-retry-after")) == check::Level::error);
    const check::Checker checker{c.rule_policy};
    CHECK_FALSE(has(run(checker, "GET", "/healthz"), "date-missing"));
    CHECK(has(run(checker, "POST", "/healthz"), "date-missing"));

    const auto text = read(path);
    for (const ConfigKey& key : config_keys()) {
        const auto leaf = std::string(key.path.substr(key.path.rfind('.') + 1));
        INFO("key not documented in the example: ", key.path);
        CHECK(text.find(leaf + ":") != std::string::npos);
        if (!key.flag.empty()) CHECK(text.find(std::string(key.flag)) != std::string::npos);
    }
    CHECK(text.find("CONFORMANCE_PROXY_RULES") != std::string::npos);
    CHECK(text.find("CONFORMANCE_PROXY_IGNORE") != std::string::npos);
}

TEST_CASE("config/ci.yaml: report mode, every report, fail on error, health checks ignored") {
    const auto path = (source_dir() / "config" / "ci.yaml").string();
    const auto parsed = parse({"--config", path, "--upstream", "http://localhost:3000"});
    INFO("stderr: ", parsed.err);
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.proxy.mode == proxy::Mode::report);
    CHECK(c.fail_on == "error");
    CHECK_FALSE(c.findings_path.empty());
    CHECK_FALSE(c.junit_path.empty());
    CHECK_FALSE(c.sarif_path.empty());
    CHECK_FALSE(c.html_path.empty());
    const check::Checker checker{c.rule_policy};
    CHECK_FALSE(has(run(checker, "GET", "/health"), "date-missing"));
    CHECK_FALSE(has(run(checker, "HEAD", "/health/ready"), "date-missing"));
    CHECK(has(run(checker, "GET", "/api/items"), "date-missing"));
}

TEST_CASE("docs/configuration.md names every key, flag and variable") {
    const auto text = read(source_dir() / "docs" / "configuration.md");
    for (const ConfigKey& key : config_keys()) {
        INFO("key: ", key.path);
        CHECK(text.find("`" + std::string(key.path) + "`") != std::string::npos);
        CHECK(text.find(env_name(key.path)) != std::string::npos);
        if (!key.flag.empty()) CHECK(text.find("`" + std::string(key.flag)) != std::string::npos);
    }
    for (const char* name : {"CONFORMANCE_PROXY_CONFIG", "CONFORMANCE_PROXY_RULES", "CONFORMANCE_PROXY_IGNORE"})
        CHECK(text.find(name) != std::string::npos);
}

TEST_CASE("--help teaches the config file, the variables and the precedence") {
    const auto parsed = parse({"--help"});
    CHECK(parsed.exit_code == 0);
    CHECK_CONTAINS(parsed.out, "--config");
    CHECK_CONTAINS(parsed.out, "CONFORMANCE_PROXY_");
    CHECK_CONTAINS(parsed.out, "flag > environment > file > default");
    CHECK_CONTAINS(parsed.out, "[timeouts.upstream]");
    CHECK_CONTAINS(parsed.out, "--admin");
    CHECK_CONTAINS(parsed.out, "--rule");
    CHECK_CONTAINS(parsed.out, "--ignore");
}

// flag > environment > file > default, key by key; rules merge per rule id, ignores add up.
#include "ConfigTestSupport.hpp"

using namespace cproxy;
using namespace cproxy::config;
using namespace cproxy::config::test;
using namespace std::chrono_literals;

namespace {
const std::string kFile =
    "mode: annotate\n"
    "fail_on: info\n"
    "listen: 127.0.0.1:7001\n"
    "timeouts:\n"
    "  upstream: 30\n"
    "log:\n"
    "  level: debug\n";
}

TEST_CASE("file beats default") {
    const auto parsed = parse_yaml(kFile);
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.proxy.mode == proxy::Mode::annotate);
    CHECK(c.proxy.listen_port == 7001);
    CHECK(c.proxy.upstream_response_timeout == 30s);
    CHECK(c.proxy.client_head_timeout == 10s);  // not in the file: default
    CHECK(c.log_format == "text");
}

TEST_CASE("environment beats file") {
    const auto parsed = parse_yaml(kFile, {}, {{"CONFORMANCE_PROXY_MODE", "enforce"},
                                              {"CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM", "20"}});
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.proxy.mode == proxy::Mode::enforce);
    CHECK(c.proxy.upstream_response_timeout == 20s);
    CHECK(c.fail_on == "info");  // only in the file
    CHECK(c.sources.at("mode") == "CONFORMANCE_PROXY_MODE");
    CHECK(c.sources.at("fail_on").find("config.yaml:2: fail_on") != std::string::npos);
}

TEST_CASE("flag beats environment beats file beats default, for several keys at once") {
    const Environment environment{{"CONFORMANCE_PROXY_MODE", "enforce"},
                                  {"CONFORMANCE_PROXY_LISTEN", "127.0.0.1:7002"},
                                  {"CONFORMANCE_PROXY_FAIL_ON", "warning"}};
    const auto parsed = parse_yaml(kFile, {"--mode", "report", "--upstream-timeout", "5"}, environment);
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.proxy.mode == proxy::Mode::report);               // flag > env > file
    CHECK(c.proxy.upstream_response_timeout == 5s);           // flag > file
    CHECK(c.proxy.listen_port == 7002);                       // env > file
    CHECK(c.fail_on == "warning");                            // env > file
    CHECK(c.log_level == "debug");                            // file > default
    CHECK(c.proxy.client_head_timeout == 10s);                // default
    CHECK(c.sources.at("mode") == "--mode");
    CHECK(c.sources.at("timeouts.upstream") == "--upstream-timeout");
    CHECK(c.sources.at("listen") == "CONFORMANCE_PROXY_LISTEN");
    CHECK_FALSE(c.sources.contains("timeouts.client_header"));
}

TEST_CASE("a flag given with its default value still beats the environment") {
    const auto parsed = parse({"--mode", "report", "--listen", "127.0.0.1:8080"},
                              {{"CONFORMANCE_PROXY_MODE", "enforce"}, {"CONFORMANCE_PROXY_LISTEN", "0.0.0.0:1"}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.mode == proxy::Mode::report);
    CHECK(parsed.command_line.proxy.listen_port == 8080);
}

TEST_CASE("an empty environment variable counts as not set") {
    const auto parsed = parse_yaml(kFile, {}, {{"CONFORMANCE_PROXY_MODE", ""}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.mode == proxy::Mode::annotate);
}

TEST_CASE("lists: the highest layer replaces the whole list") {
    const auto parsed = parse_yaml("allowed_destinations: [a.example, b.example]\n", {},
                                   {{"CONFORMANCE_PROXY_ALLOWED_DESTINATIONS", "c.example"}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.allowed_destinations == std::vector<std::string>{"c.example"});
    const auto flags = parse({"--allow-destination", "d.example", "--allow-destination", "e.example,f.example"},
                             {{"CONFORMANCE_PROXY_ALLOWED_DESTINATIONS", "c.example"}});
    REQUIRE(flags.ok());
    CHECK(flags.command_line.proxy.allowed_destinations ==
          std::vector<std::string>{"d.example", "e.example", "f.example"});
}

TEST_CASE("the config file comes from --config, else CONFORMANCE_PROXY_CONFIG") {
    TempDir dir;
    const auto from_env = dir.write("env.yaml", "mode: enforce\n");
    const auto from_flag = dir.write("flag.yaml", "mode: annotate\n");
    auto parsed = parse({}, {{"CONFORMANCE_PROXY_CONFIG", from_env}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.mode == proxy::Mode::enforce);
    CHECK(parsed.command_line.config_path == from_env);
    parsed = parse({"--config", from_flag}, {{"CONFORMANCE_PROXY_CONFIG", from_env}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.mode == proxy::Mode::annotate);
    CHECK(parsed.command_line.config_path == from_flag);
}

TEST_CASE("rules merge per rule id across layers; the highest layer wins for each id") {
    const auto parsed = parse_yaml("rules:\n  date-missing: off\n  405-missing-allow: info\n  obs-fold: warning\n",
                                   {"--rule", "obs-fold=info"},
                                   {{"CONFORMANCE_PROXY_RULES", "405-missing-allow=warning, 413-missing-retry-after=error"}});
    REQUIRE(parsed.ok());
    const auto& policy = parsed.command_line.rule_policy;
    CHECK_FALSE(policy.enabled(*check::find_rule("date-missing")));                              // file
    CHECK(policy.level(*check::find_rule("405-missing-allow")) == check::Level::warning);        // env > file
    CHECK(policy.level(*check::find_rule("413-missing-retry-after")) == check::Level::error);    // env
    CHECK(policy.level(*check::find_rule("obs-fold")) == check::Level::info);                    // flag > file
    CHECK(policy.level(*check::find_rule("date-syntax")) == check::Level::error);                // default
    CHECK(parsed.command_line.sources.at("rules.obs-fold") == "--rule");
}

TEST_CASE("a rule turned off in the file can be turned back on by a higher layer") {
    const auto parsed = parse_yaml("rules: {date-missing: off}\n", {}, {{"CONFORMANCE_PROXY_RULES", "date-missing=warning"}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.rule_policy.enabled(*check::find_rule("date-missing")));
}

TEST_CASE("ignore entries of every layer add up") {
    const auto parsed = parse_yaml("ignore:\n  - rule: date-missing\n    path: /health*\n",
                                   {"--ignore", "obs-fold=POST /upload"},
                                   {{"CONFORMANCE_PROXY_IGNORE", "retry-after-missing=GET|HEAD /slow*"}});
    REQUIRE(parsed.ok());
    const auto ignores = parsed.command_line.rule_policy.ignores();
    REQUIRE(ignores.size() == 3);
    CHECK(ignores[0].rule->id == "date-missing");
    CHECK(ignores[0].path == "/health*");
    CHECK(ignores[0].methods.empty());
    CHECK(ignores[1].rule->id == "retry-after-missing");
    CHECK(ignores[1].methods == std::vector<std::string>{"GET", "HEAD"});
    CHECK(ignores[1].path == "/slow*");
    CHECK(ignores[2].rule->id == "obs-fold");
    CHECK(ignores[2].methods == std::vector<std::string>{"POST"});
}

TEST_CASE("lint fails on error findings unless some layer sets fail_on") {
    auto parsed = parse({"lint", "capture.http"});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.command == Command::lint);
    CHECK(parsed.command_line.lint_input == "capture.http");
    CHECK(parsed.command_line.fail_on == "error");
    parsed = parse({"lint", "capture.http"}, {{"CONFORMANCE_PROXY_FAIL_ON", "never"}});
    CHECK(parsed.command_line.fail_on == "never");
    parsed = parse({"lint", "capture.http", "--fail-on", "warning"});
    CHECK(parsed.command_line.fail_on == "warning");
    parsed = parse_yaml("fail_on: info\n", {"lint", "-"});
    CHECK(parsed.command_line.fail_on == "info");
}

TEST_CASE("lint takes the top-level flags after its file too") {
    TempDir dir;
    const auto file = dir.write("c.yaml", "rules: {date-missing: off}\n");
    const auto parsed = parse({"lint", "capture.http", "--config", file, "--junit", "j.xml", "--findings", "f.jsonl"});
    INFO(parsed.err);
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.junit_path == "j.xml");
    CHECK(parsed.command_line.findings_path == "f.jsonl");
    CHECK_FALSE(parsed.command_line.rule_policy.enabled(*check::find_rule("date-missing")));
}

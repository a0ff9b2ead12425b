// Every key of the configuration, set once from the YAML file and once from the environment,
// lands in the CommandLine. A key added to the table without a sample here fails the
// coverage test below.
#include <functional>
#include <set>

#include "ConfigTestSupport.hpp"

using namespace cproxy;
using namespace cproxy::config;
using namespace cproxy::config::test;
using namespace std::chrono_literals;

namespace {

struct Sample {
    std::string key;
    std::string yaml;  // value as written in YAML
    std::string env;   // value as written in the environment
    std::function<bool(const CommandLine&)> holds;
};

// Files the file-valued keys need: an htpasswd file, a CA bundle, a certificate and its key.
struct SampleFiles {
    TempDir dir;
    std::string htpasswd = dir.write("htpasswd", "alice:{SHA}fEqNCco3Yq9h5ZUglD3CZJT4lBs=\n");
    std::string ca = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    std::string cert = dir.write("server.pem", "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
    std::string key = dir.write("server.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
};

std::vector<Sample> samples(const SampleFiles& files) {
    const std::string htpasswd = files.htpasswd, ca = files.ca, cert = files.cert, key = files.key;
    return {
        {"listen", "0.0.0.0:9999", "0.0.0.0:9999",
         [](const CommandLine& c) { return c.proxy.listen_host == "0.0.0.0" && c.proxy.listen_port == 9999; }},
        {"upstream", "http://api.internal:3000", "http://api.internal:3000",
         [](const CommandLine& c) {
             return c.proxy.upstream && c.proxy.upstream->host == "api.internal" && c.proxy.upstream->port == 3000;
         }},
        {"upstream_ca", ca, ca, [ca](const CommandLine& c) { return c.proxy.upstream_ca_file == ca; }},
        {"upstream_insecure", "true", "true", [](const CommandLine& c) { return c.proxy.upstream_insecure; }},
        {"tls.cert", cert, cert, [cert](const CommandLine& c) { return c.proxy.tls_cert_file == cert; }},
        {"tls.key", key, key, [key](const CommandLine& c) { return c.proxy.tls_key_file == key; }},
        {"mode", "enforce", "enforce", [](const CommandLine& c) { return c.proxy.mode == proxy::Mode::enforce; }},
        {"fail_on", "warning", "warning", [](const CommandLine& c) { return c.fail_on == "warning"; }},
        {"openapi", "api/openapi.yaml", "api/openapi.yaml", [](const CommandLine& c) { return c.openapi_path == "api/openapi.yaml"; }},
        {"fail_on_coverage", "80", "80", [](const CommandLine& c) { return c.fail_on_coverage == 80u; }},
        {"findings", "out/f.jsonl", "out/f.jsonl", [](const CommandLine& c) { return c.findings_path == "out/f.jsonl"; }},
        {"junit", "out/j.xml", "out/j.xml", [](const CommandLine& c) { return c.junit_path == "out/j.xml"; }},
        {"html", "out/r.html", "out/r.html", [](const CommandLine& c) { return c.html_path == "out/r.html"; }},
        {"sarif", "out/r.sarif", "out/r.sarif", [](const CommandLine& c) { return c.sarif_path == "out/r.sarif"; }},
        {"report_json", "out/r.json", "out/r.json", [](const CommandLine& c) { return c.report_json_path == "out/r.json"; }},
        {"baseline", htpasswd, htpasswd, [htpasswd](const CommandLine& c) { return c.baseline_path == htpasswd; }},
        {"github_annotations", "true", "true", [](const CommandLine& c) { return c.github_annotations; }},
        {"silence_header", "X-Expect-Findings", "X-Expect-Findings",
         [](const CommandLine& c) { return c.proxy.silence_field == "X-Expect-Findings"; }},
        {"admin", "127.0.0.1:9090", "127.0.0.1:9090", [](const CommandLine& c) { return c.admin == "127.0.0.1:9090"; }},
        {"threads", "3", "3", [](const CommandLine& c) { return c.proxy.threads == 3; }},
        {"allowed_destinations", "[api.example.com, '*.cdn.example.com:443']", "api.example.com, *.cdn.example.com:443",
         [](const CommandLine& c) {
             return c.proxy.allowed_destinations == std::vector<std::string>{"api.example.com", "*.cdn.example.com:443"};
         }},
        {"forwarded", "forwarded", "forwarded",
         [](const CommandLine& c) { return c.proxy.forwarded == proxy::ForwardedStyle::forwarded; }},
        {"preserve_host", "false", "false", [](const CommandLine& c) { return !c.proxy.preserve_host; }},
        {"forward_underscore_fields", "true", "true",
         [](const CommandLine& c) { return c.proxy.forward_underscore_fields; }},
        {"log.level", "debug", "debug", [](const CommandLine& c) { return c.log_level == "debug"; }},
        {"log.format", "json", "json", [](const CommandLine& c) { return c.log_format == "json"; }},
        {"auth.htpasswd", htpasswd, htpasswd, [htpasswd](const CommandLine& c) { return c.auth_htpasswd == htpasswd; }},
        {"auth.realm", "staging api", "staging api", [](const CommandLine& c) { return c.auth_realm == "staging api"; }},
        {"auth.throttle_failures", "3", "3", [](const CommandLine& c) { return c.auth_throttle_failures == 3; }},
        {"auth.throttle_window", "7", "7", [](const CommandLine& c) { return c.auth_throttle_window == 7s; }},
        {"auth.throttle_period", "2", "2", [](const CommandLine& c) { return c.auth_throttle_period == 2s; }},
        {"auth.cache_ttl", "0", "0", [](const CommandLine& c) { return c.auth_cache_ttl == 0s; }},
        {"limits.max_body_size", "2MiB", "2MiB",
         [](const CommandLine& c) { return c.proxy.max_request_body_bytes == 2u << 20; }},
        {"limits.max_header_size", "16384", "16384",
         [](const CommandLine& c) { return c.proxy.max_request_head_bytes == 16384; }},
        {"limits.max_chunk_extension_size", "1KiB", "1KiB",
         [](const CommandLine& c) { return c.proxy.max_chunk_extension_bytes == 1024; }},
        {"limits.max_response_header_size", "128KiB", "128KiB",
         [](const CommandLine& c) { return c.proxy.max_response_head_bytes == 128u << 10; }},
        {"limits.inspect_body_limit", "0", "0", [](const CommandLine& c) { return c.proxy.inspect_body_limit == 0; }},
        {"limits.history_resources", "500", "500",
         [](const CommandLine& c) { return c.proxy.history_resources == 500; }},
        {"limits.upstream_idle_connections", "7", "7",
         [](const CommandLine& c) { return c.proxy.upstream_max_idle_per_thread == 7; }},
        {"limits.upstream_max_connections", "3", "3",
         [](const CommandLine& c) { return c.proxy.upstream_max_connections == 3; }},
        {"timeouts.client_header", "2.5", "2.5",
         [](const CommandLine& c) { return c.proxy.client_head_timeout == 2500ms; }},
        {"timeouts.client_idle", "11", "11", [](const CommandLine& c) { return c.proxy.client_idle_timeout == 11s; }},
        {"timeouts.upstream_connect", "3", "3",
         [](const CommandLine& c) { return c.proxy.upstream_connect_timeout == 3s; }},
        {"timeouts.upstream", "45", "45",
         [](const CommandLine& c) { return c.proxy.upstream_response_timeout == 45s; }},
        {"timeouts.upstream_idle", "12", "12",
         [](const CommandLine& c) { return c.proxy.upstream_idle_timeout == 12s; }},
        {"timeouts.io", "13", "13", [](const CommandLine& c) { return c.proxy.io_timeout == 13s; }},
        {"timeouts.drain", "4", "4", [](const CommandLine& c) { return c.proxy.drain_timeout == 4s; }},
    };
}

// "a.b: v" entries grouped into sections.
std::string yaml_of(const std::vector<Sample>& all) {
    std::map<std::string, std::vector<const Sample*>> sections;
    std::string yaml;
    for (const auto& sample : all) {
        const auto dot = sample.key.find('.');
        if (dot == std::string::npos) yaml += sample.key + ": " + sample.yaml + "\n";
        else sections[sample.key.substr(0, dot)].push_back(&sample);
    }
    for (const auto& [section, entries] : sections) {
        yaml += section + ":\n";
        for (const Sample* sample : entries) yaml += "  " + sample->key.substr(section.size() + 1) + ": " + sample->yaml + "\n";
    }
    return yaml;
}

}  // namespace

TEST_CASE("the samples cover every configuration key") {
    std::set<std::string> sampled{"demo"};  // demo excludes upstream: tested on its own below
    const SampleFiles files;
    for (const auto& sample : samples(files)) sampled.insert(sample.key);
    for (const ConfigKey& key : config_keys()) {
        INFO("key without a sample: ", key.path);
        CHECK(sampled.contains(std::string(key.path)));
    }
}

TEST_CASE("every key from the YAML file") {
    const SampleFiles files;
    const auto all = samples(files);
    const auto parsed = parse_yaml(yaml_of(all));
    INFO("stderr: ", parsed.err);
    REQUIRE(parsed.ok());
    for (const auto& sample : all) {
        INFO("key: ", sample.key);
        CHECK(sample.holds(parsed.command_line));
        CHECK_CONTAINS(parsed.command_line.sources.at(sample.key), "config.yaml:");
    }
}

TEST_CASE("every key from the environment") {
    const SampleFiles files;
    const auto all = samples(files);
    Environment environment;
    for (const auto& sample : all) environment[env_name(sample.key)] = sample.env;
    const auto parsed = parse({}, environment);
    INFO("stderr: ", parsed.err);
    REQUIRE(parsed.ok());
    for (const auto& sample : all) {
        INFO("key: ", sample.key);
        CHECK(sample.holds(parsed.command_line));
        CHECK(parsed.command_line.sources.at(sample.key) == env_name(sample.key));
    }
}

TEST_CASE("environment variable names follow the key paths") {
    CHECK(env_name("upstream") == "CONFORMANCE_PROXY_UPSTREAM");
    CHECK(env_name("fail_on") == "CONFORMANCE_PROXY_FAIL_ON");
    CHECK(env_name("auth.htpasswd") == "CONFORMANCE_PROXY_AUTH_HTPASSWD");
    CHECK(env_name("timeouts.upstream") == "CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM");
    std::set<std::string> names;
    for (const ConfigKey& key : config_keys()) CHECK(names.insert(env_name(key.path)).second);
}

TEST_CASE("demo from each source") {
    CHECK(parse_yaml("demo: true\n").command_line.demo);
    CHECK(parse({}, {{"CONFORMANCE_PROXY_DEMO", "yes"}}).command_line.demo);
    CHECK(parse({"--demo"}).command_line.demo);
    CHECK_FALSE(parse({}).command_line.demo);
}

TEST_CASE("defaults when nothing is configured") {
    const auto parsed = parse({});
    REQUIRE(parsed.ok());
    const auto& c = parsed.command_line;
    CHECK(c.proxy.listen_host == "127.0.0.1");
    CHECK(c.proxy.listen_port == 8080);
    CHECK_FALSE(c.proxy.upstream);
    CHECK(c.proxy.mode == proxy::Mode::report);
    CHECK(c.fail_on == "never");
    CHECK(c.admin.empty());
    CHECK(c.proxy.client_head_timeout == 10s);
    CHECK(c.proxy.upstream_response_timeout == 60s);
    CHECK(c.sources.empty());
    CHECK(c.config_path.empty());
    for (const check::Rule* rule : check::all_rules()) {
        CHECK(c.rule_policy.enabled(*rule));
        CHECK(c.rule_policy.level(*rule) == rule->level);
    }
    CHECK(c.rule_policy.ignores().empty());
}

TEST_CASE("every flag sets its key") {
    const SampleFiles files;
    const auto all = samples(files);
    std::vector<std::string> args;
    std::size_t flagged = 0;
    for (const auto& sample : all) {
        const ConfigKey* key = find_config_key(sample.key);
        REQUIRE(key);
        if (key->flag.empty()) continue;
        ++flagged;
        args.emplace_back(key->flag);
        if (key->expected != "true or false") args.push_back(sample.env);  // switches take no value
    }
    const auto parsed = parse(args);
    INFO("stderr: ", parsed.err);
    REQUIRE(parsed.ok());
    for (const auto& sample : all) {
        const ConfigKey* key = find_config_key(sample.key);
        if (key->flag.empty()) continue;
        INFO("key: ", sample.key);
        CHECK(sample.holds(parsed.command_line));
        CHECK(parsed.command_line.sources.at(sample.key) == key->flag);
    }
    CHECK(flagged >= 23);
}

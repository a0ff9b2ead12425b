// A bad configuration is a start-up error that says where (file:line and key path, variable
// or flag) and what is allowed. Unknown keys and rule ids are errors with a suggestion.
#include "ConfigTestSupport.hpp"

using namespace cproxy::config;
using namespace cproxy::config::test;

TEST_CASE("a bad value in the file names file, line, key path, what is allowed and what was seen") {
    const auto err = yaml_error("mode: report\ntimeouts:\n  upstream: soon\n");
    CHECK_CONTAINS(err, "conformance-proxy: config.yaml:3: timeouts.upstream: expected a positive number of seconds");
    CHECK_CONTAINS(err, "got \"soon\"");
    CHECK_CONTAINS(err, "docs/configuration.md");
}

TEST_CASE("each kind of value refuses what it cannot use, naming the key") {
    struct Case {
        const char* yaml;
        const char* expected;
    };
    const Case cases[] = {
        {"mode: strict\n", "config.yaml:1: mode: expected report, annotate or enforce, got \"strict\""},
        {"fail_on: errors\n", "fail_on: expected error, warning, info or never, got \"errors\""},
        {"listen: localhost\n", "listen: expected HOST:PORT"},
        {"listen: 127.0.0.1:99999\n", "listen: expected HOST:PORT with a port 0-65535, got \"127.0.0.1:99999\""},
        {"admin: nine\n", "admin: expected HOST:PORT"},
        {"upstream: ftp://x\n", "upstream: \"ftp://x\": scheme must be http or https"},
        {"upstream: not a url\n", "upstream: expected a URL such as http://localhost:3000"},
        {"demo: maybe\n", "demo: expected true or false, got \"maybe\""},
        {"threads: -1\n", "threads: expected a whole number 0-1024"},
        {"threads: 4.5\n", "threads: expected a whole number 0-1024"},
        {"limits:\n  max_body_size: 1TB\n", "config.yaml:2: limits.max_body_size: expected a size in bytes"},
        {"limits:\n  max_header_size: 0\n", "limits.max_header_size: expected a size in bytes up to 64MiB"},
        {"limits:\n  max_header_size: 1GiB\n", "limits.max_header_size: expected a size in bytes up to 64MiB"},
        {"timeouts:\n  drain: -3\n", "timeouts.drain: expected a positive number of seconds"},
        {"timeouts:\n  io: 0\n", "timeouts.io: expected a positive number of seconds"},
        {"log:\n  level: verbose\n", "log.level: expected trace, debug, info, warn, error or off, got \"verbose\""},
        {"log:\n  format: xml\n", "log.format: expected text or json, got \"xml\""},
        {"auth:\n  htpasswd: /nonexistent/htpasswd\n",
         "auth.htpasswd: expected a readable htpasswd file, got \"/nonexistent/htpasswd\": no such file"},
        {"auth:\n  realm: 'a \"b\"'\n", "auth.realm: expected a non-empty text without double quotes"},
        {"findings: ''\n", "findings: expected a file path, got \"\""},
        {"forwarded: both\n", "forwarded: expected x-forwarded, forwarded or none"},
        {"preserve_host: sometimes\n", "preserve_host: expected true or false"},
        {"allowed_destinations: ['a b']\n", "allowed_destinations: expected host, host:port or *.domain patterns"},
    };
    for (const auto& c : cases) CHECK_CONTAINS(yaml_error(c.yaml), c.expected);
}

TEST_CASE("TLS settings: https upstreams, a CA file that holds certificates, cert and key together") {
    TempDir dir;
    const auto key = dir.write("server.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
    const auto cert = dir.write("server.pem", "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
    auto parsed = parse({"--upstream", "https://api.example.com"});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.upstream->scheme == "https");
    CHECK(parsed.command_line.proxy.upstream->port == 443);
    parsed = parse({"--upstream-ca", key});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "--upstream-ca: expected a PEM file of CA certificates");
    CHECK_CONTAINS(parsed.err, "holds no PEM certificate");
    parsed = parse({"--tls-cert", cert});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "--tls-cert: a TLS listener needs both tls.cert and tls.key; also set --tls-key");
    parsed = parse({}, {{"CONFORMANCE_PROXY_TLS_KEY", key}});
    CHECK_CONTAINS(parsed.err, "CONFORMANCE_PROXY_TLS_KEY: a TLS listener needs both");
    parsed = parse({"--tls-cert", dir.path("missing.pem"), "--tls-key", key});
    CHECK_CONTAINS(parsed.err, "--tls-cert: expected a readable PEM certificate chain file");
    parsed = parse({"--upstream-insecure"}, {{"CONFORMANCE_PROXY_UPSTREAM_INSECURE", "false"}});
    REQUIRE(parsed.ok());
    CHECK(parsed.command_line.proxy.upstream_insecure);  // the switch beats the variable
}

TEST_CASE("the wrong YAML shape names the key") {
    CHECK_CONTAINS(yaml_error("mode: [report, enforce]\n"), "config.yaml:1: mode: expected report, annotate or enforce, got a list");
    CHECK_CONTAINS(yaml_error("upstream: {host: x}\n"), "upstream: expected an http:// or https:// URL such as http://localhost:3000, got a mapping");
    CHECK_CONTAINS(yaml_error("timeouts: 5\n"), "config.yaml:1: timeouts: expected a mapping of client_header, client_idle");
    CHECK_CONTAINS(yaml_error("rules: [date-missing]\n"), "rules: expected a mapping of rule id to error, warning, info or off, got a list");
    CHECK_CONTAINS(yaml_error("ignore: {rule: date-missing}\n"), "ignore: expected a list of {rule, path, methods} entries");
    CHECK_CONTAINS(yaml_error("- listen\n- upstream\n"), "config.yaml:1: expected a mapping of keys (key: value), got a list");
    CHECK_CONTAINS(yaml_error("mode: report\nmode: enforce\n"), "config.yaml:2: mode: key given twice");
}

TEST_CASE("a file that is not YAML, or missing, is an error naming the file") {
    CHECK_CONTAINS(yaml_error("mode: [report\n"), "config.yaml:");
    CHECK_CONTAINS(yaml_error("mode: [report\n"), "not valid YAML");
    const auto parsed = parse({"--config", "/nonexistent/conformance.yaml"});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "/nonexistent/conformance.yaml: cannot read the config file");
}

TEST_CASE("unknown keys are errors with the closest known key and the allowed ones") {
    const auto top = yaml_error("upstreem: http://localhost:3000\n");
    CHECK_CONTAINS(top, "config.yaml:1: upstreem: unknown key; did you mean \"upstream\"?");
    CHECK_CONTAINS(top, "allowed: listen, upstream");
    const auto nested = yaml_error("timeouts:\n  upstrem: 5\n");
    CHECK_CONTAINS(nested, "config.yaml:2: timeouts.upstrem: unknown key; did you mean \"upstream\"?");
    CHECK_CONTAINS(nested, "allowed in timeouts: client_header, client_idle, upstream_connect, upstream");
    const auto far = yaml_error("colour: blue\n");
    CHECK_CONTAINS(far, "colour: unknown key (allowed:");
    CHECK_CONTAINS(yaml_error("ignore:\n  - rule: date-missing\n    paths: /x\n"),
                   "config.yaml:3: ignore[0].paths: unknown key; did you mean \"path\"?");
}

TEST_CASE("unknown rule ids are errors with the closest id") {
    CHECK_CONTAINS(yaml_error("rules:\n  date-mising: off\n"),
                   "config.yaml:2: rules.date-mising: unknown rule id \"date-mising\"; did you mean \"date-missing\"?");
    CHECK_CONTAINS(yaml_error("rules:\n  413-missing-retry: error\n"), "did you mean \"413-missing-retry-after\"?");
    CHECK_CONTAINS(yaml_error("ignore:\n  - rule: obs-folding\n"),
                   "config.yaml:2: ignore[0].rule: unknown rule id \"obs-folding\"; did you mean \"obs-fold\"?");
    CHECK_CONTAINS(yaml_error("rules:\n  date-missing: loud\n"),
                   "rules.date-missing: expected error, warning, info or off, got \"loud\"");
}

TEST_CASE("ignore entries: rule required, paths start with / or *, methods in upper case") {
    CHECK_CONTAINS(yaml_error("ignore:\n  - path: /health*\n"), "config.yaml:2: ignore[0]: missing \"rule\"");
    CHECK_CONTAINS(yaml_error("ignore:\n  - rule: date-missing\n    path: health*\n"),
                   "ignore[0].path: expected a path glob starting with '/' or '*', e.g. /health*, got \"health*\"");
    CHECK_CONTAINS(yaml_error("ignore:\n  - rule: date-missing\n    methods: [get]\n"),
                   "ignore[0].methods: methods are case-sensitive: write \"GET\", not \"get\"");
    CHECK_CONTAINS(yaml_error("ignore:\n  - rule: date-missing\n    methods: ['GE T']\n"),
                   "ignore[0].methods: expected an HTTP method such as GET");
}

TEST_CASE("a bad environment value names the variable") {
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM", "soon"}}),
                   "conformance-proxy: CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM: expected a positive number of seconds, e.g. "
                   "30 or 0.5, got \"soon\"");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_MODE", "strict"}}),
                   "CONFORMANCE_PROXY_MODE: expected report, annotate or enforce, got \"strict\"");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_UPSTREAM", "localhost:3000"}}), "CONFORMANCE_PROXY_UPSTREAM: ");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_AUTH_HTPASSWD", "/nonexistent"}}),
                   "CONFORMANCE_PROXY_AUTH_HTPASSWD: expected a readable htpasswd file");
}

TEST_CASE("unknown CONFORMANCE_PROXY_ variables are errors with the closest name") {
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_UPSTREEM", "http://x"}}),
                   "CONFORMANCE_PROXY_UPSTREEM: unknown variable; did you mean \"CONFORMANCE_PROXY_UPSTREAM\"?");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_TIMEOUT_UPSTREAM", "5"}}),
                   "did you mean \"CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM\"?");
    // Variables without the prefix are none of our business.
    CHECK(parse({}, {{"HTTP_PROXY", "x"}, {"CONFORMANCE_PROXYX", "y"}}).ok());
}

TEST_CASE("CONFORMANCE_PROXY_RULES and _IGNORE: bad entries name the variable") {
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_RULES", "date-missing=off,date-mising=off"}}),
                   "CONFORMANCE_PROXY_RULES: unknown rule id \"date-mising\"; did you mean \"date-missing\"?");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_RULES", "date-missing"}}),
                   "CONFORMANCE_PROXY_RULES: expected RULE=LEVEL with LEVEL error, warning, info or off");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_RULES", "date-missing=loud"}}),
                   "CONFORMANCE_PROXY_RULES: expected error, warning, info or off, got \"loud\"");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_IGNORE", "date-missing"}}),
                   "CONFORMANCE_PROXY_IGNORE: expected RULE=PATH or RULE=METHOD|METHOD PATH");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_IGNORE", "date-missing=get /health"}}),
                   "CONFORMANCE_PROXY_IGNORE: methods are case-sensitive");
    CHECK_CONTAINS(env_error({{"CONFORMANCE_PROXY_IGNORE", "date-missing=health"}}),
                   "CONFORMANCE_PROXY_IGNORE: expected a path glob starting with '/' or '*'");
}

TEST_CASE("a bad flag value names the flag") {
    auto parsed = parse({"--upstream-timeout", "soon"});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "--upstream-timeout: expected a positive number of seconds");
    parsed = parse({"--rule", "date-mising=off"});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "--rule: unknown rule id \"date-mising\"; did you mean \"date-missing\"?");
    parsed = parse({"--max-body-size", "lots"});
    CHECK_CONTAINS(parsed.err, "--max-body-size: expected a size in bytes");
    parsed = parse({"--upstream", "http://x/prefix"});
    CHECK_CONTAINS(parsed.err, "--upstream: \"http://x/prefix\": a path prefix is not supported");
}

TEST_CASE("a bad value is an error even when a higher layer overrides it") {
    // The file is checked as a whole: a broken file fails start-up whatever the flags say.
    const auto parsed = parse_yaml("mode: strict\n", {"--mode", "report"});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "mode: expected report, annotate or enforce");
}

TEST_CASE("demo and upstream together name both origins") {
    const auto parsed = parse_yaml("upstream: http://localhost:3000\n", {"--demo"});
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "conformance-proxy: --demo and /");  // then the file's temporary path
    CHECK_CONTAINS(parsed.err, "config.yaml:1: upstream: demo starts its own upstream");
}

TEST_CASE("closest_match only suggests plausible typos") {
    const std::vector<std::string> names{"listen", "upstream", "mode"};
    CHECK(closest_match("upstraem", names) == "upstream");
    CHECK(closest_match("mdoe", names) == "mode");
    CHECK(closest_match("colour", names).empty());
    CHECK(closest_match("x", names).empty());
    CHECK(rule_suggestion("content-lenght-invalid") == "; did you mean \"content-length-invalid\"?");
}

TEST_CASE("every usage error exits 2, also the ones CLI11 itself refuses") {
    auto parsed = parse({"rules", "--format", "yaml"});  // outside the option's set: CLI11 says 105
    CHECK(parsed.exit_code == 2);
    CHECK_CONTAINS(parsed.err, "--format");
    parsed = parse({"--no-such-flag"});
    CHECK(parsed.exit_code == 2);
    parsed = parse({"--help"});
    CHECK(parsed.exit_code == 0);
}

#pragma once
// The command line: `conformance-proxy [proxy flags]`, `conformance-proxy rules`,
// `conformance-proxy lint FILE`. Flags (CLI11), CONFORMANCE_PROXY_* environment variables and
// the YAML file of --config are merged (flag > env > file > default, see Configuration.hpp)
// into one validated struct, before any socket opens.
#include <chrono>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/proxy/ProxyOptions.hpp"

namespace cproxy::config {

enum class Command { proxy, rules, lint, probe, baseline_create, baseline_update, diff, report_merge };

// `conformance-proxy probe`: where the routes come from, what may be sent, how fast.
struct ProbeSettings {
    std::vector<std::string> route_files;   // --routes: one origin-form target per line
    std::vector<std::string> har_files;     // --har: the request URLs of a HAR file
    std::vector<std::string> report_files;  // --from-report: an earlier run's report.json
    std::vector<std::string> admin_urls;    // --from-admin: a running proxy's admin server
    std::vector<std::string> headers;       // --header 'Name: value' (credentials: never written out)
    std::string header_file;                // --header-file: one 'Name: value' per line
    bool unsafe_methods = false;            // --unsafe-methods: PUT/PATCH/DELETE probes too
    double rate = 10;                       // --rate: requests per second at most
    std::uint64_t max_requests = 10'000;    // --max-requests
    double timeout_seconds = 10;            // --timeout: per request
};

struct CommandLine {
    Command command = Command::proxy;
    proxy::ProxyOptions proxy;
    bool demo = false;
    std::string log_level = "info";
    std::string log_format = "text";
    std::string findings_path;  // JSON Lines, empty = none
    std::string junit_path, html_path, sarif_path;
    std::string fail_on = "never";
    std::string lint_input;     // lint FILE ("-" = stdin)
    ProbeSettings probe;
    std::string lint_format = "text";   // lint --format text|github
    std::string report_json_path;       // --report-json: the report as JSON at shutdown
    std::string baseline_path;          // --baseline: fail only on findings not in it
    bool github_annotations = false;    // --github-annotations: workflow commands on stdout at the end
    // baseline create|update --from FILE -o FILE; diff OLD NEW [--format]; report merge FILE... -o FILE
    std::string from_path, output_path;
    std::vector<std::string> inputs;
    std::string diff_format = "text";   // text|json|markdown|github
    std::string rules_format = "text";  // rules --format text|json|markdown
    std::string auth_htpasswd;  // empty = no proxy authentication
    std::string auth_realm = "conformance-proxy";
    unsigned auth_throttle_failures = 10;  // wrong passwords within the window that throttle; 0 = off
    std::chrono::seconds auth_throttle_window{60};
    std::chrono::seconds auth_throttle_period{60};  // how long a throttled address waits (429)
    std::chrono::seconds auth_cache_ttl{300};       // 0 = no cache of successful verifications
    std::string openapi_path;   // --openapi FILE: the API description; empty = no contract rules
    std::optional<unsigned> fail_on_coverage;  // --fail-on-coverage PERCENT (needs --openapi)
    std::string admin;          // admin server "HOST:PORT"; empty = off
    // Rule levels, disabled rules and scoped ignores (config `rules:` and `ignore:`): pass it
    // to the check::Checker.
    check::RulePolicy rule_policy;
    std::string config_path;    // the YAML file read, empty = none
    // Key path ("timeouts.upstream", "rules.date-missing") -> where its value in effect came
    // from ("config.yaml:12: timeouts.upstream", "CONFORMANCE_PROXY_MODE", "--mode"). Keys at
    // their defaults are absent.
    std::map<std::string, std::string> sources;
};

// Parses argv, the CONFORMANCE_PROXY_* variables of the process environment and the config
// file. On --help or an error, prints (help to stdout, error to stderr) and returns the exit
// code to use; otherwise returns nullopt and fills out.
std::optional<int> parse_command_line(int argc, const char* const* argv, CommandLine& out);
// The same with the environment and the streams given (tests). args[0] is the program name.
std::optional<int> parse_command_line(const std::vector<std::string>& args,
                                      const std::map<std::string, std::string>& environment, CommandLine& out,
                                      std::ostream& help_out, std::ostream& error_out);

// "http://host:port" -> UpstreamTarget; throws std::invalid_argument with a clear message
// (which does not name the flag: the caller prefixes where the value came from).
proxy::UpstreamTarget parse_upstream_url(const std::string& url);
// "HOST:PORT" or "[v6]:PORT" -> (host, port); throws std::invalid_argument.
std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& text);

}  // namespace cproxy::config

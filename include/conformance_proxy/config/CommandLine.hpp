#pragma once
// The command line: `conformance-proxy [proxy flags]`, `conformance-proxy rules`,
// `conformance-proxy lint FILE`. Parsed by CLI11 into one validated struct.
#include <optional>
#include <string>
#include <vector>

#include "conformance_proxy/proxy/ProxyOptions.hpp"

namespace cproxy::config {

enum class Command { proxy, rules, lint };

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
    std::string auth_htpasswd;  // empty = no proxy authentication
    std::string auth_realm = "conformance-proxy";
};

// Parses argv. On --help or an error, prints (help to stdout, error to stderr) and
// returns the exit code to use; otherwise returns nullopt and fills out.
std::optional<int> parse_command_line(int argc, const char* const* argv, CommandLine& out);

// "http://host:port" -> UpstreamTarget; throws std::invalid_argument with a clear message.
proxy::UpstreamTarget parse_upstream_url(const std::string& url);
// "HOST:PORT" or "[v6]:PORT" -> (host, port); throws std::invalid_argument.
std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& text);

}  // namespace cproxy::config

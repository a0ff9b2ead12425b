#pragma once
// Configuration in layers: defaults < YAML file < CONFORMANCE_PROXY_* environment < flags.
//
// Every setting has one key path ("timeouts.upstream"), used verbatim in the YAML file; its
// environment variable is derived from it (CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM) and most keys
// also have a flag (--upstream-timeout). Each source is read into a ConfigLayer of raw text
// values that remember where they came from; apply_layers() then applies the layers in
// precedence order onto a default CommandLine, so a later layer simply overwrites an earlier
// one. Every value of every layer is validated on the way, and an error names its origin:
//   config.yaml:12: timeouts.upstream: expected a positive number of seconds, got "soon"
//   CONFORMANCE_PROXY_MODE: expected report, annotate or enforce, got "strict"
// See docs/configuration.md.
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/config/CommandLine.hpp"

namespace cproxy::config {

// A configuration problem, its message ready for the user (origin, key, what is allowed).
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kEnvPrefix = "CONFORMANCE_PROXY_";

// One setting the configuration knows.
struct ConfigKey {
    std::string_view path;      // YAML key path, e.g. "timeouts.upstream"
    std::string_view flag;      // e.g. "--upstream-timeout"; empty = file and environment only
    bool list;                  // a list: YAML sequence, comma-separated in the environment
    std::string_view expected;  // for messages and docs: "a positive number of seconds, e.g. 30 or 0.5"
    std::string_view default_text;  // for --help and docs: "60", "none", "off"
    std::string_view help;      // one line, for --help
    // Parses the values and stores them; throws std::invalid_argument("expected ..., got ...").
    // `what` is this key's `expected` text.
    void (*apply)(CommandLine& out, const std::vector<std::string>& values, std::string_view what);
};

// Every key, in the order of the example config.
std::span<const ConfigKey> config_keys() noexcept;
const ConfigKey* find_config_key(std::string_view path) noexcept;
// "timeouts.upstream" -> "CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM"
std::string env_name(std::string_view key_path);

// The closest candidate to `text` by edit distance, or "" when none is near enough to be
// a plausible typo.
std::string closest_match(std::string_view text, std::span<const std::string> candidates);
// " (did you mean \"date-missing\"?)" for an unknown rule id, or "" when nothing is close.
std::string rule_suggestion(std::string_view unknown_id);

// Raw values from one source. `origin` is what an error message starts with:
// "config.yaml:12: timeouts.upstream", "CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM", "--upstream-timeout".
struct Setting {
    const ConfigKey* key = nullptr;
    std::vector<std::string> values;
    std::string origin;
};
// rules: <id>: error|warning|info|off
struct RuleSetting {
    const check::Rule* rule = nullptr;
    std::optional<check::Level> level;  // nullopt = off
    std::string origin;
};
// ignore: - {rule: <id>, path: <glob>, methods: [<glob>...]}
struct IgnoreSetting {
    const check::Rule* rule = nullptr;
    std::vector<std::string> methods;  // empty = any method
    std::string path = "*";
    std::string origin;
};

struct ConfigLayer {
    std::vector<Setting> settings;
    std::vector<RuleSetting> rules;
    std::vector<IgnoreSetting> ignores;
};

// The YAML file. `name` is how errors call the file (its path as given). Throws ConfigError.
ConfigLayer parse_yaml_config(const std::string& text, const std::string& name);
ConfigLayer load_yaml_config(const std::string& path);

// Variables named CONFORMANCE_PROXY_*; others are not looked at.
using Environment = std::map<std::string, std::string>;
Environment process_environment();
// Every CONFORMANCE_PROXY_* variable except _CONFIG (which names the file). An empty value
// counts as not set; an unknown name is an error. Throws ConfigError.
ConfigLayer parse_environment(const Environment& environment);

// "date-missing=off", "413-missing-retry-after=error" (from --rule and CONFORMANCE_PROXY_RULES).
RuleSetting parse_rule_assignment(std::string_view text, const std::string& origin);
// "date-missing=/health*" or "date-missing=GET|HEAD /health*" (from --ignore and
// CONFORMANCE_PROXY_IGNORE).
IgnoreSetting parse_ignore_spec(std::string_view text, const std::string& origin);

// Applies the layers in order (lowest precedence first) onto `out`, which holds the defaults;
// for a scalar or list key the last layer that sets it wins, `rules` merge per rule id (last
// wins), `ignore` entries of all layers add up. Builds out.rule_policy. Throws ConfigError.
void apply_layers(std::span<const ConfigLayer* const> layers, CommandLine& out);

}  // namespace cproxy::config

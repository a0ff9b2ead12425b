// Reading the configuration sources into layers (YAML file, environment) and applying the
// layers in precedence order. Every error names where the bad value came from.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "conformance_proxy/config/Configuration.hpp"

extern char** environ;

namespace cproxy::config {

namespace {

[[noreturn]] void fail(const std::string& origin, const std::string& problem) {
    throw ConfigError(origin + ": " + problem);
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split_commas(std::string_view text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        if (auto item = trim(text.substr(start, comma - start)); !item.empty()) items.push_back(std::move(item));
        start = comma + 1;
    }
    return items;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters ("mdoe" -> "mode") cost one edit each; case is ignored.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    const auto same = [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

std::string did_you_mean(std::string_view text, const std::vector<std::string>& candidates) {
    const auto best = closest_match(text, candidates);
    return best.empty() ? std::string() : "; did you mean \"" + best + "\"?";
}

const check::Rule& known_rule(std::string_view id, const std::string& origin) {
    if (const check::Rule* rule = check::find_rule(id)) return *rule;
    fail(origin, "unknown rule id \"" + std::string(id) + "\"" + rule_suggestion(id) +
                     " (`conformance-proxy rules` lists every id)");
}

std::optional<check::Level> rule_level(std::string_view text, const std::string& origin) {
    if (text == "off") return std::nullopt;
    if (const auto level = check::parse_level(text)) return level;
    fail(origin, "expected error, warning, info or off, got \"" + std::string(text) + "\"");
}

// Path globs are matched against the request path, which always starts with '/'.
void check_path_glob(const std::string& path, const std::string& origin) {
    if (path.empty() || (path.front() != '/' && path.front() != '*'))
        fail(origin, "expected a path glob starting with '/' or '*', e.g. /health*, got \"" + path + "\"");
}

void check_method_glob(const std::string& method, const std::string& origin) {
    const bool token = !method.empty() && std::all_of(method.begin(), method.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~?").find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (!token) fail(origin, "expected an HTTP method such as GET (globs allowed), got \"" + method + "\"");
    if (std::any_of(method.begin(), method.end(), [](unsigned char c) { return std::islower(c); }))
        fail(origin, "methods are case-sensitive: write \"" + [&] {
            std::string upper = method;
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return upper;
        }() + "\", not \"" + method + "\"");
}

// ---- YAML ---------------------------------------------------------------------------------

class YamlReader {
public:
    explicit YamlReader(std::string name) : name_(std::move(name)) {}

    ConfigLayer read(const YAML::Node& root) {
        if (!root || root.IsNull()) return std::move(layer_);
        if (!root.IsMap()) fail(where(root, ""), "expected a mapping of keys (key: value), got " + shape(root));
        for_each_entry(root, "", [&](const std::string& name, const YAML::Node& value) {
            if (name == "rules") return read_rules(value);
            if (name == "ignore") return read_ignores(value);
            if (find_config_key(name)) return read_value(name, value);
            if (is_section(name)) {
                if (value.IsNull()) return;
                if (!value.IsMap())
                    fail(where(value, name), "expected a mapping of " + children_of(name) + ", got " + shape(value));
                for_each_entry(value, name, [&](const std::string& child, const YAML::Node& child_value) {
                    const std::string path = name + "." + child;
                    if (!find_config_key(path))
                        fail(where(child_value, path), "unknown key" + did_you_mean(child, child_names(name)) +
                                                           " (allowed in " + name + ": " + children_of(name) + ")");
                    read_value(path, child_value);
                });
                return;
            }
            fail(where(value, name),
                 "unknown key" + did_you_mean(name, top_level_names()) + " (allowed: " + join(top_level_names(), ", ") + ")");
        });
        return std::move(layer_);
    }

private:
    std::string where(const YAML::Node& node, const std::string& path) const {
        std::string origin = name_;
        if (node.Mark().line >= 0) origin += ":" + std::to_string(node.Mark().line + 1);
        return path.empty() ? origin : origin + ": " + path;
    }

    static std::string shape(const YAML::Node& node) {
        if (node.IsMap()) return "a mapping";
        if (node.IsSequence()) return "a list";
        if (node.IsNull()) return "nothing";
        return "\"" + node.Scalar() + "\"";
    }

    // Calls f(key, value) for each entry of a mapping, refusing non-scalar and repeated keys.
    template <class F>
    void for_each_entry(const YAML::Node& map, const std::string& parent, F&& f) {
        std::vector<std::string> seen;
        for (const auto& entry : map) {
            const std::string prefix = parent.empty() ? "" : parent + ".";
            if (!entry.first.IsScalar()) fail(where(entry.first, parent), "expected a plain key name, got " + shape(entry.first));
            const std::string name = entry.first.Scalar();
            if (std::find(seen.begin(), seen.end(), name) != seen.end())
                fail(where(entry.first, prefix + name), "key given twice");
            seen.push_back(name);
            f(name, entry.second);
        }
    }

    static bool is_section(std::string_view name) {
        for (const ConfigKey& key : config_keys())
            if (key.path.size() > name.size() && key.path.starts_with(name) && key.path[name.size()] == '.') return true;
        return false;
    }
    static std::vector<std::string> child_names(std::string_view section) {
        std::vector<std::string> names;
        for (const ConfigKey& key : config_keys())
            if (key.path.size() > section.size() && key.path.starts_with(section) && key.path[section.size()] == '.')
                names.emplace_back(key.path.substr(section.size() + 1));
        return names;
    }
    static std::string children_of(std::string_view section) { return join(child_names(section), ", "); }
    static std::vector<std::string> top_level_names() {
        std::vector<std::string> names;
        for (const ConfigKey& key : config_keys()) {
            std::string first(key.path.substr(0, key.path.find('.')));
            if (std::find(names.begin(), names.end(), first) == names.end()) names.push_back(first);
        }
        names.push_back("rules");
        names.push_back("ignore");
        return names;
    }

    void read_value(const std::string& path, const YAML::Node& value) {
        const ConfigKey& key = *find_config_key(path);
        if (value.IsNull()) return;  // "key:" with nothing after it: not set
        Setting setting{&key, {}, where(value, path)};
        if (value.IsScalar()) {
            setting.values.push_back(value.Scalar());
        } else if (value.IsSequence() && key.list) {
            for (const auto& item : value) {
                if (!item.IsScalar()) fail(where(item, path), "expected " + std::string(key.expected) + ", got " + shape(item));
                setting.values.push_back(item.Scalar());
            }
        } else {
            fail(setting.origin, "expected " + std::string(key.expected) + ", got " + shape(value));
        }
        layer_.settings.push_back(std::move(setting));
    }

    void read_rules(const YAML::Node& rules) {
        if (rules.IsNull()) return;
        if (!rules.IsMap())
            fail(where(rules, "rules"), "expected a mapping of rule id to error, warning, info or off, got " + shape(rules));
        for_each_entry(rules, "rules", [&](const std::string& id, const YAML::Node& value) {
            const std::string origin = where(value, "rules." + id);
            const check::Rule& rule = known_rule(id, origin);
            if (!value.IsScalar()) fail(origin, "expected error, warning, info or off, got " + shape(value));
            layer_.rules.push_back(RuleSetting{&rule, rule_level(value.Scalar(), origin), origin});
        });
    }

    void read_ignores(const YAML::Node& ignores) {
        if (ignores.IsNull()) return;
        if (!ignores.IsSequence())
            fail(where(ignores, "ignore"), "expected a list of {rule, path, methods} entries, got " + shape(ignores));
        std::size_t index = 0;
        for (const auto& entry : ignores) {
            const std::string path = "ignore[" + std::to_string(index++) + "]";
            if (!entry.IsMap())
                fail(where(entry, path), "expected an entry like {rule: date-missing, path: /health*, methods: [GET]}, got " +
                                             shape(entry));
            std::vector<const check::Rule*> rules;
            IgnoreSetting ignore;
            ignore.origin = where(entry, path);
            bool has_rule = false;
            for_each_entry(entry, path, [&](const std::string& name, const YAML::Node& value) {
                const std::string origin = where(value, path + "." + name);
                if (name == "rule") {
                    has_rule = true;
                    for (const auto& id : scalars(value, origin, "a rule id or a list of rule ids"))
                        rules.push_back(&known_rule(id, origin));
                } else if (name == "path") {
                    if (!value.IsScalar()) fail(origin, "expected a path glob such as /health*, got " + shape(value));
                    ignore.path = value.Scalar();
                    check_path_glob(ignore.path, origin);
                } else if (name == "methods") {
                    ignore.methods = scalars(value, origin, "a list of HTTP methods such as [GET, HEAD]");
                    for (const auto& method : ignore.methods) check_method_glob(method, origin);
                } else {
                    fail(origin, "unknown key" + did_you_mean(name, {"rule", "path", "methods"}) +
                                     " (allowed: rule, path, methods)");
                }
            });
            if (!has_rule || rules.empty()) fail(ignore.origin, "missing \"rule\": which rule id to ignore");
            for (const check::Rule* rule : rules) {
                ignore.rule = rule;
                layer_.ignores.push_back(ignore);
            }
        }
    }

    std::vector<std::string> scalars(const YAML::Node& value, const std::string& origin, std::string_view what) {
        std::vector<std::string> items;
        if (value.IsScalar()) {
            items.push_back(value.Scalar());
        } else if (value.IsSequence()) {
            for (const auto& item : value) {
                if (!item.IsScalar()) fail(origin, "expected " + std::string(what) + ", got " + shape(item) + " in the list");
                items.push_back(item.Scalar());
            }
        } else {
            fail(origin, "expected " + std::string(what) + ", got " + shape(value));
        }
        return items;
    }

    std::string name_;
    ConfigLayer layer_;
};

}  // namespace

std::string closest_match(std::string_view text, std::span<const std::string> candidates) {
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (const auto& candidate : candidates) {
        const auto distance = edit_distance(text, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    // A plausible typo: a few edits, and fewer than half the characters.
    const std::size_t limit = std::max<std::size_t>(2, text.size() / 3);
    if (best_distance <= limit && best_distance * 2 < std::max(text.size(), best.size())) return best;
    // Or a truncated name ("413-missing-retry"): the shortest candidate it begins.
    best.clear();
    if (text.size() >= 4)
        for (const auto& candidate : candidates)
            if (candidate.size() > text.size() && candidate.starts_with(text) && (best.empty() || candidate.size() < best.size()))
                best = candidate;
    return best;
}

std::string rule_suggestion(std::string_view unknown_id) {
    std::vector<std::string> ids;
    for (const check::Rule* rule : check::all_rules()) ids.emplace_back(rule->id);
    return did_you_mean(unknown_id, ids);
}

ConfigLayer parse_yaml_config(const std::string& text, const std::string& name) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        std::string origin = name;
        if (e.mark.line >= 0) origin += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        fail(origin, "not valid YAML: " + e.msg);
    }
    return YamlReader(name).read(root);
}

ConfigLayer load_yaml_config(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) fail(path, "cannot read the config file (no such file, or not readable)");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_yaml_config(text.str(), path);
}

// ---- environment --------------------------------------------------------------------------

Environment process_environment() {
    Environment environment;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        if (!text.starts_with(kEnvPrefix)) continue;
        const auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        environment.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return environment;
}

RuleSetting parse_rule_assignment(std::string_view text, const std::string& origin) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos)
        fail(origin, "expected RULE=LEVEL with LEVEL error, warning, info or off (e.g. date-missing=off), got \"" +
                         std::string(text) + "\"");
    const std::string id = trim(text.substr(0, equals));
    const check::Rule& rule = known_rule(id, origin);
    return RuleSetting{&rule, rule_level(trim(text.substr(equals + 1)), origin), origin};
}

IgnoreSetting parse_ignore_spec(std::string_view text, const std::string& origin) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos)
        fail(origin, "expected RULE=PATH or RULE=METHOD|METHOD PATH (e.g. date-missing=GET|HEAD /health*), got \"" +
                         std::string(text) + "\"");
    IgnoreSetting ignore;
    ignore.origin = origin;
    ignore.rule = &known_rule(trim(text.substr(0, equals)), origin);
    const std::string scope = trim(text.substr(equals + 1));
    const auto space = scope.find_first_of(" \t");
    if (space == std::string::npos) {
        ignore.path = scope;
    } else {
        std::string_view methods = std::string_view(scope).substr(0, space);
        ignore.path = trim(std::string_view(scope).substr(space + 1));
        while (!methods.empty()) {
            const auto bar = methods.find('|');
            ignore.methods.emplace_back(methods.substr(0, bar));
            check_method_glob(ignore.methods.back(), origin);
            methods = bar == std::string_view::npos ? std::string_view() : methods.substr(bar + 1);
        }
    }
    check_path_glob(ignore.path, origin);
    return ignore;
}

ConfigLayer parse_environment(const Environment& environment) {
    ConfigLayer layer;
    std::vector<std::string> known{std::string(kEnvPrefix) + "CONFIG", std::string(kEnvPrefix) + "RULES",
                                   std::string(kEnvPrefix) + "IGNORE"};
    for (const ConfigKey& key : config_keys()) known.push_back(env_name(key.path));
    for (const auto& [name, value] : environment) {
        if (!name.starts_with(kEnvPrefix)) continue;
        if (std::find(known.begin(), known.end(), name) == known.end())
            fail(name, "unknown variable" + did_you_mean(name, known) + " (docs/configuration.md lists them)");
        if (trim(value).empty() || name == known[0]) continue;  // empty = not set; _CONFIG names the file
        if (name == known[1]) {
            for (const auto& item : split_commas(value)) layer.rules.push_back(parse_rule_assignment(item, name));
        } else if (name == known[2]) {
            for (const auto& item : split_commas(value)) layer.ignores.push_back(parse_ignore_spec(item, name));
        } else {
            for (const ConfigKey& key : config_keys())
                if (env_name(key.path) == name)
                    layer.settings.push_back(Setting{&key, key.list ? split_commas(value) : std::vector{trim(value)}, name});
        }
    }
    return layer;
}

// ---- precedence ---------------------------------------------------------------------------

void apply_layers(std::span<const ConfigLayer* const> layers, CommandLine& out) {
    struct RuleChoice {
        const check::Rule* rule;
        std::optional<check::Level> level;
    };
    std::vector<RuleChoice> rule_choices;  // in first-mentioned order, last value wins
    std::vector<const IgnoreSetting*> ignores;
    for (const ConfigLayer* layer : layers) {
        for (const Setting& setting : layer->settings) {
            try {
                setting.key->apply(out, setting.values, setting.key->expected);
            } catch (const std::invalid_argument& e) {
                fail(setting.origin, e.what());
            }
            out.sources[std::string(setting.key->path)] = setting.origin;
        }
        for (const RuleSetting& setting : layer->rules) {
            auto existing = std::find_if(rule_choices.begin(), rule_choices.end(),
                                         [&](const RuleChoice& choice) { return choice.rule == setting.rule; });
            if (existing == rule_choices.end()) rule_choices.push_back({setting.rule, setting.level});
            else existing->level = setting.level;
            out.sources["rules." + std::string(setting.rule->id)] = setting.origin;
        }
        for (const IgnoreSetting& ignore : layer->ignores) ignores.push_back(&ignore);
    }
    if (out.demo && out.proxy.upstream)
        throw ConfigError(out.sources["demo"] + " and " + out.sources["upstream"] +
                          ": demo starts its own upstream; set only one of demo and upstream");

    if (out.proxy.tls_cert_file.empty() != out.proxy.tls_key_file.empty()) {
        const bool has_cert = !out.proxy.tls_cert_file.empty();
        throw ConfigError(out.sources[has_cert ? "tls.cert" : "tls.key"] + ": a TLS listener needs both tls.cert and "
                          "tls.key; also set " + (has_cert ? "--tls-key / CONFORMANCE_PROXY_TLS_KEY"
                                                          : "--tls-cert / CONFORMANCE_PROXY_TLS_CERT"));
    }

    check::RulePolicy policy;
    for (const RuleChoice& choice : rule_choices) {
        if (choice.level) policy.set_level(*choice.rule, *choice.level);
        else policy.disable(*choice.rule);
    }
    for (const IgnoreSetting* ignore : ignores) policy.add_ignore(*ignore->rule, ignore->methods, ignore->path);
    out.rule_policy = std::move(policy);
}

}  // namespace cproxy::config

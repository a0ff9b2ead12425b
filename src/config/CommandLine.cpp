// The flags are the top layer of the configuration: CLI11 collects them as raw text, only
// those actually given (count() > 0) become the flag layer, and apply_layers() validates and
// merges them over the environment and the file, exactly like the other layers.
#include "conformance_proxy/config/CommandLine.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "conformance_proxy/config/Configuration.hpp"
#include "config/CiCommands.hpp"

namespace cproxy::config {

namespace {

constexpr const char* kDescription =
    "conformance-proxy: an HTTP/1.1 reverse proxy that checks every upstream response against\n"
    "RFC 9110, 9112 and 7617 and tells you, with the RFC section and the fix, where it breaks them.\n\n"
    "Examples:\n"
    "  conformance-proxy --demo                              # try it: demo upstream on a free port\n"
    "  conformance-proxy --upstream http://localhost:3000    # in front of your app, on :8080\n"
    "  conformance-proxy --upstream http://api:3000 --listen 0.0.0.0:8080 \\\n"
    "      --findings findings.jsonl --fail-on error         # in CI: exit 1 on error findings\n"
    "  conformance-proxy --config config/ci.yaml             # the same settings from a YAML file\n"
    "  conformance-proxy rules [--format text|json|markdown] # list every rule\n"
    "  conformance-proxy lint recorded.har                   # check recorded traffic offline\n"
    "  conformance-proxy probe --upstream http://localhost:3000 --routes routes.txt  # probe actively\n"
    "  conformance-proxy baseline create --from report.json -o baseline.json  # accept today's findings\n"
    "  conformance-proxy --upstream http://api:3000 --baseline baseline.json --fail-on error  # fail on new ones\n"
    "  conformance-proxy diff old.json new.json --format markdown  # what changed between two runs\n"
    "  conformance-proxy report merge a.json b.json -o merged.json --html merged.html  # several replicas\n";

constexpr const char* kFooter =
    "Configuration: every flag can also be set in a YAML file (--config FILE) and in an environment\n"
    "variable; [key] after a flag is its key in the file, and the variable is CONFORMANCE_PROXY_ plus\n"
    "the key in upper case with '.' as '_' (timeouts.upstream -> CONFORMANCE_PROXY_TIMEOUTS_UPSTREAM;\n"
    "CONFORMANCE_PROXY_CONFIG names the file; lists are comma-separated).\n"
    "Precedence: flag > environment > file > default.\n"
    "Rule levels and ignores: --rule date-missing=off, --ignore 'date-missing=GET|HEAD /health*'\n"
    "(file: rules: and ignore:, variables CONFORMANCE_PROXY_RULES and CONFORMANCE_PROXY_IGNORE).\n"
    "Every key: docs/configuration.md; examples: config/conformance-proxy.example.yaml, config/ci.yaml.";

// The raw text of one flag, bound to CLI11.
struct RawFlag {
    const ConfigKey* key;
    std::vector<CLI::Option*> options;  // the top-level flag, and its twin on `lint` if any
    std::string value;                  // scalar keys
    std::vector<std::string> values;    // list keys
    bool switch_value = false;          // switches: --demo, --upstream-insecure
    std::size_t count() const {
        std::size_t n = 0;
        for (const auto* option : options) n += option->count();
        return n;
    }
};

// A boolean key's flag takes no value: --demo, --upstream-insecure.
bool is_switch(const ConfigKey& key) { return key.expected == "true or false"; }

// "--allow-destination 'a, b'" splits at the comma; drop the spaces as the environment does.
std::vector<std::string> trimmed(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& value : values) {
        const auto first = value.find_first_not_of(" \t");
        if (first == std::string::npos) continue;
        out.push_back(value.substr(first, value.find_last_not_of(" \t") - first + 1));
    }
    return out;
}

std::string description(const ConfigKey& key) {
    return std::string(key.help) + " [" + std::string(key.path) + "]";
}

std::string default_shown(const ConfigKey& key) {
    const std::string_view text = key.default_text;
    return text.starts_with("none") || text == "off" || text == "false" ? std::string() : std::string(text);
}

// What --help shows in place of CLI11's "TEXT".
std::string type_name(const ConfigKey& key) {
    const std::string_view path = key.path;
    if (path == "listen" || path == "admin") return "HOST:PORT";
    if (path == "upstream") return "URL";
    if (path == "upstream_ca" || path.starts_with("tls.")) return "PEM-FILE";
    if (path == "threads") return "N";
    if (path == "openapi") return "FILE";
    if (path == "fail_on_coverage") return "PERCENT";
    if (path == "allowed_destinations") return "HOST[:PORT]";
    if (path == "auth.realm") return "TEXT";
    if (path == "silence_header") return "NAME";
    if (path == "auth.throttle_failures") return "N";
    if (path.starts_with("auth.throttle_") || path == "auth.cache_ttl") return "SECONDS";
    if (path.starts_with("timeouts.")) return "SECONDS";
    // Limits are sizes except the ones that count connections.
    if (path.starts_with("limits.")) return path.ends_with("_connections") ? "N" : "BYTES";
    if (key.expected.find(" or ") != std::string_view::npos) {  // "report, annotate or enforce"
        std::string choices(key.expected);
        for (auto at = choices.find(", "); at != std::string::npos; at = choices.find(", ")) choices.replace(at, 2, "|");
        return choices.replace(choices.find(" or "), 4, "|");
    }
    return "FILE";
}

CLI::Option* add_flag_option(CLI::App& app, RawFlag& raw) {
    const ConfigKey& key = *raw.key;
    const std::string name(key.flag);
    if (is_switch(key)) return app.add_flag(name, raw.switch_value, description(key));
    CLI::Option* option = key.list ? app.add_option(name, raw.values, description(key))->delimiter(',')->take_all()
                                   : app.add_option(name, raw.value, description(key));
    option->type_name(type_name(key));
    if (const auto shown = default_shown(key); !shown.empty()) option->default_str(shown);
    return option;
}

}  // namespace

std::optional<int> parse_command_line(const std::vector<std::string>& args,
                                      const std::map<std::string, std::string>& environment, CommandLine& out,
                                      std::ostream& help_out, std::ostream& error_out) {
    CLI::App app{kDescription, "conformance-proxy"};
    app.footer(kFooter);
    app.set_version_flag("--version", "conformance-proxy 0.1.0");
    app.require_subcommand(0, 1);

    std::string config_path;
    app.add_option("--config", config_path, "YAML config file (see config/); also CONFORMANCE_PROXY_CONFIG")
        ->type_name("FILE");
    std::vector<std::unique_ptr<RawFlag>> flags;
    for (const ConfigKey& key : config_keys()) {
        if (key.flag.empty()) continue;
        auto raw = std::make_unique<RawFlag>();
        raw->key = &key;
        raw->options.push_back(add_flag_option(app, *raw));
        flags.push_back(std::move(raw));
    }
    std::vector<std::string> rule_args, ignore_args;
    app.add_option("--rule", rule_args,
                   "Re-level or disable a rule: RULE=error|warning|info|off, repeatable or comma-separated "
                   "[rules]")
        ->type_name("RULE=LEVEL")
        ->delimiter(',')
        ->take_all();
    app.add_option("--ignore", ignore_args,
                   "Drop a rule's findings for some requests: 'RULE=PATH-GLOB' or 'RULE=METHOD|METHOD PATH-GLOB', "
                   "e.g. 'date-missing=GET /health*'; repeatable [ignore]")
        ->type_name("RULE=[METHODS ]PATH")
        ->take_all();

    auto* rules = app.add_subcommand("rules", "List every rule: id, level, reference, summary");
    rules->add_option("--format", out.rules_format,
                      "text (a table), json (an array of objects: id, level, reference, reference_url, summary, "
                      "subject, about) or markdown (docs/rules.md)")
        ->check(CLI::IsMember({"text", "json", "markdown"}))
        ->capture_default_str();
    auto* lint = app.add_subcommand("lint", "Check recorded traffic offline: a HAR file or a raw HTTP/1.1 response");
    lint->fallthrough();  // `lint FILE --config ci.yaml --junit out.xml` works too
    lint->add_option("FILE", out.lint_input, "HAR 1.2 file or raw response ('-' = stdin)")->required();
    lint->add_option("--format", out.lint_format, "text (one line per finding) or github (workflow commands)")
        ->check(CLI::IsMember({"text", "github"}))
        ->capture_default_str();
    const auto ci = add_ci_subcommands(app, out);
    for (auto& raw : flags) {
        if (raw->key->path == "findings")
            raw->options.push_back(lint->add_option("--findings", raw->value, "Append findings to FILE (JSON Lines)"));
        if (raw->key->path == "fail_on")
            raw->options.push_back(lint->add_option(
                "--fail-on", raw->value, "Exit 1 if a finding at or above this level was found (default: error)"));
    }

    auto* probe = app.add_subcommand(
        "probe", "Probe an upstream's routes actively (OPTIONS, an unknown method, HEAD, conditional and range "
                 "requests, the request without credentials) and check every response; only GET, HEAD, OPTIONS "
                 "and the unknown method unless --unsafe-methods. Outputs and exit status as for the proxy; "
                 "see docs/probe.md");
    probe->fallthrough();  // --upstream, --findings, --junit, --fail-on ... are the proxy's flags
    probe->footer("Needs --upstream URL (or --demo: the built-in demo upstream) and at least one route source:\n"
                  "--routes, --har, --from-report, --from-admin, or --openapi FILE (each operation's example request;\n"
                  "an operation whose path parameters have no example is named as skipped, not guessed).\n"
                  "--findings, --junit, --sarif, --html and --fail-on (default error, as for lint) work as for the "
                  "proxy.\nExample: conformance-proxy probe --upstream http://localhost:3000 --routes routes.txt "
                  "--header-file creds.txt --findings probe.jsonl");
    probe->add_option("--routes", out.probe.route_files, "Routes to probe: one origin-form target per line, # comments")
        ->type_name("FILE");
    probe->add_option("--har", out.probe.har_files, "Routes from the requests of a HAR file")->type_name("FILE");
    probe->add_option("--from-report", out.probe.report_files, "Routes from an earlier run's report.json")
        ->type_name("FILE");
    probe->add_option("--from-admin", out.probe.admin_urls,
                      "Routes a running proxy has seen: its admin server, e.g. http://127.0.0.1:9090")
        ->type_name("URL");
    probe->add_option("--header", out.probe.headers,
                      "'Name: value' sent with every probe (e.g. Authorization); never written to any output")
        ->type_name("'NAME: VALUE'");
    probe->add_option("--header-file", out.probe.header_file, "Headers to send, one 'Name: value' per line (keeps "
                                                              "credentials out of the shell history)")
        ->type_name("FILE");
    probe->add_flag("--unsafe-methods", out.probe.unsafe_methods,
                    "Also send PUT, PATCH and DELETE probes (without content): they may change data");
    probe->add_option("--rate", out.probe.rate, "Requests per second at most")
        ->capture_default_str();
    probe->add_option("--max-requests", out.probe.max_requests, "Stop after this many requests")
        ->capture_default_str();
    probe->add_option("--timeout", out.probe.timeout_seconds, "Seconds each request may take")
        ->capture_default_str();

    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
        app.parse(reversed);  // CLI11 takes the arguments without the program name, last first
        if (rules->parsed()) out.command = Command::rules;
        if (lint->parsed()) out.command = Command::lint;
        if (probe->parsed()) out.command = Command::probe;
        note_ci_command(ci, out);

        ConfigLayer flag_layer;
        for (const auto& raw : flags) {
            if (raw->count() == 0) continue;
            std::string origin(raw->key->flag);
            if (is_switch(*raw->key)) flag_layer.settings.push_back({raw->key, {raw->switch_value ? "true" : "false"}, origin});
            else if (raw->key->list) flag_layer.settings.push_back({raw->key, trimmed(raw->values), origin});
            else flag_layer.settings.push_back({raw->key, {raw->value}, origin});
        }
        for (const auto& text : rule_args) flag_layer.rules.push_back(parse_rule_assignment(text, "--rule"));
        for (const auto& text : ignore_args) flag_layer.ignores.push_back(parse_ignore_spec(text, "--ignore"));

        const ConfigLayer env_layer = parse_environment(environment);

        ConfigLayer file_layer;
        const auto config_env = environment.find(std::string(kEnvPrefix) + "CONFIG");
        if (app.count("--config") > 0) {
            out.config_path = config_path;
        } else if (config_env != environment.end() && !config_env->second.empty()) {
            out.config_path = config_env->second;
        }
        if (!out.config_path.empty()) file_layer = load_yaml_config(out.config_path);

        const ConfigLayer* layers[] = {&file_layer, &env_layer, &flag_layer};  // lowest precedence first
        apply_layers(layers, out);
        // `lint`, `probe` and `diff` are CI gates: unless some layer chose fail_on, error findings fail it.
        if ((out.command == Command::lint || out.command == Command::probe || out.command == Command::diff) &&
            !out.sources.contains("fail_on"))
            out.fail_on = "error";
    } catch (const CLI::ParseError& e) {
        const int status = app.exit(e, help_out, error_out);
        // CLI11 exits with its own codes (105 for a value outside a set, ...); every usage error
        // of this tool exits 2, as the README promises. --help and --version stay 0.
        return status == 0 ? 0 : 2;
    } catch (const std::exception& e) {  // ConfigError, and what the value parsers throw
        error_out << "conformance-proxy: " << e.what()
                  << "\nRun with --help for usage; docs/configuration.md describes every key.\n";
        return 2;
    }
    return std::nullopt;
}

std::optional<int> parse_command_line(int argc, const char* const* argv, CommandLine& out) {
    std::vector<std::string> args(argv, argv + argc);
    return parse_command_line(args, process_environment(), out, std::cout, std::cerr);
}

}  // namespace cproxy::config

#include "conformance_proxy/config/CommandLine.hpp"

#include <CLI/CLI.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <iostream>

namespace cproxy::config {

proxy::UpstreamTarget parse_upstream_url(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed)
        throw std::invalid_argument("--upstream '" + url + "' is not a URL; expected e.g. http://localhost:3000");
    proxy::UpstreamTarget target;
    target.scheme = parsed->scheme();
    if (target.scheme != "http" && target.scheme != "https")
        throw std::invalid_argument("--upstream '" + url + "': scheme must be http or https");
    if (target.scheme == "https")
        throw std::invalid_argument("--upstream '" + url + "': https upstreams are not supported yet; use http");
    target.host = parsed->host_address();
    if (target.host.empty()) throw std::invalid_argument("--upstream '" + url + "' has no host");
    if (parsed->has_port()) {
        const auto port = parsed->port_number();
        if (port == 0) throw std::invalid_argument("--upstream '" + url + "': port must be 1-65535");
        target.port = port;
    } else {
        target.port = target.scheme == "https" ? 443 : 80;
    }
    if (!parsed->encoded_path().empty() && parsed->encoded_path() != "/")
        throw std::invalid_argument("--upstream '" + url + "': a path prefix is not supported; give scheme://host:port");
    return target;
}

std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 == text.size())
        throw std::invalid_argument("--listen '" + text + "': expected HOST:PORT, e.g. 127.0.0.1:8080");
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    unsigned port = 0;
    const auto* begin = text.data() + colon + 1;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc{} || ptr != end || port > 65535)
        throw std::invalid_argument("--listen '" + text + "': port must be a number 0-65535");
    return {host, static_cast<std::uint16_t>(port)};
}

namespace {

void add_proxy_flags(CLI::App& app, CommandLine& out, std::string& listen, std::string& upstream,
                     std::string& mode, double& head_timeout, double& upstream_timeout) {
    app.add_option("--listen", listen, "Where clients connect, HOST:PORT (port 0 = any free port)")
        ->default_val("127.0.0.1:8080");
    app.add_option("--upstream", upstream,
                   "The origin to forward to, e.g. http://localhost:3000 (absent: forward-proxy mode)");
    app.add_flag("--demo", out.demo,
                 "Start the built-in demo upstream (conformant and broken endpoints) and proxy to it");
    app.add_option("--mode", mode,
                   "report: pass responses through and record findings; annotate: also add a "
                   "Conformance-Findings header; enforce: replace responses with error findings by a 502")
        ->check(CLI::IsMember({"report", "annotate", "enforce"}))
        ->default_val("report");
    app.add_option("--findings", out.findings_path, "Append one JSON object per finding to FILE (JSON Lines)");
    app.add_option("--junit", out.junit_path, "Write a JUnit XML report to FILE at shutdown");
    app.add_option("--html", out.html_path, "Write a self-contained HTML report to FILE at shutdown");
    app.add_option("--sarif", out.sarif_path, "Write a SARIF 2.1.0 report to FILE at shutdown");
    app.add_option("--fail-on", out.fail_on,
                   "Exit with status 1 at shutdown if a finding at or above this level was recorded")
        ->check(CLI::IsMember({"error", "warning", "info", "never"}))
        ->default_val("never");
    app.add_option("--auth-htpasswd", out.auth_htpasswd,
                   "Require HTTP Basic proxy authentication (407) against this htpasswd file "
                   "(bcrypt, SHA-crypt, apr1, {SHA}); SIGHUP re-reads it")
        ->check(CLI::ExistingFile);
    app.add_option("--auth-realm", out.auth_realm, "Realm of the 407 challenge")->default_val("conformance-proxy");
    app.add_option("--allow-destination", out.proxy.allowed_destinations,
                   "Forward-proxy mode: allowed destinations, host or host:port, globs allowed "
                   "(*.example.com); repeatable; none = any")
        ->take_all();
    app.add_option("--threads", out.proxy.threads, "I/O threads (0 = one per core)")->default_val(0);
    app.add_option("--max-body-size", out.proxy.max_request_body_bytes,
                   "Largest request body accepted, in bytes (larger: 413)");
    app.add_option("--max-header-size", out.proxy.max_request_head_bytes,
                   "Largest request head accepted, in bytes (larger: 431)");
    app.add_option("--client-header-timeout", head_timeout,
                   "Seconds a client may take to send its request head (slower: 408)")
        ->default_val(10);
    app.add_option("--upstream-timeout", upstream_timeout,
                   "Seconds to wait for the upstream's response head (slower: 504)")
        ->default_val(60);
}

proxy::Mode parse_mode(const std::string& mode) {
    if (mode == "annotate") return proxy::Mode::annotate;
    if (mode == "enforce") return proxy::Mode::enforce;
    return proxy::Mode::report;
}

std::chrono::milliseconds seconds_option(double seconds, const char* flag) {
    if (!(seconds > 0)) throw std::invalid_argument(std::string(flag) + " must be a positive number of seconds");
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

}  // namespace

std::optional<int> parse_command_line(int argc, const char* const* argv, CommandLine& out) {
    CLI::App app{
        "conformance-proxy: an HTTP/1.1 reverse proxy that checks every upstream response against\n"
        "RFC 9110, 9112 and 7617 and tells you, with the RFC section and the fix, where it breaks them.\n\n"
        "Examples:\n"
        "  conformance-proxy --demo                              # try it: demo upstream on a free port\n"
        "  conformance-proxy --upstream http://localhost:3000    # in front of your app, on :8080\n"
        "  conformance-proxy --upstream http://api:3000 --listen 0.0.0.0:8080 \\\n"
        "      --findings findings.jsonl --fail-on error         # in CI: exit 1 on error findings\n"
        "  conformance-proxy rules                               # list every rule\n"
        "  conformance-proxy lint recorded.har                   # check recorded traffic offline\n",
        "conformance-proxy"};
    app.set_version_flag("--version", "conformance-proxy 0.1.0");
    app.require_subcommand(0, 1);

    std::string listen, upstream, mode;
    double head_timeout = 10, upstream_timeout = 60;
    add_proxy_flags(app, out, listen, upstream, mode, head_timeout, upstream_timeout);
    app.add_option("--log-level", out.log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
        ->default_val("info");
    app.add_option("--log-format", out.log_format, "Log lines on stderr as text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_val("text");

    auto* rules = app.add_subcommand("rules", "List every rule: id, level, reference, summary");
    auto* lint = app.add_subcommand("lint", "Check recorded traffic offline: a HAR file or a raw HTTP/1.1 response");
    lint->add_option("FILE", out.lint_input, "HAR 1.2 file or raw response ('-' = stdin)")->required();
    lint->add_option("--findings", out.findings_path, "Append findings to FILE (JSON Lines)");
    lint->add_option("--fail-on", out.fail_on, "Exit 1 if a finding at or above this level was found")
        ->check(CLI::IsMember({"error", "warning", "info", "never"}));

    try {
        app.parse(argc, argv);
        if (rules->parsed()) out.command = Command::rules;
        if (lint->parsed()) {
            out.command = Command::lint;
            if (out.fail_on == "never" && lint->count("--fail-on") == 0) out.fail_on = "error";
        }
        const auto [host, port] = parse_listen_address(listen);
        out.proxy.listen_host = host;
        out.proxy.listen_port = port;
        if (!upstream.empty()) {
            if (out.demo) throw std::invalid_argument("--demo starts its own upstream; drop --upstream or --demo");
            out.proxy.upstream = parse_upstream_url(upstream);
        }
        out.proxy.mode = parse_mode(mode);
        out.proxy.client_head_timeout = seconds_option(head_timeout, "--client-header-timeout");
        out.proxy.upstream_response_timeout = seconds_option(upstream_timeout, "--upstream-timeout");
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::invalid_argument& e) {
        std::cerr << "conformance-proxy: " << e.what() << "\nRun with --help for usage.\n";
        return 2;
    }
    return std::nullopt;
}

}  // namespace cproxy::config

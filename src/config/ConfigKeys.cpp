// The table of configuration keys: one row per setting, with its flag, what it accepts and how
// it lands in CommandLine. The YAML reader, the environment reader, the flags, --help, the
// docs test and the example-config test all read this one table.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <boost/url/parse.hpp>

#include "conformance_proxy/config/Configuration.hpp"

namespace cproxy::config {

proxy::UpstreamTarget parse_upstream_url(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) throw std::invalid_argument("expected a URL such as http://localhost:3000, got \"" + url + "\"");
    proxy::UpstreamTarget target;
    target.scheme = parsed->scheme();
    if (target.scheme != "http" && target.scheme != "https")
        throw std::invalid_argument("\"" + url + "\": scheme must be http or https");
    target.host = parsed->host_address();
    if (target.host.empty()) throw std::invalid_argument("\"" + url + "\" has no host");
    if (parsed->has_port()) {
        const auto port = parsed->port_number();
        if (port == 0) throw std::invalid_argument("\"" + url + "\": port must be 1-65535");
        target.port = port;
    } else {
        target.port = target.scheme == "https" ? 443 : 80;
    }
    if (!parsed->encoded_path().empty() && parsed->encoded_path() != "/")
        throw std::invalid_argument("\"" + url + "\": a path prefix is not supported; give scheme://host:port");
    return target;
}

std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 == text.size())
        throw std::invalid_argument("expected HOST:PORT, e.g. 127.0.0.1:8080, got \"" + text + "\"");
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    unsigned port = 0;
    const auto* begin = text.data() + colon + 1;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc{} || ptr != end || port > 65535)
        throw std::invalid_argument("expected HOST:PORT with a port 0-65535, got \"" + text + "\"");
    return {host, static_cast<std::uint16_t>(port)};
}

namespace {

using Values = std::vector<std::string>;

std::string show(std::string_view value) {
    constexpr std::size_t kMax = 80;
    std::string out = "\"";
    out += value.substr(0, kMax);
    if (value.size() > kMax) out += "...";
    return out + "\"";
}

[[noreturn]] void expected(std::string_view what, std::string_view got) {
    throw std::invalid_argument("expected " + std::string(what) + ", got " + show(got));
}

// A scalar key: exactly one value.
const std::string& one(const Values& values, std::string_view what) {
    if (values.size() != 1)
        throw std::invalid_argument("expected " + std::string(what) + ", got a list of " +
                                    std::to_string(values.size()) + " values");
    return values.front();
}

std::string text(const Values& values, std::string_view what) {
    const std::string& value = one(values, what);
    if (value.empty()) expected(what, value);
    return value;
}

bool boolean(const Values& values, std::string_view what) {
    std::string value = one(values, what);
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
    if (value == "true" || value == "yes" || value == "on" || value == "1") return true;
    if (value == "false" || value == "no" || value == "off" || value == "0") return false;
    expected(what, one(values, what));
}

std::uint64_t count(const Values& values, std::uint64_t max, std::string_view what) {
    const std::string& value = one(values, what);
    std::uint64_t number = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size() || number > max)
        expected(what, value);
    return number;
}

// "65536", "64KiB", "1MiB", "1GiB" (binary multiples; the suffix is case-insensitive).
std::uint64_t size(const Values& values, std::uint64_t max, std::string_view what, bool zero_allowed = false) {
    const std::string& value = one(values, what);
    std::uint64_t number = 0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, number);
    if (value.empty() || ec != std::errc{}) expected(what, value);
    std::string suffix(ptr, end);
    std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!suffix.empty() && suffix.front() == ' ') suffix.erase(0, 1);
    std::uint64_t unit = 1;
    if (suffix == "kib") unit = 1ull << 10;
    else if (suffix == "mib") unit = 1ull << 20;
    else if (suffix == "gib") unit = 1ull << 30;
    else if (!suffix.empty() && suffix != "b") expected(what, value);
    if ((number == 0 && !zero_allowed) || number > max / unit) expected(what, value);
    return number * unit;
}

std::chrono::milliseconds seconds(const Values& values, std::string_view what) {
    const std::string& value = one(values, what);
    double number = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    constexpr double kWeek = 7 * 24 * 3600.0;
    if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size() || !std::isfinite(number) ||
        number < 0.001 || number > kWeek)
        expected(what, value);
    return std::chrono::milliseconds(static_cast<long long>(std::llround(number * 1000)));
}

std::string address(const Values& values, std::string_view what) {
    const std::string& value = one(values, what);
    parse_listen_address(value);  // throws with a message of its own
    return value;
}

std::string readable_file(const Values& values, std::string_view what) {
    const std::string value = text(values, what);
    std::error_code error;
    if (!std::filesystem::is_regular_file(value, error))
        throw std::invalid_argument("expected " + std::string(what) + ", got " + show(value) + ": no such file");
    if (!std::ifstream(value)) throw std::invalid_argument(show(value) + " is not readable");
    return value;
}

// CA certificates for upstream verification: a readable file holding at least one PEM certificate
// (a private key passed by mistake is caught here, before any connection).
std::string ca_file(const Values& values, std::string_view what) {
    const std::string path = readable_file(values, what);
    std::ifstream file(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        throw std::invalid_argument("expected " + std::string(what) + ", got " + show(path) +
                                    ", which holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    return path;
}

// Destination patterns for forward-proxy mode: "host", "host:port", "*.example.com".
std::vector<std::string> destinations(const Values& values, std::string_view what) {
    for (const auto& value : values)
        if (value.empty() || value.find_first_of(" \t/") != std::string::npos) expected(what, value);
    return values;
}

// Whole seconds from `min` up to a week (the throttle and the cache count in whole seconds).
std::chrono::seconds whole_seconds(const Values& values, std::uint64_t min, std::string_view what) {
    const auto number = count(values, 7 * 24 * 3600, what);
    if (number < min) expected(what, one(values, what));
    return std::chrono::seconds(static_cast<long long>(number));
}

// A field name (token characters), or "none" for off.
std::string field_name(const Values& values, std::string_view what) {
    const std::string& value = one(values, what);
    if (value == "none") return {};
    if (value.empty() || value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                 "!#$%&'*+-.^_`|~") != std::string::npos)
        expected(what, value);
    return value;
}

constexpr std::string_view kSeconds = "a positive number of seconds, e.g. 30 or 0.5";
constexpr std::uint64_t kMaxHead = 64ull << 20;

// One of the named values, mapped to what it stands for.
template <class T>
T pick(const Values& values, std::initializer_list<std::pair<std::string_view, T>> choices, std::string_view what) {
    const std::string& value = one(values, what);
    for (const auto& [name, result] : choices)
        if (name == value) return result;
    expected(what, value);
}

// Each row's apply gets the row's `expected` text as `what`, for its error messages.
#define CPROXY_KEY_APPLY(...) \
    [](CommandLine& out, const Values& values, std::string_view what) { __VA_ARGS__; }

const std::array kKeys{
    ConfigKey{"listen", "--listen", false, "HOST:PORT, e.g. 127.0.0.1:8080 (port 0 = any free port)", "127.0.0.1:8080",
              "Where clients connect, HOST:PORT (port 0 = any free port)",
              CPROXY_KEY_APPLY(const auto [host, port] = parse_listen_address(address(values, what));
                               out.proxy.listen_host = host; out.proxy.listen_port = port)},
    ConfigKey{"upstream", "--upstream", false, "an http:// or https:// URL such as http://localhost:3000", "none (forward-proxy mode)",
              "The origin to forward to, e.g. http://localhost:3000 (absent: forward-proxy mode)",
              CPROXY_KEY_APPLY(out.proxy.upstream = parse_upstream_url(text(values, what)))},
    ConfigKey{"upstream_ca", "--upstream-ca", false, "a PEM file of CA certificates", "none (system CA store)",
              "Also trust these CA certificates (PEM) when verifying an https upstream, e.g. a private CA",
              CPROXY_KEY_APPLY(out.proxy.upstream_ca_file = ca_file(values, what))},
    ConfigKey{"upstream_insecure", "--upstream-insecure", false, "true or false", "false",
              "Do not verify the https upstream's certificate (logged as a warning; prefer --upstream-ca)",
              CPROXY_KEY_APPLY(out.proxy.upstream_insecure = boolean(values, what))},
    ConfigKey{"demo", "--demo", false, "true or false", "false",
              "Start the built-in demo upstream (conformant and broken endpoints) and proxy to it",
              CPROXY_KEY_APPLY(out.demo = boolean(values, what))},
    ConfigKey{"mode", "--mode", false, "report, annotate or enforce", "report",
              "report: pass responses through and record findings; annotate: also add a "
              "Conformance-Findings header; enforce: replace responses with error findings by a 502",
              CPROXY_KEY_APPLY(out.proxy.mode = pick<proxy::Mode>(values, {{"report", proxy::Mode::report},
                                                                          {"annotate", proxy::Mode::annotate},
                                                                          {"enforce", proxy::Mode::enforce}}, what))},
    ConfigKey{"fail_on", "--fail-on", false, "error, warning, info or never", "never",
              "Exit with status 1 at shutdown if a finding at or above this level was recorded",
              CPROXY_KEY_APPLY(out.fail_on = pick<std::string_view>(values, {{"error", "error"}, {"warning", "warning"},
                                                                           {"info", "info"}, {"never", "never"}}, what))},
    ConfigKey{"openapi", "--openapi", false, "a file path (OpenAPI 3.0 or 3.1, YAML or JSON)", "none",
              "Hold traffic to this API description (rules openapi-*) and report which operations were covered",
              CPROXY_KEY_APPLY(out.openapi_path = text(values, what))},
    ConfigKey{"fail_on_coverage", "--fail-on-coverage", false, "a whole percentage 0-100", "off",
              "Exit with status 1 at shutdown if fewer than PERCENT of the --openapi operations were exercised",
              CPROXY_KEY_APPLY(out.fail_on_coverage = static_cast<unsigned>(count(values, 100, what)))},
    ConfigKey{"findings", "--findings", false, "a file path", "none",
              "Append one JSON object per finding to FILE (JSON Lines)",
              CPROXY_KEY_APPLY(out.findings_path = text(values, what))},
    ConfigKey{"junit", "--junit", false, "a file path", "none", "Write a JUnit XML report to FILE at shutdown",
              CPROXY_KEY_APPLY(out.junit_path = text(values, what))},
    ConfigKey{"html", "--html", false, "a file path", "none", "Write a self-contained HTML report to FILE at shutdown",
              CPROXY_KEY_APPLY(out.html_path = text(values, what))},
    ConfigKey{"sarif", "--sarif", false, "a file path", "none", "Write a SARIF 2.1.0 report to FILE at shutdown",
              CPROXY_KEY_APPLY(out.sarif_path = text(values, what))},
    ConfigKey{"report_json", "--report-json", false, "a file path", "none",
              "Write the report as JSON to FILE at shutdown (what baseline create, diff and report merge read)",
              CPROXY_KEY_APPLY(out.report_json_path = text(values, what))},
    ConfigKey{"baseline", "--baseline", false, "a baseline file (conformance-proxy baseline create)", "none",
              "Mark findings known or new against this baseline; --fail-on then counts only new ones",
              CPROXY_KEY_APPLY(out.baseline_path = readable_file(values, what))},
    ConfigKey{"github_annotations", "--github-annotations", false, "true or false", "false",
              "At the end, print findings as GitHub Actions workflow commands (::error title=...::...) on stdout",
              CPROXY_KEY_APPLY(out.github_annotations = boolean(values, what))},
    ConfigKey{"silence_header", "--silence-header", false, "a field name such as Conformance-Silence, or none",
              "Conformance-Silence",
              "Request field that silences the rules it lists for that exchange only; removed before "
              "forwarding; none = off",
              CPROXY_KEY_APPLY(out.proxy.silence_field = field_name(values, what))},
    ConfigKey{"admin", "--admin", false, "HOST:PORT, e.g. 127.0.0.1:9090", "off",
              "Admin server on HOST:PORT (keep it on loopback): / dashboard, /report.json, /metrics, /healthz; "
              "default off",
              CPROXY_KEY_APPLY(out.admin = address(values, what))},
    ConfigKey{"threads", "--threads", false, "a whole number 0-1024 (0 = one per core)", "0",
              "I/O threads (0 = one per core); each new connection goes to the one with the fewest open",
              CPROXY_KEY_APPLY(out.proxy.threads = static_cast<unsigned>(count(values, 1024, what)))},
    ConfigKey{"allowed_destinations", "--allow-destination", true, "host, host:port or *.domain patterns",
              "none (any destination)",
              "Forward-proxy mode: allowed destinations, host or host:port, globs allowed (*.example.com); "
              "repeatable; none = any",
              CPROXY_KEY_APPLY(out.proxy.allowed_destinations = destinations(values, what))},
    ConfigKey{"forwarded", "--forwarded", false, "x-forwarded, forwarded or none", "x-forwarded",
              "How to tell the upstream about the client: X-Forwarded-For/-Proto/-Host, Forwarded (RFC 7239) "
              "or none",
              CPROXY_KEY_APPLY(out.proxy.forwarded = pick<proxy::ForwardedStyle>(
                                   values, {{"x-forwarded", proxy::ForwardedStyle::x_forwarded},
                                            {"forwarded", proxy::ForwardedStyle::forwarded},
                                            {"none", proxy::ForwardedStyle::none}}, what))},
    ConfigKey{"preserve_host", "", false, "true or false", "true",
              "Forward the client's Host field (true) or replace it with the upstream's authority (false)",
              CPROXY_KEY_APPLY(out.proxy.preserve_host = boolean(values, what))},
    ConfigKey{"forward_underscore_fields", "--forward-underscore-fields", false, "true or false", "false",
              "Forward request fields whose names contain an underscore (X_Api_Key); by default they are "
              "dropped, since CGI and WSGI backends read Content_Length as Content-Length",
              CPROXY_KEY_APPLY(out.proxy.forward_underscore_fields = boolean(values, what))},
    ConfigKey{"tls.cert", "--tls-cert", false, "a readable PEM certificate chain file", "none (plain HTTP)",
              "Serve clients over TLS (HTTP/1.1 over TLS 1.2+) with this certificate chain (PEM); needs --tls-key",
              CPROXY_KEY_APPLY(out.proxy.tls_cert_file = readable_file(values, what))},
    ConfigKey{"tls.key", "--tls-key", false, "a readable PEM private key file", "none",
              "Private key (PEM) of the --tls-cert certificate",
              CPROXY_KEY_APPLY(out.proxy.tls_key_file = readable_file(values, what))},
    ConfigKey{"log.level", "--log-level", false, "trace, debug, info, warn, error or off", "info",
              "trace, debug, info, warn, error or off",
              CPROXY_KEY_APPLY(out.log_level = pick<std::string_view>(
                                   values, {{"trace", "trace"}, {"debug", "debug"}, {"info", "info"},
                                            {"warn", "warn"}, {"error", "error"}, {"off", "off"}}, what))},
    ConfigKey{"log.format", "--log-format", false, "text or json", "text", "Log lines on stderr as text or json",
              CPROXY_KEY_APPLY(out.log_format = pick<std::string_view>(values, {{"text", "text"}, {"json", "json"}},
                                                                       what))},
    ConfigKey{"auth.htpasswd", "--auth-htpasswd", false, "a readable htpasswd file", "none (no authentication)",
              "Require HTTP Basic proxy authentication (407) against this htpasswd file "
              "(bcrypt, SHA-crypt, apr1, {SHA}); SIGHUP re-reads it",
              CPROXY_KEY_APPLY(out.auth_htpasswd = readable_file(values, what))},
    ConfigKey{"auth.realm", "--auth-realm", false, "a non-empty text without double quotes", "conformance-proxy",
              "Realm of the 407 challenge",
              CPROXY_KEY_APPLY(out.auth_realm = text(values, what);
                               if (out.auth_realm.find_first_of("\"\\\r\n") != std::string::npos)
                                   expected(what, out.auth_realm))},
    ConfigKey{"auth.throttle_failures", "--auth-throttle-failures", false, "a whole number 0-1000000 (0 = off)", "10",
              "Wrong proxy passwords from one client address within auth.throttle_window that throttle it "
              "(429 with Retry-After); 0 = never throttle",
              CPROXY_KEY_APPLY(out.auth_throttle_failures = static_cast<unsigned>(count(values, 1'000'000, what)))},
    ConfigKey{"auth.throttle_window", "--auth-throttle-window", false, "a whole number of seconds, 1 to 604800", "60",
              "Seconds over which wrong proxy passwords are counted towards auth.throttle_failures",
              CPROXY_KEY_APPLY(out.auth_throttle_window = whole_seconds(values, 1, what))},
    ConfigKey{"auth.throttle_period", "--auth-throttle-period", false, "a whole number of seconds, 1 to 604800", "60",
              "Seconds a throttled client address gets 429 before it may try again",
              CPROXY_KEY_APPLY(out.auth_throttle_period = whole_seconds(values, 1, what))},
    ConfigKey{"auth.cache_ttl", "--auth-cache-ttl", false, "a whole number of seconds, 0 to 604800 (0 = no cache)",
              "300",
              "Seconds a successful password verification is remembered, so keep-alive clients do not pay "
              "bcrypt per request; 0 = verify every request",
              CPROXY_KEY_APPLY(out.auth_cache_ttl = whole_seconds(values, 0, what))},
    ConfigKey{"limits.max_body_size", "--max-body-size", false, "a size in bytes, e.g. 1048576, 512KiB, 1GiB", "1GiB",
              "Largest request body accepted, in bytes or with KiB/MiB/GiB (larger: 413)",
              CPROXY_KEY_APPLY(out.proxy.max_request_body_bytes = size(values, 1ull << 50, what))},
    ConfigKey{"limits.max_header_size", "--max-header-size", false, "a size in bytes up to 64MiB, e.g. 32KiB", "32KiB",
              "Largest request head accepted, in bytes or with KiB/MiB (larger: 431)",
              CPROXY_KEY_APPLY(out.proxy.max_request_head_bytes = size(values, kMaxHead, what))},
    ConfigKey{"limits.max_chunk_extension_size", "--max-chunk-extension-size", false,
              "a size in bytes up to 64MiB, e.g. 4KiB", "4KiB",
              "Longest chunk extension (;name=value after a chunk size) accepted in a chunked request body "
              "(longer: 400)",
              CPROXY_KEY_APPLY(out.proxy.max_chunk_extension_bytes = size(values, kMaxHead, what))},
    ConfigKey{"limits.max_response_header_size", "", false, "a size in bytes up to 64MiB, e.g. 64KiB", "64KiB",
              "Largest upstream response head accepted (larger: 502)",
              CPROXY_KEY_APPLY(out.proxy.max_response_head_bytes = size(values, kMaxHead, what))},
    ConfigKey{"limits.inspect_body_limit", "--inspect-body-limit", false,
              "a size in bytes up to 64MiB, e.g. 64KiB (0 = off)", "64KiB",
              "How much of a response's content the content rules (JSON, problem details, gzip) see; "
              "0 = no content inspection",
              CPROXY_KEY_APPLY(out.proxy.inspect_body_limit = size(values, kMaxHead, what, true))},
    ConfigKey{"limits.history_resources", "--history-resources", false,
              "a whole number 0-100000000 (0 = no stateful rules)", "10000",
              "Resources (and as many clients) the stateful rules remember; the least recently used are "
              "forgotten first, so memory stays bounded whatever the traffic; 0 = stateful rules off",
              CPROXY_KEY_APPLY(out.proxy.history_resources = count(values, 100000000, what))},
    ConfigKey{"limits.upstream_idle_connections", "", false, "a whole number 0-100000", "64",
              "Idle upstream connections kept per I/O thread for reuse",
              CPROXY_KEY_APPLY(out.proxy.upstream_max_idle_per_thread = count(values, 100000, what))},
    ConfigKey{"limits.upstream_max_connections", "--upstream-max-connections", false,
              "a whole number 0-100000 (0 = unlimited)", "0",
              "Connections open at once to one upstream (host:port), busy and idle together; a request "
              "waits for one to come free, up to timeouts.upstream_connect (then 503); 0 = unlimited",
              CPROXY_KEY_APPLY(out.proxy.upstream_max_connections = count(values, 100000, what))},
    ConfigKey{"timeouts.client_header", "--client-header-timeout", false, kSeconds, "10",
              "Seconds a client may take to send its request head (slower: 408)",
              CPROXY_KEY_APPLY(out.proxy.client_head_timeout = seconds(values, what))},
    ConfigKey{"timeouts.client_idle", "", false, kSeconds, "60", "Seconds an idle keep-alive client connection stays open",
              CPROXY_KEY_APPLY(out.proxy.client_idle_timeout = seconds(values, what))},
    ConfigKey{"timeouts.upstream_connect", "", false, kSeconds, "5", "Seconds to connect to the upstream (slower: 502)",
              CPROXY_KEY_APPLY(out.proxy.upstream_connect_timeout = seconds(values, what))},
    ConfigKey{"timeouts.upstream", "--upstream-timeout", false, kSeconds, "60",
              "Seconds to wait for the upstream's response head (slower: 504)",
              CPROXY_KEY_APPLY(out.proxy.upstream_response_timeout = seconds(values, what))},
    ConfigKey{"timeouts.upstream_idle", "", false, kSeconds, "30", "Seconds an idle pooled upstream connection is kept",
              CPROXY_KEY_APPLY(out.proxy.upstream_idle_timeout = seconds(values, what))},
    ConfigKey{"timeouts.io", "", false, kSeconds, "60", "Seconds a body transfer may stall before it is aborted",
              CPROXY_KEY_APPLY(out.proxy.io_timeout = seconds(values, what))},
    ConfigKey{"timeouts.drain", "", false, kSeconds, "10", "Seconds in-flight exchanges get to finish on SIGINT/SIGTERM",
              CPROXY_KEY_APPLY(out.proxy.drain_timeout = seconds(values, what))},
};

#undef CPROXY_KEY_APPLY

}  // namespace

std::span<const ConfigKey> config_keys() noexcept { return kKeys; }

const ConfigKey* find_config_key(std::string_view path) noexcept {
    for (const ConfigKey& key : kKeys)
        if (key.path == path) return &key;
    return nullptr;
}

std::string env_name(std::string_view key_path) {
    std::string name(kEnvPrefix);
    for (char c : key_path) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

}  // namespace cproxy::config

// Where the prober's routes come from: plain lists, HAR files, an earlier report.json, a
// running proxy's /routes.json. Every source yields origin-form targets; a target that is not
// one (absolute URLs of other origins, "*", control characters) is left out, so a probe only
// ever goes to the upstream it was given.
#include <algorithm>
#include <cctype>
#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include "conformance_proxy/probe/Probe.hpp"

namespace cproxy::probe {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

// An origin-form target we are willing to send: "/" then visible ASCII only.
bool is_origin_form(std::string_view target) {
    if (!target.starts_with('/') || target.starts_with("//")) return false;
    return std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

void add_unique(std::vector<std::string>& out, std::set<std::string>& seen, std::string target) {
    if (const auto hash = target.find('#'); hash != std::string::npos) target.resize(hash);
    if (!is_origin_form(target)) return;
    if (seen.insert(target).second) out.push_back(std::move(target));
}

boost::json::value parse_json(std::string_view text, std::string_view source, std::string_view what) {
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec)
        throw ProbeInputError(std::string(source) + ": not valid JSON (" + ec.message() + "); expected " +
                              std::string(what));
    return value;
}

const boost::json::value* member(const boost::json::value& value, std::string_view key) {
    const auto* object = value.if_object();
    return object ? object->if_contains(key) : nullptr;
}

std::string string_member(const boost::json::value& value, std::string_view key) {
    const auto* found = member(value, key);
    return found && found->is_string() ? std::string(found->as_string()) : std::string();
}

}  // namespace

std::string Upstream::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::string Upstream::host_field() const {
    const bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
    const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return default_port ? name : name + ":" + std::to_string(port);
}

HeaderField parse_header_field(std::string_view text, std::string_view source) {
    const auto colon = text.find(':');
    const std::string_view name = colon == std::string_view::npos ? std::string_view{} : trim(text.substr(0, colon));
    const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
    const std::string_view value = colon == std::string_view::npos ? std::string_view{} : trim(text.substr(colon + 1));
    const bool clean = std::none_of(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
    // The value is never quoted back: it may be a credential.
    if (!token || !clean)
        throw ProbeInputError(std::string(source) + ": expected 'Name: value' (a field name, a colon, a value on one "
                              "line), e.g. --header 'Authorization: Bearer TOKEN'");
    return {std::string(name), std::string(value)};
}

std::vector<HeaderField> parse_header_file(std::string_view text, std::string_view source) {
    std::vector<HeaderField> out;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const std::string_view line = trim(text.substr(0, eol));
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        ++line_number;
        if (line.empty() || line.starts_with('#')) continue;
        out.push_back(parse_header_field(line, std::string(source) + " line " + std::to_string(line_number)));
    }
    return out;
}

std::vector<std::string> routes_from_list(std::string_view text, std::string_view source) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        const std::string_view line = trim(text.substr(0, eol));
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        ++line_number;
        if (line.empty() || line.starts_with('#')) continue;
        if (!is_origin_form(line))
            throw ProbeInputError(std::string(source) + " line " + std::to_string(line_number) +
                                  ": expected an origin-form target such as /api/items?page=2 (a path starting "
                                  "with /, no spaces); '#' starts a comment");
        add_unique(out, seen, std::string(line));
    }
    return out;
}

std::vector<std::string> routes_from_har(std::string_view text, std::string_view source, const Upstream& upstream) {
    const auto root = parse_json(text, source, "a HAR 1.2 file (log.entries[].request.url)");
    const auto* log = member(root, "log");
    const auto* entries = log ? member(*log, "entries") : nullptr;
    if (!entries || !entries->is_array())
        throw ProbeInputError(std::string(source) + ": no log.entries array; expected a HAR 1.2 file");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& entry : entries->as_array()) {
        const auto* request = member(entry, "request");
        if (!request) continue;
        const std::string text = string_member(*request, "url");  // the url_view points into it
        const auto url = boost::urls::parse_uri(text);
        if (!url) continue;
        // Only the upstream's own routes: never send its credentials elsewhere.
        const std::uint16_t port = url->has_port() ? url->port_number() : (url->scheme() == "https" ? 443 : 80);
        if (url->scheme() != upstream.scheme || url->host() != upstream.host || port != upstream.port) continue;
        std::string target(url->encoded_path().empty() ? "/" : std::string_view(url->encoded_path()));
        if (url->has_query()) target += "?" + std::string(url->encoded_query());
        add_unique(out, seen, std::move(target));
    }
    return out;
}

std::vector<std::string> routes_from_report(std::string_view text, std::string_view source) {
    const auto root = parse_json(text, source, "a report.json written by --report-json or the admin server");
    const auto* rules = member(root, "rules");
    if (!rules || !rules->is_array())
        throw ProbeInputError(std::string(source) + ": no \"rules\" array; expected a conformance-proxy report.json");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& rule : rules->as_array()) {
        if (const auto* example = member(rule, "example")) add_unique(out, seen, string_member(*example, "target"));
        if (const auto* routes = member(rule, "routes"); routes && routes->is_array())
            for (const auto& route : routes->as_array()) add_unique(out, seen, string_member(route, "target"));
    }
    return out;
}

std::vector<std::string> routes_from_admin(std::string_view text, std::string_view source) {
    const auto root = parse_json(text, source, "the admin server's /routes.json");
    const auto* routes = member(root, "routes");
    if (!routes || !routes->is_array())
        throw ProbeInputError(std::string(source) + ": no \"routes\" array; expected the admin server's /routes.json");
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& route : routes->as_array()) add_unique(out, seen, string_member(route, "example"));
    return out;
}

}  // namespace cproxy::probe

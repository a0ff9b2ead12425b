#include "conformance_proxy/report/Baseline.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "conformance_proxy/report/RouteNormalizer.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace json = boost::json;

std::string Fingerprint::key() const {
    return rule + ' ' + subject + ' ' + method + ' ' + route + ' ' + std::to_string(status);
}

Fingerprint make_fingerprint(std::string_view rule, std::string_view subject, std::string_view method,
                             std::string_view target, int status) {
    return make_fingerprint_on_route(rule, subject, method, normalize_route(target), status);
}

Fingerprint make_fingerprint_on_route(std::string_view rule, std::string_view subject, std::string_view method,
                                      std::string_view route, int status) {
    return Fingerprint{text::valid_utf8(rule), text::valid_utf8(subject), text::valid_utf8(method),
                       text::valid_utf8(route), status};
}

std::string_view baseline_mark_name(BaselineMark mark) noexcept {
    switch (mark) {
    case BaselineMark::known: return "known";
    case BaselineMark::new_finding: return "new";
    case BaselineMark::none: break;
    }
    return "";
}

namespace {

json::object entry_json(const Fingerprint& f) {
    json::object o;
    o["rule"] = f.rule;
    o["subject"] = f.subject;
    o["method"] = f.method;
    o["route"] = f.route;
    o["status"] = f.status;
    return o;
}

[[noreturn]] void bad(const std::string& name, const std::string& what) {
    throw std::runtime_error(name + ": " + what);
}

const json::string& string_member(const json::object& o, std::string_view key, const std::string& where) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) bad(where, "expected a string member \"" + std::string(key) + "\"");
    return v->get_string();
}

int int_member(const json::object& o, std::string_view key, const std::string& where) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_int64()) bad(where, "expected a number member \"" + std::string(key) + "\"");
    return static_cast<int>(v->get_int64());
}

// An object with rule, subject, method and either route or target, and status.
Fingerprint fingerprint_of(const json::object& o, const std::string& where) {
    const auto& rule = string_member(o, "rule", where);
    const auto* subject = o.if_contains("subject");
    const std::string_view subject_text =
        subject && subject->is_string() ? std::string_view(subject->get_string()) : std::string_view("response");
    const auto& method = string_member(o, "method", where);
    const auto* route = o.if_contains("route");
    const auto& path = route ? string_member(o, "route", where) : string_member(o, "target", where);
    const int status = int_member(o, "status", where);
    // A route is already a template; normalising it again leaves it as it is.
    return make_fingerprint(rule, subject_text, method, path, status);
}

json::value parse_json(std::string_view text, const std::string& where) {
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec) bad(where, "not valid JSON (" + ec.message() + ")");
    return value;
}

}  // namespace

std::string Baseline::to_json() const {
    // One entry per line: a new or fixed finding is one added or removed line in a diff.
    std::string out = "{\n  \"format\": \"conformance-proxy baseline\",\n  \"version\": 1,\n  \"findings\": [";
    bool first = true;
    for (const auto& f : entries_) {
        out += first ? "\n    " : ",\n    ";
        first = false;
        out += json::serialize(entry_json(f));
    }
    out += entries_.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

Baseline Baseline::parse(std::string_view text, const std::string& name) {
    const auto value = parse_json(text, name);
    const auto* root = value.if_object();
    const auto* findings = root ? root->if_contains("findings") : nullptr;
    if (findings == nullptr || !findings->is_array())
        bad(name, "not a baseline file (expected {\"findings\": [...]}, as `conformance-proxy baseline create` "
                  "writes it)");
    std::set<Fingerprint> entries;
    std::size_t index = 0;
    for (const auto& item : findings->get_array()) {
        const std::string where = name + ": findings[" + std::to_string(index++) + "]";
        if (!item.is_object()) bad(where, "expected an object");
        entries.insert(fingerprint_of(item.get_object(), where));
    }
    return Baseline(std::move(entries));
}

Baseline Baseline::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read baseline file " + path + ": no such file or not readable");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

std::set<Fingerprint> fingerprints_from_file_text(std::string_view text, const std::string& name) {
    std::set<Fingerprint> out;
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return out;  // an empty findings file: a clean run
    // A report is one JSON object spanning the file; JSON Lines has one object per line whose
    // first line parses on its own and carries a "rule".
    const auto first_line = text.substr(start, text.find('\n', start) - start);
    boost::system::error_code ec;
    const auto line_value = json::parse(first_line, ec);
    const bool json_lines = !ec && line_value.is_object() && line_value.get_object().contains("rule");
    if (json_lines) {
        std::size_t line_number = 0;
        std::size_t at = 0;
        while (at < text.size()) {
            const auto end = std::min(text.find('\n', at), text.size());
            const auto line = text.substr(at, end - at);
            at = end + 1;
            ++line_number;
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            const std::string where = name + ":" + std::to_string(line_number);
            const auto value = parse_json(line, where);
            if (!value.is_object()) bad(where, "expected one JSON object per line");
            out.insert(fingerprint_of(value.get_object(), where));
        }
        return out;
    }
    const auto value = parse_json(text, name);
    const auto* root = value.if_object();
    if (root == nullptr || !root->contains("rules"))
        bad(name, "neither a report (report.json, with \"rules\") nor a --findings JSON Lines file");
    if (const auto* fps = root->if_contains("fingerprints"); fps && fps->is_array()) {
        std::size_t index = 0;
        for (const auto& item : fps->get_array()) {
            const std::string where = name + ": fingerprints[" + std::to_string(index++) + "]";
            if (!item.is_object()) bad(where, "expected an object");
            out.insert(fingerprint_of(item.get_object(), where));
        }
        return out;
    }
    // An older report without fingerprints: each rule's routes, with the first method and status seen.
    const auto* rules = root->at("rules").if_array();
    if (rules == nullptr) bad(name, "\"rules\" is not an array");
    for (const auto& rule : *rules) {
        const auto* r = rule.if_object();
        if (r == nullptr) bad(name, "a member of \"rules\" is not an object");
        const auto* id = r->if_contains("id");
        const auto* about = r->if_contains("about");
        const auto* routes = r->if_contains("routes");
        if (!id || !id->is_string() || !routes || !routes->is_array()) bad(name, "a rule lacks \"id\" or \"routes\"");
        for (const auto& hit : routes->get_array()) {
            const auto* h = hit.if_object();
            if (h == nullptr) bad(name, "a route of rule " + std::string(id->get_string()) + " is not an object");
            const std::string where = name + ": rule " + std::string(id->get_string());
            out.insert(make_fingerprint(id->get_string(),
                                        about && about->is_string() ? std::string_view(about->get_string())
                                                                    : std::string_view("response"),
                                        string_member(*h, "method", where), string_member(*h, "route", where),
                                        int_member(*h, "status", where)));
        }
    }
    return out;
}

}  // namespace cproxy::report

#include "conformance_proxy/report/ReportMerge.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::report {

namespace json = boost::json;
using std::chrono::system_clock;

namespace {

// Reads one report.json with the name of the file in every error.
class Reader {
public:
    explicit Reader(std::string name) : name_(std::move(name)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error(name_ + ": " + what + " (expected a report.json written by conformance-proxy)");
    }
    const json::value& member(const json::object& o, std::string_view key) const {
        const auto* v = o.if_contains(key);
        if (v == nullptr) fail("missing \"" + std::string(key) + "\"");
        return *v;
    }
    std::uint64_t count(const json::object& o, std::string_view key) const {
        const auto& v = member(o, key);
        if (v.is_uint64()) return v.get_uint64();
        if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
        fail("\"" + std::string(key) + "\" is not a count");
    }
    int integer(const json::object& o, std::string_view key) const {
        const auto& v = member(o, key);
        if (v.is_int64()) return static_cast<int>(v.get_int64());
        if (v.is_uint64()) return static_cast<int>(v.get_uint64());
        fail("\"" + std::string(key) + "\" is not a number");
    }
    double real(const json::object& o, std::string_view key) const {
        const auto& v = member(o, key);
        if (v.is_number()) return v.to_number<double>();
        fail("\"" + std::string(key) + "\" is not a number");
    }
    std::string string(const json::object& o, std::string_view key) const {
        const auto& v = member(o, key);
        if (!v.is_string()) fail("\"" + std::string(key) + "\" is not a string");
        return std::string(v.get_string());
    }
    std::string optional_string(const json::object& o, std::string_view key) const {
        const auto* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    }
    const json::object& object(const json::object& o, std::string_view key) const {
        const auto& v = member(o, key);
        if (!v.is_object()) fail("\"" + std::string(key) + "\" is not an object");
        return v.get_object();
    }
    const json::array& array(const json::object& o, std::string_view key) const {
        const auto& v = member(o, key);
        if (!v.is_array()) fail("\"" + std::string(key) + "\" is not an array");
        return v.get_array();
    }
    const json::object& as_object(const json::value& v, std::string_view what) const {
        if (!v.is_object()) fail(std::string(what) + " is not an object");
        return v.get_object();
    }
    check::Level level(const json::object& o, std::string_view key) const {
        const auto text = string(o, key);
        const auto level = check::parse_level(text);
        if (!level) fail("\"" + std::string(key) + "\" is not error, warning or info: \"" + text + "\"");
        return *level;
    }
    system_clock::time_point time(const json::object& o, std::string_view key) const {
        const auto text = string(o, key);
        std::tm tm{};
        int millis = 0;
        if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                        &tm.tm_min, &tm.tm_sec, &millis) != 7)
            fail("\"" + std::string(key) + "\" is not a UTC time such as 2026-11-21T10:00:00.123Z");
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        return system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
    }
    LevelCounts levels(const json::object& o, std::string_view key) const {
        const auto& l = object(o, key);
        return {count(l, "info"), count(l, "warning"), count(l, "error")};
    }
    StatusClassCounts classes(const json::object& o) const {
        StatusClassCounts out{};
        for (std::size_t c = 0; c < status_class_count; ++c) out[c] = count(o, status_class_name(c));
        return out;
    }
    RuleInfo rule_info(const json::object& o) const {
        RuleInfo r;
        r.id = string(o, "id");
        r.level = level(o, "level");
        r.reference = optional_string(o, "reference");
        r.summary = optional_string(o, "summary");
        r.subject = optional_string(o, "subject");
        r.about = optional_string(o, "about") == "request" ? check::Side::request : check::Side::response;
        return r;
    }

private:
    std::string name_;
};

BaselineMark mark_named(std::string_view text) {
    if (text == "known") return BaselineMark::known;
    if (text == "new") return BaselineMark::new_finding;
    return BaselineMark::none;
}

void add_levels(LevelCounts& to, const LevelCounts& from) {
    for (std::size_t l = 0; l < level_count; ++l) to[l] += from[l];
}

}  // namespace

ReportSnapshot parse_report_json(std::string_view text, const std::string& name) {
    const Reader in(name);
    boost::system::error_code ec;
    const auto value = json::parse(text, ec);
    if (ec) in.fail("not valid JSON (" + ec.message() + ")");
    const auto& root = in.as_object(value, "the report");

    ReportSnapshot s;
    s.started = in.time(root, "started");
    s.generated = in.time(root, "generated");
    s.exchanges = in.count(root, "exchanges");
    s.exchanges_with_findings = in.count(root, "exchanges_with_findings");
    s.upstream_errors = in.count(root, "upstream_errors");
    s.response_bytes = in.count(root, "response_bytes");
    s.status_classes = in.classes(in.object(root, "status_classes"));
    s.findings = in.levels(root, "findings");

    for (const auto& item : in.array(root, "rules")) {
        const auto& o = in.as_object(item, "a rule");
        RuleReport r;
        r.rule = in.rule_info(o);
        r.level = in.level(o, "effective_level");
        r.count = in.count(o, "count");
        r.by_level = in.levels(o, "by_level");
        const auto& e = in.object(o, "example");
        r.example.exchange = in.count(e, "exchange");
        r.example.time = in.time(e, "time");
        r.example.method = in.string(e, "method");
        r.example.target = in.string(e, "target");
        r.example.status = in.integer(e, "status");
        r.example.message = in.string(e, "message");
        r.example.view.request_line = in.optional_string(e, "request_line");
        r.example.view.status_line = in.optional_string(e, "status_line");
        if (const auto* fields = e.if_contains("fields"); fields && fields->is_array())
            for (const auto& f : fields->get_array())
                if (f.is_array() && f.get_array().size() == 2 && f.get_array()[0].is_string() &&
                    f.get_array()[1].is_string())
                    r.example.view.fields.push_back(
                        {std::string(f.get_array()[0].get_string()), std::string(f.get_array()[1].get_string())});
        for (const auto& hit : in.array(o, "routes")) {
            const auto& h = in.as_object(hit, "a route of a rule");
            r.routes.push_back(RouteHit{in.string(h, "route"), in.count(h, "count"), in.level(h, "level"),
                                        in.string(h, "message"), in.string(h, "method"), in.string(h, "target"),
                                        in.integer(h, "status")});
        }
        s.rules.push_back(std::move(r));
    }
    for (const auto& item : in.array(root, "routes")) {
        const auto& o = in.as_object(item, "a route");
        s.routes.push_back(RouteReport{in.string(o, "route"), in.count(o, "exchanges"), in.levels(o, "findings")});
    }
    if (const auto* tl = root.if_contains("timeline"); tl && tl->is_object()) {
        s.timeline.origin = in.time(tl->get_object(), "origin");
        s.timeline.bucket_seconds = std::max<std::int64_t>(1, in.integer(tl->get_object(), "bucket_seconds"));
        for (const auto& b : in.array(tl->get_object(), "buckets"))
            s.timeline.buckets.push_back(in.classes(in.as_object(b, "a timeline bucket")));
    }
    if (const auto* lat = root.if_contains("latency"); lat && lat->is_object()) {
        const auto& buckets = in.array(lat->get_object(), "buckets");
        if (buckets.size() != s.latency.counts.size()) in.fail("\"latency\" has other buckets than this version's");
        std::uint64_t previous = 0;
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            const auto cumulative = in.count(in.as_object(buckets[i], "a latency bucket"), "count");
            s.latency.counts[i] = cumulative - std::min(cumulative, previous);  // stored cumulative
            previous = cumulative;
        }
        s.latency.sum_seconds = in.real(lat->get_object(), "sum_seconds");
        s.latency.count = in.count(lat->get_object(), "count");
    }
    if (const auto* checked = root.if_contains("checked_rules"); checked && checked->is_array())
        for (const auto& item : checked->get_array()) s.checked_rules.push_back(in.rule_info(in.as_object(item, "a checked rule")));
    if (const auto* prints = root.if_contains("fingerprints"); prints && prints->is_array())
        for (const auto& item : prints->get_array()) {
            const auto& o = in.as_object(item, "a fingerprint");
            FingerprintReport f;
            f.fingerprint = Fingerprint{in.string(o, "rule"), in.string(o, "subject"), in.string(o, "method"),
                                        in.string(o, "route"), in.integer(o, "status")};
            f.count = in.count(o, "count");
            f.level = in.level(o, "level");
            f.baseline = mark_named(in.optional_string(o, "baseline"));
            f.message = in.optional_string(o, "message");
            f.target = in.optional_string(o, "target");
            s.fingerprints.push_back(std::move(f));
        }
    if (const auto* silenced = root.if_contains("silenced"); silenced && silenced->is_object()) {
        const auto& o = silenced->get_object();
        s.silenced.findings = in.levels(o, "findings");
        for (const auto& [id, n] : in.object(o, "rules"))
            s.silenced.by_rule.emplace_back(std::string(id), n.is_number() ? n.to_number<std::uint64_t>() : 0);
        for (const auto& [id, n] : in.object(o, "unknown_ids"))
            s.silenced.unknown_ids.emplace_back(std::string(id), n.is_number() ? n.to_number<std::uint64_t>() : 0);
    }
    return s;
}

ReportSnapshot load_report_json(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read report " + path + ": no such file or not readable");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_report_json(text.str(), path);
}

namespace {

// Adds b's timeline into a, both re-based on the earlier origin at the coarser resolution.
void merge_timeline(Timeline& a, const Timeline& b) {
    if (b.buckets.empty()) return;
    if (a.buckets.empty()) {
        a = b;
        return;
    }
    Timeline out;
    out.origin = std::min(a.origin, b.origin);
    out.bucket_seconds = std::max(a.bucket_seconds, b.bucket_seconds);
    auto add = [&](const Timeline& t) {
        const auto shift = std::chrono::duration_cast<std::chrono::seconds>(t.origin - out.origin).count();
        for (std::size_t i = 0; i < t.buckets.size(); ++i) {
            auto index = static_cast<std::size_t>((shift + static_cast<std::int64_t>(i) * t.bucket_seconds) /
                                                  out.bucket_seconds);
            while (index >= Timeline::max_buckets) {  // as the Aggregator does: halve the resolution
                std::vector<StatusClassCounts> merged((out.buckets.size() + 1) / 2);
                for (std::size_t j = 0; j < out.buckets.size(); ++j)
                    for (std::size_t c = 0; c < status_class_count; ++c) merged[j / 2][c] += out.buckets[j][c];
                out.buckets = std::move(merged);
                out.bucket_seconds *= 2;
                index = static_cast<std::size_t>((shift + static_cast<std::int64_t>(i) * t.bucket_seconds) /
                                                 out.bucket_seconds);
            }
            if (out.buckets.size() <= index) out.buckets.resize(index + 1);
            for (std::size_t c = 0; c < status_class_count; ++c) out.buckets[index][c] += t.buckets[i][c];
        }
    };
    add(a);
    add(b);
    a = std::move(out);
}

}  // namespace

ReportSnapshot merge_reports(const std::vector<ReportSnapshot>& reports) {
    ReportSnapshot m;
    if (reports.empty()) return m;
    m.started = reports.front().started;
    m.generated = reports.front().generated;
    std::map<std::string, RuleReport> rules;
    std::map<std::string, RouteReport> routes;
    std::map<Fingerprint, FingerprintReport> prints;
    std::map<std::string, std::uint64_t> silenced, unknown;
    for (const auto& r : reports) {
        m.started = std::min(m.started, r.started);
        m.generated = std::max(m.generated, r.generated);
        m.exchanges += r.exchanges;
        m.exchanges_with_findings += r.exchanges_with_findings;
        m.upstream_errors += r.upstream_errors;
        m.response_bytes += r.response_bytes;
        for (std::size_t c = 0; c < status_class_count; ++c) m.status_classes[c] += r.status_classes[c];
        add_levels(m.findings, r.findings);
        for (const auto& info : r.checked_rules)
            if (std::none_of(m.checked_rules.begin(), m.checked_rules.end(),
                             [&](const RuleInfo& c) { return c.id == info.id; }))
                m.checked_rules.push_back(info);
        for (const auto& rule : r.rules) {
            auto [it, fresh] = rules.try_emplace(rule.rule.id, rule);
            if (fresh) continue;
            auto& into = it->second;
            into.count += rule.count;
            add_levels(into.by_level, rule.by_level);
            into.level = std::max(into.level, rule.level);
            if (rule.example.time < into.example.time) into.example = rule.example;
            for (const auto& hit : rule.routes) {
                auto same = std::find_if(into.routes.begin(), into.routes.end(),
                                         [&](const RouteHit& h) { return h.route == hit.route; });
                if (same == into.routes.end()) {
                    into.routes.push_back(hit);
                } else {
                    same->count += hit.count;
                    same->level = std::max(same->level, hit.level);
                }
            }
        }
        for (const auto& route : r.routes) {
            auto [it, fresh] = routes.try_emplace(route.route, route);
            if (fresh) continue;
            it->second.exchanges += route.exchanges;
            add_levels(it->second.findings, route.findings);
        }
        for (const auto& f : r.fingerprints) {
            auto [it, fresh] = prints.try_emplace(f.fingerprint, f);
            if (fresh) continue;
            it->second.count += f.count;
            it->second.level = std::max(it->second.level, f.level);
            if (it->second.baseline == BaselineMark::none) it->second.baseline = f.baseline;
        }
        merge_timeline(m.timeline, r.timeline);
        for (std::size_t i = 0; i < m.latency.counts.size(); ++i) m.latency.counts[i] += r.latency.counts[i];
        m.latency.sum_seconds += r.latency.sum_seconds;
        m.latency.count += r.latency.count;
        add_levels(m.silenced.findings, r.silenced.findings);
        for (const auto& [id, n] : r.silenced.by_rule) silenced[id] += n;
        for (const auto& [id, n] : r.silenced.unknown_ids) unknown[id] += n;
    }
    // The orders the Aggregator gives: rules error first then by count, routes by findings.
    for (auto& [id, rule] : rules) {
        std::sort(rule.routes.begin(), rule.routes.end(), [](const RouteHit& a, const RouteHit& b) {
            return a.count != b.count ? a.count > b.count : a.route < b.route;
        });
        m.rules.push_back(std::move(rule));
    }
    std::sort(m.rules.begin(), m.rules.end(), [](const RuleReport& a, const RuleReport& b) {
        if (a.level != b.level) return a.level > b.level;
        if (a.count != b.count) return a.count > b.count;
        return a.rule.id < b.rule.id;
    });
    for (auto& [name, route] : routes) m.routes.push_back(std::move(route));
    std::sort(m.routes.begin(), m.routes.end(), [](const RouteReport& a, const RouteReport& b) {
        if (a.findings[2] != b.findings[2]) return a.findings[2] > b.findings[2];
        if (a.findings_total() != b.findings_total()) return a.findings_total() > b.findings_total();
        if (a.exchanges != b.exchanges) return a.exchanges > b.exchanges;
        return a.route < b.route;
    });
    for (auto& [print, f] : prints) m.fingerprints.push_back(std::move(f));
    m.silenced.by_rule.assign(silenced.begin(), silenced.end());
    m.silenced.unknown_ids.assign(unknown.begin(), unknown.end());
    return m;
}

}  // namespace cproxy::report

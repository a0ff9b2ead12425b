#include "conformance_proxy/report/ReportJson.hpp"

#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "conformance_proxy/report/JsonLines.hpp"
#include "conformance_proxy/report/SarifReport.hpp"
#include "conformance_proxy/check/rule.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace json = boost::json;

namespace {

json::object levels_json(const LevelCounts& counts) {
    json::object o;
    o["error"] = counts[2];
    o["warning"] = counts[1];
    o["info"] = counts[0];
    return o;
}

json::object classes_json(const StatusClassCounts& counts) {
    json::object o;
    for (std::size_t c = 0; c < status_class_count; ++c) o[status_class_name(c)] = counts[c];
    return o;
}

json::object rule_info_json(const RuleInfo& r) {
    json::object o;
    o["id"] = text::valid_utf8(r.id);
    o["level"] = level_name(r.level);
    o["reference"] = text::valid_utf8(r.reference);
    o["reference_url"] = check::reference_url(r.reference);
    o["summary"] = text::valid_utf8(r.summary);
    o["subject"] = r.subject;
    o["about"] = check::to_string(r.about);
    return o;
}

json::object example_json(const RuleExample& e) {
    json::object o;
    o["exchange"] = e.exchange;
    o["time"] = format_utc_millis(e.time);
    o["method"] = text::valid_utf8(e.method);
    o["target"] = text::valid_utf8(e.target);
    o["status"] = e.status;
    o["message"] = text::valid_utf8(e.message);
    o["request_line"] = text::valid_utf8(e.view.request_line);
    o["status_line"] = text::valid_utf8(e.view.status_line);
    json::array fields;
    for (const auto& f : e.view.fields)
        fields.push_back(json::array{json::string(text::valid_utf8(f.name)),
                                     json::string(text::valid_utf8(f.value))});
    o["fields"] = std::move(fields);
    if (e.earlier)  // a stateful finding: the exchange it contradicts
        o["earlier"] = json::object{{"exchange", e.earlier->exchange}, {"time", format_utc_millis(e.earlier->time)}};
    return o;
}

}  // namespace

// --openapi: each declared operation, exercised or not, with its declared and seen statuses.
static json::object coverage_json(const CoverageReport& coverage) {
    json::object o;
    o["document"] = text::valid_utf8(coverage.document);
    o["declared"] = coverage.declared;
    o["exercised"] = coverage.exercised;
    o["percent"] = std::round(coverage.percent() * 10) / 10;
    json::array operations;
    for (const auto& operation : coverage.operations) {
        json::object op;
        op["method"] = operation.method;
        op["path"] = text::valid_utf8(operation.path);
        op["operation_id"] = text::valid_utf8(operation.operation_id);
        op["exercised"] = operation.exercised();
        op["exchanges"] = operation.exchanges;
        json::array declared, seen, unseen;
        for (const auto& code : operation.declared_statuses) declared.push_back(json::string(code));
        for (const int status : operation.seen_statuses) seen.push_back(status);
        for (const auto& code : operation.unseen_statuses) unseen.push_back(json::string(code));
        op["declared_statuses"] = std::move(declared);
        op["seen_statuses"] = std::move(seen);
        op["unseen_statuses"] = std::move(unseen);
        operations.push_back(std::move(op));
    }
    o["operations"] = std::move(operations);
    return o;
}

json::value snapshot_to_json(const ReportSnapshot& s, const std::optional<Verdict>& verdict) {
    json::object root;
    root["started"] = format_utc_millis(s.started);
    root["generated"] = format_utc_millis(s.generated);
    root["exchanges"] = s.exchanges;
    root["exchanges_with_findings"] = s.exchanges_with_findings;
    root["upstream_errors"] = s.upstream_errors;
    root["response_bytes"] = s.response_bytes;
    root["status_classes"] = classes_json(s.status_classes);
    root["findings"] = levels_json(s.findings);
    root["findings_total"] = s.findings_total();
    if (verdict) {
        json::object v;
        v["exit_status"] = verdict->exit_status;
        v["reason"] = verdict->reason;
        root["verdict"] = std::move(v);
    }

    json::array rules;
    for (const auto& r : s.rules) {
        json::object o = rule_info_json(r.rule);
        o["effective_level"] = level_name(r.level);
        o["count"] = r.count;
        o["by_level"] = levels_json(r.by_level);
        o["example"] = example_json(r.example);
        json::array routes;
        for (const auto& h : r.routes) {
            json::object ro;
            ro["route"] = text::valid_utf8(h.route);
            ro["count"] = h.count;
            ro["level"] = level_name(h.level);
            ro["message"] = text::valid_utf8(h.message);
            ro["method"] = text::valid_utf8(h.method);
            ro["target"] = text::valid_utf8(h.target);
            ro["status"] = h.status;
            routes.push_back(std::move(ro));
        }
        o["routes"] = std::move(routes);
        rules.push_back(std::move(o));
    }
    root["rules"] = std::move(rules);

    json::array routes;
    for (const auto& r : s.routes) {
        json::object o;
        o["route"] = text::valid_utf8(r.route);
        o["exchanges"] = r.exchanges;
        o["findings"] = levels_json(r.findings);
        routes.push_back(std::move(o));
    }
    root["routes"] = std::move(routes);
    if (s.coverage) root["coverage"] = coverage_json(*s.coverage);

    json::object timeline;
    timeline["origin"] = format_utc_millis(s.timeline.origin);
    timeline["bucket_seconds"] = s.timeline.bucket_seconds;
    json::array buckets;
    for (const auto& b : s.timeline.buckets) buckets.push_back(classes_json(b));
    timeline["buckets"] = std::move(buckets);
    root["timeline"] = std::move(timeline);

    json::object latency;
    json::array lb;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= LatencyHistogram::bounds.size(); ++i) {
        cumulative += s.latency.counts[i];
        json::object b;
        if (i < LatencyHistogram::bounds.size()) b["le"] = LatencyHistogram::bounds[i];
        else b["le"] = "+Inf";
        b["count"] = cumulative;  // cumulative, as in Prometheus
        lb.push_back(std::move(b));
    }
    latency["buckets"] = std::move(lb);
    latency["sum_seconds"] = s.latency.sum_seconds;
    latency["count"] = s.latency.count;
    root["latency"] = std::move(latency);

    json::array prints;
    for (const auto& f : s.fingerprints) {
        json::object o;
        o["rule"] = f.fingerprint.rule;
        o["subject"] = f.fingerprint.subject;
        o["method"] = f.fingerprint.method;
        o["route"] = f.fingerprint.route;
        o["status"] = f.fingerprint.status;
        o["level"] = level_name(f.level);
        o["count"] = f.count;
        if (f.baseline != BaselineMark::none) o["baseline"] = baseline_mark_name(f.baseline);
        o["message"] = text::valid_utf8(f.message);
        o["target"] = text::valid_utf8(f.target);
        prints.push_back(std::move(o));
    }
    root["fingerprints"] = std::move(prints);
    if (s.baseline) {
        json::object b;
        b["path"] = s.baseline->path;
        b["entries"] = s.baseline->entries;
        b["known"] = levels_json(s.baseline->known);
        b["new"] = levels_json(s.baseline->fresh);
        json::array fixed;
        for (const auto& f : s.baseline->fixed) {
            json::object o;
            o["rule"] = f.rule;
            o["subject"] = f.subject;
            o["method"] = f.method;
            o["route"] = f.route;
            o["status"] = f.status;
            fixed.push_back(std::move(o));
        }
        b["fixed"] = std::move(fixed);
        root["baseline"] = std::move(b);
    }
    json::object silenced;
    silenced["findings"] = levels_json(s.silenced.findings);
    json::object by_rule, unknown;
    for (const auto& [id, n] : s.silenced.by_rule) by_rule[id] = n;
    for (const auto& [id, n] : s.silenced.unknown_ids) unknown[text::valid_utf8(id)] = n;
    silenced["rules"] = std::move(by_rule);
    silenced["unknown_ids"] = std::move(unknown);
    root["silenced"] = std::move(silenced);

    json::array checked;
    for (const auto& r : s.checked_rules) checked.push_back(rule_info_json(r));
    root["checked_rules"] = std::move(checked);
    return root;
}

std::string render_report_json(const ReportSnapshot& snapshot, const std::optional<Verdict>& verdict) {
    return json::serialize(snapshot_to_json(snapshot, verdict));
}

}  // namespace cproxy::report

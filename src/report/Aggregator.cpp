#include "conformance_proxy/report/Aggregator.hpp"

#include <algorithm>

#include "conformance_proxy/report/RouteNormalizer.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace {

constexpr std::string_view unknown_rule_id = "unknown";

RuleInfo info_of(const check::Rule* rule) {
    if (rule == nullptr) return RuleInfo{std::string(unknown_rule_id), check::Level::error, "", ""};
    return RuleInfo{std::string(rule->id), rule->level, std::string(rule->reference),
                    std::string(rule->summary), std::string(rule->subject), rule->side};
}

std::size_t index_of(check::Level level) { return static_cast<std::size_t>(level); }

}  // namespace

Aggregator::Aggregator(AggregatorOptions options, std::chrono::system_clock::time_point started)
    : max_routes_(std::max<std::size_t>(options.max_routes, 1)),
      max_fingerprints_(options.max_fingerprints),
      baseline_(std::move(options.baseline)) {
    totals_.started = started;
    if (options.contract) coverage_ = std::make_unique<CoverageTracker>(*options.contract, options.contract_name);
    baseline_report_.path = std::move(options.baseline_path);
    if (baseline_) baseline_report_.entries = baseline_->size();
    checked_.reserve(options.checked_rules.size());
    for (const auto* rule : options.checked_rules)
        if (rule != nullptr) checked_.push_back(info_of(rule));
}

std::string Aggregator::normalize(const ExchangeRecord& record) {
    return normalize_route(record.target);
}

std::string Aggregator::route_of(const ExchangeRecord& record, const check::Contract* contract) {
    if (contract)
        if (std::string route = contract_route(*contract, record.target); !route.empty()) return route;
    return normalize(record);
}

bool Aggregator::same_fingerprint(const Fingerprint& print, const FingerprintView& view) noexcept {
    return print.status == view.status && print.rule == view.rule && print.route == view.route &&
           print.method == view.method && print.subject == view.subject;
}

Aggregator::RuleState& Aggregator::rule_state(const check::Rule* rule) {
    // The rule of the last finding is usually the rule of this one: no lookup by id then.
    if (last_rule_state_ != nullptr && last_rule_ == rule) return *last_rule_state_;
    RuleState& state = find_rule_state(rule);
    last_rule_ = rule;
    last_rule_state_ = &state;  // map nodes never move, and none is ever erased
    return state;
}

Aggregator::RuleState& Aggregator::find_rule_state(const check::Rule* rule) {
    const std::string_view id = rule ? rule->id : unknown_rule_id;
    auto it = rules_.find(id);
    if (it == rules_.end()) {
        it = rules_.emplace(std::string(id), RuleState{}).first;
        it->second.info = info_of(rule);
        const bool listed = std::any_of(checked_.begin(), checked_.end(),
                                        [&](const RuleInfo& r) { return r.id == id; });
        if (!listed) checked_.push_back(it->second.info);
    }
    return it->second;
}

bool Aggregator::wants_example(const check::Findings& findings) const {
    return std::any_of(findings.begin(), findings.end(), [&](const check::Finding& finding) {
        if (last_rule_state_ != nullptr && last_rule_ == finding.rule) return last_rule_state_->count == 0;
        const auto it = rules_.find(finding.rule ? finding.rule->id : unknown_rule_id);
        return it == rules_.end() || it->second.count == 0;
    });
}

Aggregator::RouteEntry& Aggregator::route_state(const std::string& route) {
    auto it = routes_.find(route);
    if (it != routes_.end()) return *it;
    // Bounded: past max_routes distinct routes everything new shares one bucket.
    if (routes_.size() >= max_routes_) it = routes_.try_emplace(std::string(other_route)).first;
    else it = routes_.try_emplace(route).first;
    return *it;
}

void Aggregator::add_to_timeline(std::chrono::system_clock::time_point time, std::size_t status_class) {
    auto& tl = totals_.timeline;
    if (!timeline_started_) {
        timeline_started_ = true;
        tl.origin = std::chrono::floor<std::chrono::seconds>(time);
    }
    auto offset = std::chrono::duration_cast<std::chrono::seconds>(time - tl.origin).count();
    if (offset < 0) offset = 0;  // clocks of different threads may disagree slightly
    auto index = static_cast<std::size_t>(offset / tl.bucket_seconds);
    while (index >= Timeline::max_buckets) {
        // Halve the resolution: merge neighbouring buckets, double the width.
        std::vector<StatusClassCounts> merged((tl.buckets.size() + 1) / 2);
        for (std::size_t i = 0; i < tl.buckets.size(); ++i)
            for (std::size_t c = 0; c < status_class_count; ++c) merged[i / 2][c] += tl.buckets[i][c];
        tl.buckets = std::move(merged);
        tl.bucket_seconds *= 2;
        index = static_cast<std::size_t>(offset / tl.bucket_seconds);
    }
    if (tl.buckets.size() <= index) tl.buckets.resize(index + 1);
    ++tl.buckets[index][status_class];
}

Fingerprint Aggregator::fingerprint_on_route(const ExchangeRecord& record, const check::Finding& finding,
                                             std::string_view normalized_route) {
    const auto* rule = finding.rule;
    return make_fingerprint_on_route(rule ? rule->id : unknown_rule_id,
                                     check::to_string(rule ? rule->side : check::Side::response), record.method,
                                     normalized_route, record.status);
}

Fingerprint Aggregator::fingerprint(const ExchangeRecord& record, const check::Finding& finding) {
    return fingerprint_on_route(record, finding, normalize(record));
}

void Aggregator::mark(ExchangeRecord& record, const Baseline* baseline) {
    record.baseline.clear();
    if (baseline == nullptr) return;
    record.baseline.reserve(record.findings.size());
    for (const auto& finding : record.findings)
        record.baseline.push_back(baseline->contains(fingerprint(record, finding)) ? BaselineMark::known
                                                                                   : BaselineMark::new_finding);
}

void Aggregator::add(const ExchangeRecord& record, const std::string& route) {
    auto& t = totals_;
    ++t.exchanges;
    if (!record.findings.empty()) ++t.exchanges_with_findings;
    if (record.upstream_error) ++t.upstream_errors;
    t.response_bytes += record.response_bytes;
    const auto status_class = status_class_index(record.status);
    ++t.status_classes[status_class];
    add_to_timeline(record.time, status_class);
    t.latency.observe(std::chrono::duration<double>(record.duration).count());
    if (coverage_) coverage_->add(record.method, record.target, record.status);

    auto& [route_name, route_entry] = route_state(route);
    ++route_entry.exchanges;
    if (route_entry.example.empty()) route_entry.example = redact_target(record.target);

    for (const auto& finding : record.silenced) {
        ++silenced_[index_of(finding.level)];
        ++silenced_rules_[std::string(finding.rule ? finding.rule->id : unknown_rule_id)];
    }
    for (const auto& id : record.unknown_silence_ids) ++unknown_silence_ids_[id];

    // A fingerprint names the normalized route: `route` itself unless a contract named it.
    const std::string contract_free_route = coverage_ && !record.findings.empty() ? normalize(record) : std::string();
    const std::string& print_route = coverage_ ? contract_free_route : route;
    for (std::size_t i = 0; i < record.findings.size(); ++i) {
        const auto& finding = record.findings[i];
        const auto level = index_of(finding.level);
        ++t.findings[level];
        ++route_entry.findings[level];

        // The Fingerprint (four strings, made valid UTF-8) is built only when needed: for a new
        // entry, a baseline lookup, or text that is not ASCII. Otherwise views find the entry.
        std::optional<Fingerprint> print;
        const auto built = [&]() -> Fingerprint& {
            if (!print) print = fingerprint_on_route(record, finding, print_route);
            return *print;
        };
        BaselineMark mark = BaselineMark::none;
        if (baseline_) {
            mark = i < record.baseline.size() ? record.baseline[i]
                   : baseline_->contains(built()) ? BaselineMark::known
                                                   : BaselineMark::new_finding;
            ++(mark == BaselineMark::known ? baseline_report_.known : baseline_report_.fresh)[level];
        }
        const bool ascii = text::is_ascii(record.method) && text::is_ascii(print_route);
        const FingerprintView view{
            finding.rule ? std::string_view(finding.rule->id) : std::string_view(unknown_rule_id),
            check::to_string(finding.rule ? finding.rule->side : check::Side::response), record.method, print_route,
            record.status};
        // Consecutive exchanges mostly repeat the last fingerprint: one comparison, no tree walk.
        PrintEntry* entry = ascii && last_print_ && same_fingerprint(last_print_->first, view) ? last_print_ : nullptr;
        if (entry == nullptr) {
            auto seen = ascii ? fingerprints_.find(view) : fingerprints_.find(built());
            if (seen == fingerprints_.end() && fingerprints_.size() < max_fingerprints_) {
                FingerprintReport report{built(), 0, finding.level, mark, finding.message, redact_target(record.target)};
                seen = fingerprints_.emplace(std::move(*print), std::move(report)).first;
            }
            if (seen != fingerprints_.end()) entry = &*seen;
        }
        if (entry != nullptr) {
            ++entry->second.count;
            entry->second.level = std::max(entry->second.level, finding.level);
            last_print_ = entry;  // map nodes never move, and none is ever erased
        }

        auto& rule = rule_state(finding.rule);
        if (rule.count == 0) {
            rule.example = RuleExample{record.exchange, record.time, record.method,
                                       redact_target(record.target), record.status,
                                       finding.message, record.example, finding.earlier};
            rule.example.view.redact();  // the Recorder already did; direct users may not have
        }
        ++rule.count;
        ++rule.by_level[level];
        rule.level = std::max(rule.level, finding.level);

        auto hit = route_entry.hits.find(rule.info.id);
        if (hit == route_entry.hits.end()) {
            hit = route_entry.hits
                      .emplace(rule.info.id, RouteHit{route_name, 0, finding.level, finding.message,
                                                      record.method, redact_target(record.target),
                                                      record.status})
                      .first;
        }
        ++hit->second.count;
        hit->second.level = std::max(hit->second.level, finding.level);
    }
}

ReportSnapshot Aggregator::snapshot() const {
    ReportSnapshot s;
    s.started = totals_.started;
    s.generated = std::chrono::system_clock::now();
    s.exchanges = totals_.exchanges;
    s.exchanges_with_findings = totals_.exchanges_with_findings;
    s.upstream_errors = totals_.upstream_errors;
    s.response_bytes = totals_.response_bytes;
    s.status_classes = totals_.status_classes;
    s.findings = totals_.findings;
    s.timeline = totals_.timeline;
    s.latency = totals_.latency;
    s.checked_rules = checked_;
    if (coverage_) s.coverage = coverage_->report();
    s.fingerprints.reserve(fingerprints_.size());
    for (const auto& [print, entry] : fingerprints_) s.fingerprints.push_back(entry);
    if (baseline_) {
        s.baseline = baseline_report_;
        for (const auto& entry : baseline_->entries())
            if (!fingerprints_.contains(entry)) s.baseline->fixed.push_back(entry);
    }
    s.silenced.findings = silenced_;
    s.silenced.by_rule.assign(silenced_rules_.begin(), silenced_rules_.end());
    s.silenced.unknown_ids.assign(unknown_silence_ids_.begin(), unknown_silence_ids_.end());

    s.rules.reserve(rules_.size());
    for (const auto& [id, state] : rules_) {
        RuleReport r;
        r.rule = state.info;
        r.count = state.count;
        r.by_level = state.by_level;
        r.level = state.level;
        r.example = state.example;
        for (const auto& [route, route_entry] : routes_) {
            if (auto hit = route_entry.hits.find(id); hit != route_entry.hits.end())
                r.routes.push_back(hit->second);
        }
        std::sort(r.routes.begin(), r.routes.end(), [](const RouteHit& a, const RouteHit& b) {
            return a.count != b.count ? a.count > b.count : a.route < b.route;
        });
        s.rules.push_back(std::move(r));
    }
    std::sort(s.rules.begin(), s.rules.end(), [](const RuleReport& a, const RuleReport& b) {
        if (a.level != b.level) return a.level > b.level;
        if (a.count != b.count) return a.count > b.count;
        return a.rule.id < b.rule.id;
    });

    s.routes.reserve(routes_.size());
    for (const auto& [route, route_entry] : routes_)
        s.routes.push_back(RouteReport{route, route_entry.exchanges, route_entry.findings, route_entry.example});
    std::sort(s.routes.begin(), s.routes.end(), [](const RouteReport& a, const RouteReport& b) {
        if (a.findings[2] != b.findings[2]) return a.findings[2] > b.findings[2];
        if (a.findings_total() != b.findings_total()) return a.findings_total() > b.findings_total();
        if (a.exchanges != b.exchanges) return a.exchanges > b.exchanges;
        return a.route < b.route;
    });
    return s;
}

}  // namespace cproxy::report

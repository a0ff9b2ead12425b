#pragma once
// Folds exchange records into bounded aggregates (counts, examples, routes, timeline,
// latency). Not thread-safe: the Recorder serialises access with its mutex.
#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/ExchangeRecord.hpp"
#include "conformance_proxy/report/Coverage.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct AggregatorOptions {
    // The rules the checker runs (normally check::all_rules()): JUnit and SARIF list them all,
    // fired or not. Rules that appear only in findings are added as they are seen.
    std::vector<const check::Rule*> checked_rules{};
    std::size_t max_routes = 1000;  // distinct routes kept; the rest count under "(other)"
    // --openapi: routes are the document's path templates, and coverage is tracked.
    const check::Contract* contract = nullptr;
    std::string contract_name{};
    std::size_t max_fingerprints = 10000;  // distinct fingerprints kept; past it only the totals count
    // --baseline: findings are marked known or new against it; absent = no baseline.
    std::shared_ptr<const Baseline> baseline{};
    std::string baseline_path{};
};

class Aggregator {
public:
    explicit Aggregator(AggregatorOptions options = {},
                        std::chrono::system_clock::time_point started = std::chrono::system_clock::now());

    // route: normalize_route(record.target), computed by the caller outside any lock.
    void add(const ExchangeRecord& record, const std::string& route);
    void add(const ExchangeRecord& record) { add(record, normalize(record)); }
    static std::string normalize(const ExchangeRecord& record);
    // The route of a record: the matched path template of the contract when there is one,
    // else normalize().
    static std::string route_of(const ExchangeRecord& record, const check::Contract* contract);

    ReportSnapshot snapshot() const;

    // True when one of these findings' rules has no example exchange yet: only then is an
    // example worth building (the aggregate keeps the first per rule).
    bool wants_example(const check::Findings& findings) const;

    // The fingerprint of one finding of a record, and its mark against the baseline (none
    // without one). The Recorder marks records before they reach the JSON Lines writer.
    static Fingerprint fingerprint(const ExchangeRecord& record, const check::Finding& finding);
    static void mark(ExchangeRecord& record, const Baseline* baseline);

private:
    struct RouteState {
        std::uint64_t exchanges = 0;
        LevelCounts findings{};
        std::string example;  // the first concrete target seen on it (admin /routes.json, probe)
        std::map<std::string, RouteHit, std::less<>> hits;  // by rule id
    };
    struct RuleState {
        RuleInfo info;
        std::uint64_t count = 0;
        LevelCounts by_level{};
        check::Level level = check::Level::info;
        RuleExample example;
    };

    using RouteEntry = std::pair<const std::string, RouteState>;
    using PrintEntry = std::pair<const Fingerprint, FingerprintReport>;
    RuleState& rule_state(const check::Rule* rule);  // find_rule_state, remembering the last one
    RuleState& find_rule_state(const check::Rule* rule);
    static bool same_fingerprint(const Fingerprint& print, const FingerprintView& view) noexcept;
    // fingerprint() with normalize_route(record.target) already computed.
    static Fingerprint fingerprint_on_route(const ExchangeRecord& record, const check::Finding& finding,
                                            std::string_view normalized_route);
    RouteEntry& route_state(const std::string& route);
    void add_to_timeline(std::chrono::system_clock::time_point time, std::size_t status_class);

    std::size_t max_routes_;
    ReportSnapshot totals_;  // scalar totals, timeline, latency; rules/routes are built in snapshot()
    std::vector<RuleInfo> checked_;
    std::map<std::string, RuleState, std::less<>> rules_;  // by id
    std::unordered_map<std::string, RouteState> routes_;
    bool timeline_started_ = false;
    std::unique_ptr<CoverageTracker> coverage_;
    std::size_t max_fingerprints_;
    std::map<Fingerprint, FingerprintReport, FingerprintLess> fingerprints_;
    // The entries the last finding used (rules_ and fingerprints_ only ever grow, so they stay).
    PrintEntry* last_print_ = nullptr;
    const check::Rule* last_rule_ = nullptr;
    RuleState* last_rule_state_ = nullptr;
    std::shared_ptr<const Baseline> baseline_;
    BaselineReport baseline_report_;
    LevelCounts silenced_{};
    std::map<std::string, std::uint64_t, std::less<>> silenced_rules_, unknown_silence_ids_;
};

}  // namespace cproxy::report

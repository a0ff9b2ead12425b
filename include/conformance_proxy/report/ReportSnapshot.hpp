#pragma once
// The aggregated state every report is rendered from. A plain value: copied out of the
// Recorder under its lock, then rendered without holding anything.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/Baseline.hpp"
#include "conformance_proxy/report/ExchangeRecord.hpp"

namespace cproxy::report {

// Level names as used in every output ("error", "warning", "info"). Local so the report
// component does not depend on where the checker defines its helpers.
std::string_view level_name(check::Level level) noexcept;
inline constexpr std::size_t level_count = 3;  // indexes: Level::info=0, warning=1, error=2
using LevelCounts = std::array<std::uint64_t, level_count>;

// Status classes 1xx..5xx, then "other" (0 = no response, or a code outside 100-599).
inline constexpr std::size_t status_class_count = 6;
using StatusClassCounts = std::array<std::uint64_t, status_class_count>;
std::size_t status_class_index(int status) noexcept;
std::string_view status_class_name(std::size_t index) noexcept;  // "1xx" ... "5xx", "other"

// A rule, copied so the snapshot owns its text (report.json may be rendered on another thread).
struct RuleInfo {
    std::string id;
    check::Level level = check::Level::error;  // default (catalogue) level
    std::string reference;
    std::string summary;
    std::string subject;  // the rule's topic: "caching", "cookies", ... (the catalogue's grouping)
    check::Side about = check::Side::response;  // who has to change
};

// First occurrence of a rule: the finding's message and the exchange it fired on.
struct RuleExample {
    std::uint64_t exchange = 0;
    std::chrono::system_clock::time_point time{};
    std::string method;
    std::string target;
    int status = 0;
    std::string message;
    ExampleExchange view;  // redacted
    std::optional<check::EarlierExchange> earlier;  // a stateful finding's earlier exchange
};

// One rule on one route.
struct RouteHit {
    std::string route;
    std::uint64_t count = 0;
    check::Level level = check::Level::info;  // worst level seen
    std::string message;  // first message on this route
    std::string method;   // first exchange on this route
    std::string target;
    int status = 0;
};

// A rule that fired at least once.
struct RuleReport {
    RuleInfo rule;
    std::uint64_t count = 0;
    LevelCounts by_level{};  // by effective level (config may re-level a rule)
    check::Level level = check::Level::info;  // worst effective level seen
    RuleExample example;
    std::vector<RouteHit> routes;  // by count, highest first
};

struct RouteReport {
    std::string route;
    std::uint64_t exchanges = 0;
    LevelCounts findings{};
    std::uint64_t findings_total() const noexcept { return findings[0] + findings[1] + findings[2]; }
    std::string example;  // one concrete target of the route (its first)
};

// Status classes over time. Buckets cover [origin + i*bucket_seconds, +bucket_seconds);
// the bucket width doubles whenever the run outgrows max_buckets, so memory stays bounded.
struct Timeline {
    static constexpr std::size_t max_buckets = 120;
    std::chrono::system_clock::time_point origin{};  // time of the first exchange
    std::int64_t bucket_seconds = 1;
    std::vector<StatusClassCounts> buckets;
};

// Prometheus-style histogram of exchange durations (the default client_golang buckets).
struct LatencyHistogram {
    static constexpr std::array<double, 11> bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                   0.5,   1.0,  2.5,   5.0,  10.0};
    std::array<std::uint64_t, bounds.size() + 1> counts{};  // per bucket (not cumulative); last is +Inf
    double sum_seconds = 0;
    std::uint64_t count = 0;
    void observe(double seconds) noexcept;
};

// One operation of the --openapi description and what the traffic showed of it.
struct OperationCoverage {
    std::string method;  // "GET"
    std::string path;    // the path template, "/pets/{petId}"
    std::string operation_id;
    std::uint64_t exchanges = 0;
    std::vector<std::string> declared_statuses;  // response codes as declared: "200", "4XX", "default"
    std::vector<int> seen_statuses;              // distinct statuses answered, ascending
    std::vector<std::string> unseen_statuses;    // declared codes no answered status fell under
    bool exercised() const noexcept { return exchanges > 0; }
};

// Which declared operations the traffic exercised (only with --openapi).
struct CoverageReport {
    std::string document;  // the --openapi file
    std::vector<OperationCoverage> operations;  // document order
    std::uint64_t exercised = 0;
    std::uint64_t declared = 0;
    double percent() const noexcept { return declared ? 100.0 * double(exercised) / double(declared) : 100.0; }
};

// One fingerprint (rule, subject, method, route, status) and how often it occurred: what
// baselines, `diff` and `report merge` compare and add up.
struct FingerprintReport {
    Fingerprint fingerprint;
    std::uint64_t count = 0;
    check::Level level = check::Level::info;  // worst effective level seen
    BaselineMark baseline = BaselineMark::none;
    std::string message;  // first message
    std::string target;   // first target (redacted)
};

// --baseline: how this run's findings compare with the committed baseline.
struct BaselineReport {
    std::string path;
    std::size_t entries = 0;   // fingerprints in the baseline
    LevelCounts known{};       // findings whose fingerprint is in the baseline
    LevelCounts fresh{};       // findings that are new
    std::vector<Fingerprint> fixed;  // in the baseline, not seen in this run
    std::uint64_t known_total() const noexcept { return known[0] + known[1] + known[2]; }
    std::uint64_t fresh_total() const noexcept { return fresh[0] + fresh[1] + fresh[2]; }
};

// Findings a request silenced (Conformance-Silence): counted, never dropped without trace.
struct SilenceReport {
    LevelCounts findings{};
    std::vector<std::pair<std::string, std::uint64_t>> by_rule;      // rule id -> findings silenced
    std::vector<std::pair<std::string, std::uint64_t>> unknown_ids;  // id named but not a rule -> exchanges
    std::uint64_t total() const noexcept { return findings[0] + findings[1] + findings[2]; }
};

struct ReportSnapshot {
    std::chrono::system_clock::time_point started{};    // Recorder construction
    std::chrono::system_clock::time_point generated{};  // when the snapshot was taken
    std::uint64_t exchanges = 0;
    std::uint64_t exchanges_with_findings = 0;
    std::uint64_t upstream_errors = 0;
    std::uint64_t response_bytes = 0;
    StatusClassCounts status_classes{};
    LevelCounts findings{};
    std::vector<RuleInfo> checked_rules;  // every rule checked, registry order, then any others seen
    std::vector<RuleReport> rules;        // rules that fired: error first, then by count
    std::vector<RouteReport> routes;      // by findings, then exchanges, highest first
    Timeline timeline;
    LatencyHistogram latency;
    std::optional<CoverageReport> coverage;  // with --openapi only
    std::vector<FingerprintReport> fingerprints;  // sorted by fingerprint
    std::optional<BaselineReport> baseline;       // set when a --baseline was given
    SilenceReport silenced;

    std::uint64_t findings_total() const noexcept { return findings[0] + findings[1] + findings[2]; }
    const RuleReport* find(std::string_view rule_id) const noexcept;
    // --baseline: whether a finding of this rule on this route is not in the baseline (SARIF's
    // baselineState, the JUnit verdict).
    bool has_new_finding(std::string_view rule_id, std::string_view route) const noexcept;
};

}  // namespace cproxy::report

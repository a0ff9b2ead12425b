#include "conformance_proxy/report/ReportSnapshot.hpp"

#include <algorithm>

namespace cproxy::report {

std::string_view level_name(check::Level level) noexcept {
    switch (level) {
        case check::Level::info: return "info";
        case check::Level::warning: return "warning";
        case check::Level::error: return "error";
    }
    return "error";
}

std::size_t status_class_index(int status) noexcept {
    if (status < 100 || status > 599) return 5;
    return static_cast<std::size_t>(status / 100 - 1);
}

std::string_view status_class_name(std::size_t index) noexcept {
    static constexpr std::string_view names[status_class_count] = {"1xx", "2xx", "3xx",
                                                                   "4xx", "5xx", "other"};
    return index < status_class_count ? names[index] : "other";
}

void LatencyHistogram::observe(double seconds) noexcept {
    if (!(seconds >= 0)) seconds = 0;  // also catches NaN
    std::size_t i = 0;
    while (i < bounds.size() && seconds > bounds[i]) ++i;
    ++counts[i];
    sum_seconds += seconds;
    ++count;
}

const RuleReport* ReportSnapshot::find(std::string_view rule_id) const noexcept {
    for (const auto& r : rules)
        if (r.rule.id == rule_id) return &r;
    return nullptr;
}

bool ReportSnapshot::has_new_finding(std::string_view rule_id, std::string_view route) const noexcept {
    return std::any_of(fingerprints.begin(), fingerprints.end(), [&](const FingerprintReport& f) {
        return f.baseline == BaselineMark::new_finding && f.fingerprint.rule == rule_id && f.fingerprint.route == route;
    });
}

}  // namespace cproxy::report

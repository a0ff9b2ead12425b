#pragma once
// `diff OLD.json NEW.json`: what changed between two runs, by rule and route: findings that
// are new, findings that are fixed (gone), and findings whose level changed.
#include <string>
#include <vector>

#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct DiffEntry {
    std::string rule;
    std::string route;
    std::string reference;
    check::Level level = check::Level::info;      // in the new run (fixed: in the old one)
    check::Level old_level = check::Level::info;  // changed: in the old run
    std::uint64_t count = 0;                      // occurrences in the run it is from
    std::string method;  // first exchange on the route
    int status = 0;
    std::string message;
};

struct ReportDiff {
    std::vector<DiffEntry> added;    // in NEW, not in OLD
    std::vector<DiffEntry> fixed;    // in OLD, not in NEW
    std::vector<DiffEntry> changed;  // in both, at another level
    std::size_t unchanged = 0;
};

// Compares rule by rule and route by route (routes are templates: /items/7 and /items/8 are
// one). Each list is sorted by level (error first), then rule, then route.
ReportDiff diff_reports(const ReportSnapshot& old_report, const ReportSnapshot& new_report);

std::string render_diff_text(const ReportDiff& diff);
std::string render_diff_json(const ReportDiff& diff);
std::string render_diff_markdown(const ReportDiff& diff);  // for a pull-request comment
std::string render_diff_github(const ReportDiff& diff);    // workflow commands for the new findings

// --fail-on over the new findings only.
Verdict evaluate_diff(const ReportDiff& diff, FailOn fail_on);

}  // namespace cproxy::report

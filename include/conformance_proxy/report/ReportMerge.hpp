#pragma once
// `report merge`: one report for several replicas. Each replica's report.json is read back into
// a snapshot; the snapshots add up (totals, status classes, levels, rules, routes by template,
// fingerprints, latency histogram, timeline), and the usual writers render the sum.
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

// A report.json (admin /report.json, --report-json, or an earlier merge) read back.
// Throws std::runtime_error naming `name` and what is missing.
ReportSnapshot parse_report_json(std::string_view text, const std::string& name);
ReportSnapshot load_report_json(const std::string& path);

// The sum of the reports: every count adds up exactly; a rule keeps its earliest example,
// a route hit its first message; the earliest start and the latest generation time win.
ReportSnapshot merge_reports(const std::vector<ReportSnapshot>& reports);

}  // namespace cproxy::report

#pragma once
// The snapshot as JSON: the admin server's /report.json, also readable by scripts.
#include <string>

#include <boost/json/value.hpp>

#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

boost::json::value snapshot_to_json(const ReportSnapshot& snapshot,
                                    const std::optional<Verdict>& verdict = std::nullopt);
std::string render_report_json(const ReportSnapshot& snapshot,
                               const std::optional<Verdict>& verdict = std::nullopt);

}  // namespace cproxy::report

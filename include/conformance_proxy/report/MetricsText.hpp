#pragma once
// Prometheus text exposition format 0.0.4 for the admin server's /metrics.
#include <string>
#include <string_view>

#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

// conformance_proxy_exchanges_total{class}, conformance_proxy_findings_total{rule,level},
// conformance_proxy_upstream_errors_total, conformance_proxy_request_duration_seconds histogram.
std::string render_metrics(const ReportSnapshot& snapshot);

// Label value escaping: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace cproxy::report

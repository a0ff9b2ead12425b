#pragma once
// The HTML report (--html) and the admin server's live dashboard: one self-contained page
// (inline CSS and SVG charts, no external resources) rendered from a snapshot.
#include <optional>
#include <string>

#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct HtmlOptions {
    std::string title = "Conformance report";
    std::string subject;             // e.g. the upstream URL, shown under the title
    std::optional<Verdict> verdict;  // shown in the header when known (shutdown report)
    // Live dashboard: adds a small inline script that polls report_json_url and, when the
    // numbers changed, re-fetches this page and swaps in the freshly rendered report. The page
    // is rendered by this one C++ function in both cases, so report and dashboard never drift.
    bool live = false;
    std::string report_json_url = "/report.json";
    int refresh_seconds = 5;
};

std::string render_html(const ReportSnapshot& snapshot, const HtmlOptions& options = {});

}  // namespace cproxy::report

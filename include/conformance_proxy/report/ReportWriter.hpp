#pragma once
// Shutdown: write the file reports that were asked for.
#include <string>
#include <vector>

#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/HtmlReport.hpp"
#include "conformance_proxy/report/JunitReport.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"
#include "conformance_proxy/report/SummaryText.hpp"

namespace cproxy::report {

struct ReportPaths {
    std::string findings;  // only listed in the summary: the Recorder writes it
    std::string junit;
    std::string sarif;
    std::string html;
    std::string report_json;  // --report-json: what baseline create, diff and report merge read
};

struct WriteResult {
    std::vector<WrittenReport> written;  // includes findings when set
    std::vector<std::string> errors;     // "cannot write /x/report.html: No such file or directory"
};

// Writes each file atomically (temporary file, then rename) so a CI job never reads half a report.
WriteResult write_reports(const ReportSnapshot& snapshot, const ReportPaths& paths,
                          const Verdict& verdict, const HtmlOptions& html = {},
                          const JunitOptions& junit = {});

// Writes content to path via path + ".tmp" and rename; returns an error text or "" on success.
std::string write_file_atomically(const std::string& path, std::string_view content);

}  // namespace cproxy::report

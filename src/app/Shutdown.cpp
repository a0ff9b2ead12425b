#include "app/Shutdown.hpp"

#include <cstdio>
#include <iostream>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/GithubAnnotations.hpp"
#include "conformance_proxy/report/JunitReport.hpp"
#include "conformance_proxy/report/ReportWriter.hpp"
#include "conformance_proxy/report/SummaryText.hpp"

namespace cproxy::app {

report::RecorderOptions recorder_options(const config::CommandLine& command_line) {
    report::RecorderOptions options;
    options.findings_path = command_line.findings_path;
    options.checked_rules.assign(check::all_rules().begin(), check::all_rules().end());
    options.contract_name = command_line.openapi_path;
    if (!command_line.baseline_path.empty()) {
        // Loaded before any socket opens: a broken baseline is a start-up error naming the file.
        options.baseline = std::make_shared<const report::Baseline>(report::Baseline::load(command_line.baseline_path));
        options.baseline_path = command_line.baseline_path;
    }
    return options;
}

int finish_and_report(report::Recorder& recorder, const config::CommandLine& command_line,
                      const std::string& subject) {
    recorder.close();
    const auto snapshot = recorder.snapshot();
    const auto fail_on = report::parse_fail_on(command_line.fail_on).value_or(report::FailOn::never);
    auto verdict = report::evaluate_fail_on(snapshot, fail_on);
    if (command_line.fail_on_coverage && snapshot.coverage && !verdict.failed() &&
        snapshot.coverage->percent() < double(*command_line.fail_on_coverage)) {
        char percent[16];
        std::snprintf(percent, sizeof percent, "%.1f", snapshot.coverage->percent());
        verdict = {1, "exit status 1: coverage " + std::string(percent) + "% (" +
                          std::to_string(snapshot.coverage->exercised) + " of " +
                          std::to_string(snapshot.coverage->declared) + " operations of " + snapshot.coverage->document +
                          ") is below --fail-on-coverage " + std::to_string(*command_line.fail_on_coverage)};
    }
    if (recorder.write_errors() > 0) {
        verdict.exit_status = 2;
        verdict.reason = "exit status 2: " + std::to_string(recorder.write_errors()) +
                         " finding(s) could not be written to " + command_line.findings_path;
    }
    report::ReportPaths paths{command_line.findings_path, command_line.junit_path, command_line.sarif_path,
                              command_line.html_path, command_line.report_json_path};
    report::HtmlOptions html;
    html.subject = subject;
    html.verdict = verdict;
    // JUnit fails a test case at the level that fails the run, so CI dashboards and the
    // exit status agree; with --fail-on never, errors still show as failures.
    report::JunitOptions junit;
    if (const auto level = report::fail_level(fail_on)) junit.failure_level = *level;
    const auto result = report::write_reports(snapshot, paths, verdict, html, junit);
    for (const auto& error : result.errors) std::cerr << "conformance-proxy: " << error << "\n";
    if (!result.errors.empty() && verdict.exit_status == 0) verdict = {2, "exit status 2: a report could not be written"};
    if (command_line.github_annotations) std::cout << report::render_github_annotations(snapshot) << std::flush;
    std::cerr << report::render_summary(snapshot, verdict, result.written) << std::flush;
    return verdict.exit_status;
}

}  // namespace cproxy::app

// The commands CI runs around the proxy: baseline create|update, diff, report merge.
// Each reads files, writes files atomically and says in one line what it did.
#include <fstream>
#include <iostream>
#include <sstream>

#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/Baseline.hpp"
#include "conformance_proxy/report/JunitReport.hpp"
#include "conformance_proxy/report/ReportDiff.hpp"
#include "conformance_proxy/report/ReportJson.hpp"
#include "conformance_proxy/report/ReportMerge.hpp"
#include "conformance_proxy/report/ReportWriter.hpp"

namespace cproxy::app {

namespace {

std::string read_text(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + path + ": no such file or not readable");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

int write_or_complain(const std::string& path, std::string_view content, std::string_view command) {
    if (const auto error = report::write_file_atomically(path, content); !error.empty()) {
        std::cerr << "conformance-proxy " << command << ": " << error << "\n";
        return 2;
    }
    return 0;
}

}  // namespace

int run_baseline_command(const config::CommandLine& command_line) {
    const bool update = command_line.command == config::Command::baseline_update;
    const std::string command = update ? "baseline update" : "baseline create";
    report::Baseline fresh(report::fingerprints_from_file_text(read_text(command_line.from_path),
                                                                command_line.from_path));
    std::string changes;
    if (update) {
        // What an update changes is what a reviewer of the commit wants to read.
        const auto old = report::Baseline::load(command_line.output_path);
        std::size_t added = 0, removed = 0;
        for (const auto& f : fresh.entries()) added += !old.contains(f);
        for (const auto& f : old.entries()) removed += !fresh.contains(f);
        changes = ": " + std::to_string(added) + " added, " + std::to_string(removed) + " removed (fixed), " +
                  std::to_string(fresh.size() - added) + " kept";
    }
    if (const int status = write_or_complain(command_line.output_path, fresh.to_json(), command)) return status;
    std::cerr << "conformance-proxy " << command << ": " << command_line.output_path << " holds "
              << fresh.size() << " fingerprint(s) from " << command_line.from_path << changes << "\n";
    return 0;
}

int run_diff_command(const config::CommandLine& command_line) {
    const auto before = report::load_report_json(command_line.from_path);
    const auto after = report::load_report_json(command_line.output_path);
    const auto diff = report::diff_reports(before, after);
    const auto& format = command_line.diff_format;
    if (format == "json") std::cout << report::render_diff_json(diff);
    else if (format == "markdown") std::cout << report::render_diff_markdown(diff);
    else if (format == "github") std::cout << report::render_diff_github(diff);
    else std::cout << report::render_diff_text(diff);
    std::cout << std::flush;
    const auto fail_on = report::parse_fail_on(command_line.fail_on).value_or(report::FailOn::error);
    const auto verdict = report::evaluate_diff(diff, fail_on);
    std::cerr << "conformance-proxy diff: " << verdict.reason << "\n";
    return verdict.exit_status;
}

int run_report_merge_command(const config::CommandLine& command_line) {
    std::vector<report::ReportSnapshot> reports;
    for (const auto& path : command_line.inputs) reports.push_back(report::load_report_json(path));
    const auto merged = report::merge_reports(reports);
    const auto fail_on = report::parse_fail_on(command_line.fail_on).value_or(report::FailOn::never);
    const auto verdict = report::evaluate_fail_on(merged, fail_on);
    if (const int status = write_or_complain(command_line.output_path, report::render_report_json(merged), "report merge"))
        return status;
    report::ReportPaths paths{"", command_line.junit_path, command_line.sarif_path, command_line.html_path, ""};
    report::HtmlOptions html;
    html.subject = "merged from " + std::to_string(reports.size()) + " reports";
    html.verdict = verdict;
    report::JunitOptions junit;
    if (const auto level = report::fail_level(fail_on)) junit.failure_level = *level;
    const auto result = report::write_reports(merged, paths, verdict, html, junit);
    for (const auto& error : result.errors) std::cerr << "conformance-proxy report merge: " << error << "\n";
    std::cerr << "conformance-proxy report merge: " << command_line.output_path << ": " << merged.exchanges
              << " exchanges, " << merged.findings_total() << " findings from " << reports.size() << " reports\n"
              << "  " << verdict.reason << "\n";
    if (!result.errors.empty()) return 2;
    return verdict.exit_status;
}

}  // namespace cproxy::app

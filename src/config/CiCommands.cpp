#include "config/CiCommands.hpp"

namespace cproxy::config {

CiSubcommands add_ci_subcommands(CLI::App& app, CommandLine& out) {
    CiSubcommands s;
    auto* baseline = app.add_subcommand(
        "baseline", "Record the findings of a run as accepted, so --baseline fails only on new ones");
    baseline->require_subcommand(1);
    s.baseline_create = baseline->add_subcommand(
        "create", "Write a baseline (sorted fingerprints: rule, subject, method, route, status) from a run's "
                  "report.json or --findings file");
    s.baseline_update = baseline->add_subcommand(
        "update", "Rewrite the baseline -o from a newer run, saying which fingerprints were added and removed");
    for (auto* command : {s.baseline_create, s.baseline_update}) {
        command->add_option("--from", out.from_path, "report.json (--report-json, admin /report.json) or findings.jsonl")
            ->required()
            ->type_name("FILE");
        command->add_option("-o,--output", out.output_path, "The baseline file to write, e.g. baseline.json")
            ->required()
            ->type_name("FILE");
    }

    s.diff = app.add_subcommand(
        "diff", "Compare the reports of two runs: new, fixed and changed-level findings by rule and route; "
                "exit 1 when a new finding is at or above --fail-on (default error)");
    s.diff->fallthrough();  // --fail-on, from the top level
    s.diff->add_option("OLD", out.from_path, "report.json of the earlier run")->required();
    s.diff->add_option("NEW", out.output_path, "report.json of the later run")->required();
    s.diff->add_option("--format", out.diff_format,
                       "text, json, markdown (a pull-request comment) or github (workflow commands)")
        ->check(CLI::IsMember({"text", "json", "markdown", "github"}))
        ->capture_default_str();

    auto* report = app.add_subcommand("report", "Work with reports: merge the reports of several replicas");
    report->require_subcommand(1);
    report->fallthrough();
    s.report_merge = report->add_subcommand(
        "merge", "Add up the report.json files of several replicas into one (counts add up exactly); "
                 "--html, --junit and --sarif render the merged data");
    s.report_merge->fallthrough();  // --html/--junit/--sarif/--fail-on, from the top level
    s.report_merge->add_option("REPORTS", out.inputs, "report.json files, one per replica")->required();
    s.report_merge->add_option("-o,--output", out.output_path, "The merged report.json")->required()->type_name("FILE");
    return s;
}

void note_ci_command(const CiSubcommands& s, CommandLine& out) {
    if (s.baseline_create->parsed()) out.command = Command::baseline_create;
    if (s.baseline_update->parsed()) out.command = Command::baseline_update;
    if (s.diff->parsed()) out.command = Command::diff;
    if (s.report_merge->parsed()) out.command = Command::report_merge;
}

}  // namespace cproxy::config

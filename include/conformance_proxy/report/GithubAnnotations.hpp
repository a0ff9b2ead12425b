#pragma once
// GitHub Actions workflow commands ("::error title=...::message"): printed on stdout by a step,
// each becomes an annotation on the run's summary page.
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
#include <string>
#include <string_view>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

// One command line with its '\n': error -> ::error, warning -> ::warning, info -> ::notice.
// The title and message are escaped as the runner expects (%, CR, LF; in the title also : and ,).
std::string github_command(check::Level level, std::string_view title, std::string_view message);

// One command per rule and route of the snapshot; with a baseline, only the new findings (the
// known ones are accepted debt and would bury the new one).
std::string render_github_annotations(const ReportSnapshot& snapshot);

}  // namespace cproxy::report

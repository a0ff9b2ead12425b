#pragma once
// JUnit XML (--junit) for CI test views (GitLab, Jenkins, GitHub test reporters).
//
// Shape: one <testsuite> per checked rule (name = rule id), one <testcase> per route seen
// (classname = "conformance.<subject>.<rule id>", name = route). The dotted classname is what
// Jenkins and GitLab group by (package "conformance.<subject>", class = rule), so a team sees
// its results subject by subject; the rule id stays in it because the name alone (the route)
// repeats across the rules of a subject, and CI tools key a test on (classname, name). Findings at or above failure_level become <failure>
// (type = the level, message = the finding's message, text = example exchange); findings below
// it leave the testcase passing with a <system-out> note "warning: ...". Why: GitLab and Jenkins
// count every <failure> as a failed test and colour the run red, so by default only MUST-level
// (error) findings fail; pass the --fail-on level to make JUnit agree with the exit status.
#include <string>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct JunitOptions {
    check::Level failure_level = check::Level::error;
};

std::string render_junit(const ReportSnapshot& snapshot, const JunitOptions& options = {});

}  // namespace cproxy::report

#pragma once
// The commands of the binary; each returns the process exit status.
#include "conformance_proxy/config/CommandLine.hpp"

namespace cproxy::app {

int run_proxy_command(const config::CommandLine& command_line);
int run_rules_command(const config::CommandLine& command_line);
int run_lint_command(const config::CommandLine& command_line);
int run_probe_command(const config::CommandLine& command_line);
// baseline create|update, diff, report merge (src/app/CiCommands.cpp).
int run_baseline_command(const config::CommandLine& command_line);
int run_diff_command(const config::CommandLine& command_line);
int run_report_merge_command(const config::CommandLine& command_line);

}  // namespace cproxy::app

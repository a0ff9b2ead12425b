#pragma once
// The commands CI pipelines run around the proxy: `baseline create|update`, `diff` and
// `report merge`. Kept apart from CommandLine.cpp so the proxy's own flags stay readable there.
#include <CLI/CLI.hpp>

#include "conformance_proxy/config/CommandLine.hpp"

namespace cproxy::config {

struct CiSubcommands {
    CLI::App* baseline_create = nullptr;
    CLI::App* baseline_update = nullptr;
    CLI::App* diff = nullptr;
    CLI::App* report_merge = nullptr;
};

CiSubcommands add_ci_subcommands(CLI::App& app, CommandLine& out);
// After parsing: sets out.command when one of them was given.
void note_ci_command(const CiSubcommands& subcommands, CommandLine& out);

}  // namespace cproxy::config

// Wiring only: parse the command line, set up logging, run the chosen command.
#include <exception>
#include <iostream>

#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/config/CommandLine.hpp"
#include "proxy/Logging.hpp"

int main(int argc, char** argv) {
    using namespace cproxy;
    config::CommandLine command_line;
    if (auto exit_code = config::parse_command_line(argc, argv, command_line)) return *exit_code;
    try {
        proxy::setup_logging(command_line.log_level,
                             command_line.log_format == "json" ? proxy::LogFormat::json : proxy::LogFormat::text);
        switch (command_line.command) {
        case config::Command::rules:
            return app::run_rules_command(command_line);
        case config::Command::lint:
            return app::run_lint_command(command_line);
        case config::Command::probe:
            return app::run_probe_command(command_line);
        case config::Command::baseline_create:
        case config::Command::baseline_update:
            return app::run_baseline_command(command_line);
        case config::Command::diff:
            return app::run_diff_command(command_line);
        case config::Command::report_merge:
            return app::run_report_merge_command(command_line);
        case config::Command::proxy:
            return app::run_proxy_command(command_line);
        }
    } catch (const std::exception& e) {
        std::cerr << "conformance-proxy: " << e.what() << "\n";
        return 2;
    }
    return 2;
}

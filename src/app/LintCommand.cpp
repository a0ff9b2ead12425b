#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/RecorderSink.hpp"
#include "app/ContractLoading.hpp"
#include "app/Shutdown.hpp"
#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/lint/lint_input.hpp"
#include "conformance_proxy/report/GithubAnnotations.hpp"

namespace cproxy::app {

namespace {

std::string read_input(const std::string& path) {
    if (path == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read '" + path + "': no such file or not readable");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

int run_lint_command(const config::CommandLine& command_line) {
    const auto contract = load_contract(command_line);
    const auto text = read_input(command_line.lint_input);
    std::vector<lint::LintExchange> exchanges;
    try {
        exchanges = lint::load_lint_input(text, command_line.lint_input);
    } catch (const lint::LintInputError& e) {
        std::cerr << "conformance-proxy lint: " << e.what() << "\n";
        return 2;
    }
    const check::Checker checker{command_line.rule_policy, contract.get()};
    auto recording = recorder_options(command_line);
    recording.contract = contract.get();
    report::Recorder recorder(std::move(recording));
    std::uint64_t number = 0;
    for (const auto& exchange : exchanges) {
        report::ExchangeRecord record;
        record.exchange = ++number;
        record.time = std::chrono::system_clock::now();
        record.method = exchange.method;
        record.target = exchange.target;
        lint::check_exchange(checker, exchange, record.findings);
        const auto space = exchange.raw_head.find(' ');
        record.status = space == std::string::npos ? 0 : std::atoi(exchange.raw_head.c_str() + space + 1);
        for (const auto& finding : record.findings) {
            if (command_line.lint_format == "github") {
                // One workflow command per finding, so each shows on the run's summary page.
                const auto line = report::github_command(
                    finding.level, std::string(finding.rule->id),
                    exchange.label + ": " + finding.message + " (" + std::string(finding.rule->reference) + ")");
                std::fwrite(line.data(), 1, line.size(), stdout);
                continue;
            }
            std::printf("%s: [%.*s] %.*s: %s (%.*s)\n", exchange.label.c_str(),
                        static_cast<int>(check::to_string(finding.level).size()), check::to_string(finding.level).data(),
                        static_cast<int>(finding.rule->id.size()), finding.rule->id.data(), finding.message.c_str(),
                        static_cast<int>(finding.rule->reference.size()), finding.rule->reference.data());
        }
        if (!record.findings.empty()) fill_example(record.example, exchange.method, exchange.target, exchange.raw_head);
        recorder.record(std::move(record));
    }
    std::fflush(stdout);
    return finish_and_report(recorder, command_line, command_line.lint_input);
}

}  // namespace cproxy::app

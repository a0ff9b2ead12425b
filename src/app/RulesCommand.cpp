#include <iostream>

#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/report/RuleCatalogue.hpp"

namespace cproxy::app {

int run_rules_command(const config::CommandLine& command_line) {
    const std::string& format = command_line.rules_format;
    if (format == "json")
        std::cout << report::rule_catalogue_json();
    else if (format == "markdown")
        std::cout << report::rule_catalogue_markdown();
    else
        std::cout << report::rule_catalogue_text();
    return 0;
}

}  // namespace cproxy::app

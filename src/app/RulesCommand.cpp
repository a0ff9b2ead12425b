#include <cstdio>

#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::app {

int run_rules_command() {
    std::printf("%-38s %-8s %-32s %s\n", "ID", "LEVEL", "REFERENCE", "SUMMARY");
    for (const auto& rule : check::all_rules()) {
        const auto level = check::to_string(rule.level);
        std::printf("%-38.*s %-8.*s %-32.*s %.*s\n", static_cast<int>(rule.id.size()), rule.id.data(),
                    static_cast<int>(level.size()), level.data(), static_cast<int>(rule.reference.size()),
                    rule.reference.data(), static_cast<int>(rule.summary.size()), rule.summary.data());
    }
    return 0;
}

}  // namespace cproxy::app

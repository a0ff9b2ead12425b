#pragma once
// --fail-on: which findings turn the exit status to 1.
#include <optional>
#include <string>
#include <string_view>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

enum class FailOn { error, warning, info, never };

std::optional<FailOn> parse_fail_on(std::string_view text) noexcept;  // "error|warning|info|never"
std::string_view to_string(FailOn fail_on) noexcept;
// The lowest level that fails, or nullopt for never.
std::optional<check::Level> fail_level(FailOn fail_on) noexcept;

struct Verdict {
    int exit_status = 0;  // 0 or 1
    std::string reason;   // one sentence, e.g. "exit status 1: 3 error findings (--fail-on error)"
    bool failed() const noexcept { return exit_status != 0; }
};

Verdict evaluate_fail_on(const ReportSnapshot& snapshot, FailOn fail_on);

}  // namespace cproxy::report

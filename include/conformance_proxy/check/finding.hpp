#pragma once
#include <string>
#include <vector>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {

// One broken requirement in one exchange. Messages quote what was seen (truncated) and
// say what to do; they never contain credentials.
struct Finding {
    const Rule* rule = nullptr;
    Level level = Level::error;  // effective level (default or overridden by config)
    std::string message;
};

// Empty vectors do not allocate: a clean response costs no heap allocation.
using Findings = std::vector<Finding>;

}  // namespace cproxy::check

#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {

// One broken requirement in one exchange. Messages quote what was seen (truncated) and
// say what to do; they never contain credentials.
// The earlier exchange a stateful finding contradicts (RULES-v2 Part B): its number and the
// time its response arrived. Single-exchange findings have none.
struct EarlierExchange {
    std::uint64_t exchange = 0;
    std::chrono::system_clock::time_point time{};
};

struct Finding {
    const Rule* rule = nullptr;
    Level level = Level::error;  // effective level (default or overridden by config)
    std::string message;
    std::optional<EarlierExchange> earlier = std::nullopt;
};

// Empty vectors do not allocate: a clean response costs no heap allocation.
using Findings = std::vector<Finding>;

}  // namespace cproxy::check

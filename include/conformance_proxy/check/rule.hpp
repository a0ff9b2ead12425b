#pragma once
// A conformance rule: stable id, default level, spec reference, one-line summary.
// Ids are a public interface (see RULES.md): never rename one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace cproxy::check {

enum class Level : std::uint8_t { info = 0, warning = 1, error = 2 };

std::string_view to_string(Level level) noexcept;
std::optional<Level> parse_level(std::string_view text) noexcept;

struct Rule {
    std::size_t index;           // position in the registry, for per-rule tables
    std::string_view id;         // e.g. "405-missing-allow"
    Level level;                 // default level
    std::string_view reference;  // e.g. "RFC 9110 §15.5.6"
    std::string_view summary;    // one line, for `conformance-proxy rules`
};

// The registry: every rule, in catalogue order. Defined once in src/check/RuleRegistry.cpp.
std::span<const Rule> all_rules() noexcept;
const Rule* find_rule(std::string_view id) noexcept;

}  // namespace cproxy::check

#pragma once
// Conformance-Silence: a request names rules whose findings are expected for this exchange
// (a test that provokes a 405 on purpose). Those findings are set aside, reported as silenced,
// and neither fail the run nor reach annotate/enforce; an id that names no rule is reported too,
// so a typo does not silence nothing quietly. Beast-free: parse and set_aside are pure.
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/finding.hpp"

namespace cproxy::proxy {

struct Silence {
    std::vector<const check::Rule*> rules;
    std::vector<std::string> unknown_ids;  // named, but no rule has that id
    bool empty() const noexcept { return rules.empty() && unknown_ids.empty(); }

    // Adds the ids of one field value: a comma-separated list, optional whitespace, ids
    // compared exactly (they are case-sensitive in the catalogue).
    void add(std::string_view field_value);
    // Moves the findings of silenced rules from findings to silenced (idempotent).
    void set_aside(check::Findings& findings, check::Findings& silenced) const;
};

}  // namespace cproxy::proxy

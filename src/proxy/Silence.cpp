#include "proxy/Silence.hpp"

#include <algorithm>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::proxy {

void Silence::add(std::string_view value) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        auto id = value.substr(0, comma);
        value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
        while (!id.empty() && (id.front() == ' ' || id.front() == '\t')) id.remove_prefix(1);
        while (!id.empty() && (id.back() == ' ' || id.back() == '\t')) id.remove_suffix(1);
        if (id.empty()) continue;
        if (const auto* rule = check::find_rule(id)) {
            if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
        } else if (std::find(unknown_ids.begin(), unknown_ids.end(), id) == unknown_ids.end()) {
            unknown_ids.emplace_back(id.substr(0, 100));  // bounded: it is the client's text
        }
    }
}

void Silence::set_aside(check::Findings& findings, check::Findings& silenced) const {
    if (rules.empty()) return;
    const auto silenced_rule = [&](const check::Finding& f) {
        return std::find(rules.begin(), rules.end(), f.rule) != rules.end();
    };
    const auto kept = std::stable_partition(findings.begin(), findings.end(),
                                            [&](const check::Finding& f) { return !silenced_rule(f); });
    std::move(kept, findings.end(), std::back_inserter(silenced));
    findings.erase(kept, findings.end());
}

}  // namespace cproxy::proxy

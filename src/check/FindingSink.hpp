#pragma once
// Where rules put their findings. It applies the RulePolicy (disabled rules emit nothing,
// levels are the effective ones) and builds a message only when a finding is emitted, so a
// clean response allocates nothing.
#include <string>
#include <utility>

#include "check/RuleId.hpp"
#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

class FindingSink {
public:
    FindingSink(const RulePolicy& policy, Findings& out) noexcept : policy_(policy), out_(out) {}

    bool wants(RuleId id) const noexcept { return policy_.enabled(rule_of(id)); }

    // make_message: a callable returning std::string, invoked only when the rule is enabled.
    template <class MakeMessage>
    void report(RuleId id, MakeMessage&& make_message) {
        const Rule& rule = rule_of(id);
        if (!policy_.enabled(rule)) return;
        out_.push_back(Finding{&rule, policy_.level(rule), std::forward<MakeMessage>(make_message)()});
    }

private:
    const RulePolicy& policy_;
    Findings& out_;
};

}  // namespace cproxy::check

#pragma once
// Where rules put their findings. It applies the RulePolicy (disabled rules and rules ignored
// for this request's method and path emit nothing, levels are the effective ones) and builds a
// message only when a finding is emitted, so a clean response allocates nothing.
#include <string>
#include <utility>

#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

class FindingSink {
public:
    FindingSink(const RulePolicy& policy, const RequestContext& request, Findings& out) noexcept
        : policy_(policy), request_(request), out_(out) {}

    // Lets a check skip expensive work for a rule whose findings nobody wants.
    bool wants(const Rule& rule) const noexcept {
        return policy_.enabled(rule) && !policy_.ignored(rule, request_);
    }

    // make_message: a callable returning std::string, invoked only when the rule is enabled.
    template <class MakeMessage>
    void report(const Rule& rule, MakeMessage&& make_message) {
        if (!wants(rule)) return;
        out_.push_back(Finding{&rule, policy_.level(rule), std::forward<MakeMessage>(make_message)()});
    }

    // A stateful finding: it names the earlier exchange it contradicts.
    template <class MakeMessage>
    void report(const Rule& rule, const EarlierExchange& earlier, MakeMessage&& make_message) {
        if (!wants(rule)) return;
        out_.push_back(Finding{&rule, policy_.level(rule), std::forward<MakeMessage>(make_message)(), earlier});
    }

private:
    const RulePolicy& policy_;
    const RequestContext& request_;
    Findings& out_;
};

}  // namespace cproxy::check

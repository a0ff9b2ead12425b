#pragma once
// The pure checker: no I/O, no global mutable state. Same code behind the live proxy and
// the offline `lint` command.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/finding.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {

// What the checker knows of the request that this response answers.
struct RequestContext {
    std::string_view method;  // "GET", ... ("" when unknown, e.g. lint of a bare response)
    std::string_view target;  // request-target as sent by the client
    bool from_origin_in_reverse_mode = true;  // enables 407-from-origin
};

// Framing facts the proxy learns only while or after streaming the body.
struct BodyOutcome {
    bool complete = true;                // body ended as its framing said it would
    std::uint64_t bytes_after_head = 0;  // for bodiless statuses: bytes seen after the head
};

// Per-rule effective levels (config overrides) or disabled rules. Default: catalogue levels.
class RulePolicy {
public:
    RulePolicy();
    void set_level(const Rule& rule, Level level);
    void disable(const Rule& rule);
    bool enabled(const Rule& rule) const noexcept { return enabled_[rule.index]; }
    Level level(const Rule& rule) const noexcept { return levels_[rule.index]; }

private:
    std::vector<Level> levels_;
    std::vector<bool> enabled_;
};

class Checker {
public:
    explicit Checker(RulePolicy policy = RulePolicy{}) : policy_(std::move(policy)) {}

    // raw_head: the response head exactly as the upstream wrote it: status line, field
    // lines, and the empty line (CRLF or bare LF line endings). Appends findings to out.
    void check_head(std::string_view raw_head, const RequestContext& request,
                    Findings& out) const;

    // Called once the body has been streamed (or the stream broke off).
    // raw_head is the same head passed to check_head.
    void check_body(std::string_view raw_head, const RequestContext& request,
                    const BodyOutcome& outcome, Findings& out) const;

    const RulePolicy& policy() const noexcept { return policy_; }

private:
    RulePolicy policy_;
};

}  // namespace cproxy::check

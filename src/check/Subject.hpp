#pragma once
// A subject (authentication, methods, caching, ...) is one file under src/check/rules/ that
// declares its rules beside the checks that emit them, and one entry in Subjects.cpp. Nothing
// else lists rules: the registry, `conformance-proxy rules`, config validation and reports all
// walk the subjects.
#include <span>
#include <string_view>

#include "check/HeadRules.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {

struct Subject {
    std::string_view name;
    // The rules this subject declares. Non-const: the registry writes subject and index once.
    std::span<Rule* const> rules;
    // Each stage is optional; a subject fills in the ones it has rules for.
    void (*check_head)(const HeadCheck&) = nullptr;                        // every response head
    void (*check_body)(const HeadCheck&, const BodyOutcome&) = nullptr;   // after the body
    void (*check_request)(const RequestCheck&) = nullptr;                  // once per request
    // Whether check_body reads BodyOutcome::content for this response head. The proxy copies
    // content only when some subject wants it, so every other response keeps the zero-copy
    // path; a subject whose check_body reads content must set this, or it never sees any.
    bool (*wants_content)(const HeadCheck&) = nullptr;
};

// In the order the checker runs them (Subjects.cpp).
std::span<const Subject* const> all_subjects() noexcept;

}  // namespace cproxy::check

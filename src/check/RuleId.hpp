#pragma once
// Compile-time names for the rules of the registry, so the checker reaches a rule by index
// instead of looking its id up by string on every response.
#include <cstddef>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {

// Same order as the catalogue (RULES.md) and the registry table; RuleRegistry.cpp
// static_asserts that each table entry sits at its enumerator's position.
enum class RuleId : std::size_t {
    missing_www_authenticate_401,
    missing_proxy_authenticate_407,
    challenge_syntax,
    challenge_duplicate_param,
    realm_not_quoted,
    basic_missing_realm,
    basic_bad_charset,
    from_origin_407,
    missing_allow_405,
    allow_syntax,
    allow_lists_request_method_405,
    missing_retry_after_413,
    retry_after_syntax,
    retry_after_missing,
    status_code_invalid,
    status_code_unregistered,
    redirect_missing_location,
    location_syntax,
    missing_content_range_206,
    missing_content_range_416,
    missing_upgrade_426,
    no_content_status_has_body,
    content_length_forbidden,
    transfer_encoding_forbidden,
    content_length_and_transfer_encoding,
    content_length_invalid,
    content_length_mismatch,
    transfer_encoding_chunked_not_last,
    field_repeated_singleton,
    field_name_invalid,
    field_value_invalid,
    obs_fold,
    date_missing,
    date_syntax,
    content_type_missing,
    content_type_syntax,
    count_
};

inline constexpr std::size_t rule_count = static_cast<std::size_t>(RuleId::count_);

const Rule& rule_of(RuleId id) noexcept;

}  // namespace cproxy::check

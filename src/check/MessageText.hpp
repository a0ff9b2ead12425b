#pragma once
// Building blocks of finding messages: one line, offending values quoted and truncated,
// credentials never shown. Only called when a finding is emitted.
#include <initializer_list>
#include <string>
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check::message {

inline constexpr std::size_t max_quoted_chars = 60;

// `"value"`, cut at max_quoted_chars (on a UTF-8 boundary, marked with "..."), control
// characters escaped (\r, \n, \0, \xNN) so the message stays on one line, and quotes and
// backslashes inside escaped so the quoted value reads unambiguously.
std::string quote(std::string_view value);

// The quoted value of a field line, or "(redacted)" for credential-bearing fields.
std::string quote_field_value(const FieldLine& field);

std::string concat(std::initializer_list<std::string_view> parts);

// The 401-vs-403 guidance that auth messages carry (RULES.md).
inline constexpr std::string_view auth_guidance =
    "401 is for missing or bad HTTP authentication and must carry a challenge; if the "
    "application uses cookie or form login, answer 403 (or redirect to the login page) instead";

}  // namespace cproxy::check::message

#pragma once
#include <string_view>

namespace cproxy::auth {

// Header fields whose values carry credentials or session secrets, and so never reach a
// log, finding or report: Authorization, Proxy-Authorization, Cookie, Set-Cookie
// (case-insensitive).
bool is_credential_field(std::string_view field_name);

// What is written instead of a credential field's value.
std::string_view redacted_value();

// `value`, or redacted_value() when `field_name` is a credential field.
std::string_view redact(std::string_view field_name, std::string_view value);

}  // namespace cproxy::auth

#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace cproxy::auth {

// Why `realm` cannot be used in a challenge (control characters cannot be sent in a
// quoted-string, RFC 9110 §5.6.4), or nullopt when it is fine.
std::optional<std::string> realm_problem(std::string_view realm);

// `realm` as an RFC 9110 quoted-string: `"` and `\` backslash-escaped.
std::string quoted_string(std::string_view text);

// The Proxy-Authenticate value of a 407: `Basic realm="<realm>", charset="UTF-8"`
// (RFC 7617 §2, §2.1). Throws std::invalid_argument if realm_problem(realm) is set.
std::string basic_challenge(std::string_view realm);

}  // namespace cproxy::auth

#pragma once
// Groups request-targets into routes so reports stay short: "/items/7?x=1" -> "/items/{id}".
#include <string>
#include <string_view>

namespace cproxy::report {

// Pure. Drops query and fragment; replaces id-like path segments with "{id}": all digits
// (optionally with an extension: "7.json" -> "{id}.json"), UUIDs, hex strings of 16+ chars, and
// long opaque tokens (base64url-ish, 20+ chars mixing letters and digits). Absolute-form
// targets keep their authority without userinfo ("http://u:p@h/a/1" -> "h/a/{id}"); "*" and
// authority-form (CONNECT) targets come back as they are. An empty path becomes "/".
std::string normalize_route(std::string_view target);

// The route used once the distinct-route cap is reached.
inline constexpr std::string_view other_route = "(other)";

}  // namespace cproxy::report

#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace cproxy::auth {

// The user-id and password carried by a `Proxy-Authorization: Basic ...` field (RFC 7617).
// Holds a password: never log, format or put it in an exception message.
struct BasicCredentials {
    std::string user;
    std::string password;
};

// What a Proxy-Authorization value amounts to. `reason` (malformed only) is a short fixed
// text naming the problem; it never quotes the value, which may hold a password.
struct CredentialParseResult {
    enum class Kind { missing, malformed, present };
    Kind kind = Kind::missing;
    std::string_view reason;
    BasicCredentials credentials;  // present only

    bool present() const { return kind == Kind::present; }
};

// Parses `Basic 1*SP token68`: scheme case-insensitive, strict padded base64 (RFC 4648 §4),
// decoded as user ":" password split at the FIRST colon, so the user-id cannot hold a colon
// and the password may. RFC 7617 §2 forbids control characters in both, so they are refused.
// std::nullopt (no field) is `missing`; leading/trailing whitespace around the value is OWS.
CredentialParseResult parse_basic_credentials(std::optional<std::string_view> field_value);

// Strict base64 decode (alphabet and padding checked, length a multiple of 4).
// std::nullopt when the input is not canonical padded base64.
std::optional<std::string> decode_base64_strict(std::string_view text);

}  // namespace cproxy::auth

#pragma once
// Credentials of Authorization and Proxy-Authorization (RFC 9110 §11.4):
//   credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
// Unlike a challenge list, a field line holds exactly one scheme: `Token abc,def` is not two
// credentials but an invalid one. Views point into the field value, which holds secrets: never
// put anything but the scheme (and only a known one) into a message.
#include <string_view>

#include "check/HttpBase.hpp"
#include "check/parse/ChallengeParser.hpp"

namespace cproxy::check {

enum class CredentialsProblem {
    none,
    empty,                  // the field value is empty
    no_auth_scheme,         // it does not start with a token
    no_space_after_scheme,  // `Basic:abc`, `Bearer\tabc`
    bad_credentials,        // neither token68 nor #auth-param after the scheme
};

struct Credentials {
    CredentialsProblem problem = CredentialsProblem::none;
    std::string_view scheme;   // set unless empty / no_auth_scheme
    std::string_view token68;  // empty unless the credentials are a token68
    InlineVector<AuthParam, 12> params;
};

// Parses one field line value (OWS already trimmed). Empty list elements among the
// auth-params are skipped (RFC 9110 §5.6.1).
Credentials parse_credentials(std::string_view value);

// The scheme as it may appear in a message: a registered (or very common) auth-scheme, in
// its usual spelling; "" for anything else, which may itself be a bare secret
// (`Authorization: 3f9a...`).
std::string_view nameable_auth_scheme(std::string_view scheme) noexcept;

}  // namespace cproxy::check

#pragma once
// The proxy's answer to a request its Basic authentication did not allow.
#include <optional>
#include <string>
#include <string_view>

#include "proxy/Awaitable.hpp"

#include "conformance_proxy/auth/ProxyAuthenticator.hpp"
#include "proxy/ProblemResponse.hpp"

namespace cproxy::proxy {

struct AuthRefusal {
    Problem problem;
    // Whether the client may try again on this connection (not after a malformed header).
    bool keep_connection = false;
};

// missing or wrong credentials: 407 with the challenge; throttled: 429 with Retry-After;
// malformed: 400 naming what is wrong. Logs the refusal (never the credentials).
// Expects a decision other than allowed.
// The (slow: bcrypt) credential check, to run on the blocking executor. A plain function, not a
// capturing lambda: g++ 12 destroys a lambda coroutine's captures twice when co_spawn moves it
// (seen as free(): invalid pointer).
awaitable<auth::AuthDecision> check_credentials(auth::ProxyAuthenticator* authenticator,
                                                std::optional<std::string_view> credentials,
                                                std::string client_address);

AuthRefusal auth_refusal(const auth::AuthDecision& decision, const auth::ProxyAuthenticator& authenticator,
                         std::string_view client_address);

}  // namespace cproxy::proxy

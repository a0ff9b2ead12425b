#pragma once
// The proxy's answer to a request its Basic authentication did not allow.
#include <string_view>

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
AuthRefusal auth_refusal(const auth::AuthDecision& decision, const auth::ProxyAuthenticator& authenticator,
                         std::string_view client_address);

}  // namespace cproxy::proxy

#include "proxy/AuthRefusal.hpp"

#include <string>

#include "proxy/Logging.hpp"

namespace cproxy::proxy {

AuthRefusal auth_refusal(const auth::AuthDecision& decision, const auth::ProxyAuthenticator& authenticator,
                         std::string_view client_address) {
    using Kind = auth::AuthDecision::Kind;
    const std::string client(client_address);
    switch (decision.kind) {
    case Kind::malformed:
        log_warn("proxy authentication: malformed Proxy-Authorization from " + client + ": " +
                 std::string(decision.reason));
        return {{400, "Malformed Proxy-Authorization",
                 "The Proxy-Authorization header is malformed: " + std::string(decision.reason) +
                     ". Send Proxy-Authorization: Basic base64(user:password)."},
                false};
    case Kind::throttled: {
        log_warn("proxy authentication: " + client + " throttled after repeated failures for " +
                 std::to_string(decision.retry_after.count()) + " s");
        AuthRefusal refusal{{429, "Too many failed authentication attempts",
                             "Too many failed proxy authentication attempts from this address; retry later."},
                            true};
        refusal.problem.extra_fields.emplace_back("Retry-After", std::to_string(decision.retry_after.count()));
        return refusal;
    }
    case Kind::allowed:  // not a refusal; answered as a wrong password would be, to be safe
    case Kind::missing:
    case Kind::denied:
        break;
    }
    if (decision.kind != Kind::missing) log_warn("proxy authentication: wrong credentials from " + client);
    AuthRefusal refusal{{407, "Proxy authentication required",
                         decision.kind == Kind::missing
                             ? "This proxy requires Basic authentication: send Proxy-Authorization."
                             : "The proxy credentials were not accepted."},
                        true};
    refusal.problem.extra_fields.emplace_back("Proxy-Authenticate", authenticator.challenge());
    return refusal;
}

awaitable<auth::AuthDecision> check_credentials(auth::ProxyAuthenticator* authenticator,
                                                std::optional<std::string_view> credentials,
                                                std::string client_address) {
    co_return authenticator->check(credentials, client_address);
}

}  // namespace cproxy::proxy

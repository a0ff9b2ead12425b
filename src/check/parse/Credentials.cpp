#include "check/parse/Credentials.hpp"

#include <array>

namespace cproxy::check {

Credentials parse_credentials(std::string_view value) {
    Credentials credentials;
    if (value.empty()) {
        credentials.problem = CredentialsProblem::empty;
        return credentials;
    }
    const std::size_t scheme_end = grammar::token_length(value, 0);
    if (scheme_end == 0) {
        credentials.problem = CredentialsProblem::no_auth_scheme;
        return credentials;
    }
    credentials.scheme = value.substr(0, scheme_end);
    if (scheme_end == value.size()) return credentials;
    if (value[scheme_end] != ' ') {
        credentials.problem = CredentialsProblem::no_space_after_scheme;
        return credentials;
    }
    std::size_t start = scheme_end;
    while (start < value.size() && value[start] == ' ') ++start;
    const std::string_view rest = grammar::trim_ows(value.substr(start));
    if (grammar::is_token68(rest)) {
        credentials.token68 = rest;
        return credentials;
    }
    const bool all_params = grammar::for_each_list_element(rest, [&](std::string_view element) {
        if (element.empty()) return true;
        const auto param = parse_auth_param(element);
        if (!param) return false;
        credentials.params.push_back(*param);
        return true;
    });
    if (!all_params) {
        credentials.params.clear();
        credentials.problem = CredentialsProblem::bad_credentials;
    }
    return credentials;
}

std::string_view nameable_auth_scheme(std::string_view scheme) noexcept {
    // IANA HTTP Authentication Scheme Registry, plus NTLM, AWS4-HMAC-SHA256 and Token.
    static constexpr std::array<std::string_view, 17> known{
        "Basic", "Bearer", "Concealed", "Digest", "DPoP", "GNAP", "HOBA", "Mutual", "Negotiate",
        "OAuth", "PrivateToken", "SCRAM-SHA-1", "SCRAM-SHA-256", "vapid", "NTLM",
        "AWS4-HMAC-SHA256", "Token"};
    for (std::string_view name : known)
        if (grammar::iequals(scheme, name)) return name;
    return {};
}

}  // namespace cproxy::check

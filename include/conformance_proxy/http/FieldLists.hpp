#pragma once
// Field lists every part of the product must agree on: which fields carry credentials (their
// values never reach a log, report or message), which are hop-by-hop (RFC 9110 §7.6.1), and
// which are singletons (RFC 9110 §5.3: one line only). Names are compared case-insensitively.
#include <array>
#include <string_view>

#include "conformance_proxy/http/HttpGrammar.hpp"

namespace cproxy::http {

inline constexpr std::array<std::string_view, 4> kCredentialFieldNames{
    "authorization", "proxy-authorization", "cookie", "set-cookie"};

// Connection-specific fields a proxy never forwards (RFC 9110 §7.6.1, RFC 9112 §7.1.2), plus
// Proxy-Authorization, whose credentials are for this proxy only.
inline constexpr std::array<std::string_view, 9> kHopByHopFieldNames{
    "connection", "keep-alive", "proxy-connection", "te", "transfer-encoding",
    "upgrade", "trailer", "proxy-authenticate", "proxy-authorization"};

inline bool is_credential_field_name(std::string_view name) noexcept {
    for (std::string_view credential : kCredentialFieldNames)
        if (grammar::iequals(name, credential)) return true;
    return false;
}

inline bool is_hop_by_hop_field_name(std::string_view name) noexcept {
    for (std::string_view hop : kHopByHopFieldNames)
        if (grammar::iequals(name, hop)) return true;
    return false;
}

}  // namespace cproxy::http

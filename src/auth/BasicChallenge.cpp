#include "conformance_proxy/auth/BasicChallenge.hpp"

#include <stdexcept>

namespace cproxy::auth {

std::optional<std::string> realm_problem(std::string_view realm) {
    for (const char c : realm) {
        const auto u = static_cast<unsigned char>(c);
        // HTAB is allowed in a quoted-string; every other control character is not, even
        // backslash-escaped (quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )).
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return "realm contains a control character, which cannot be sent in a header";
    }
    return std::nullopt;
}

std::string quoted_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string basic_challenge(std::string_view realm) {
    if (auto problem = realm_problem(realm)) throw std::invalid_argument(*problem);
    // charset="UTF-8" (RFC 7617 §2.1) tells clients to encode non-ASCII user-ids as UTF-8.
    return "Basic realm=" + quoted_string(realm) + ", charset=\"UTF-8\"";
}

}  // namespace cproxy::auth

// Links from a rule's reference text to the specification it cites, for reports and the
// catalogue: the first "RFC NNNN §x.y" becomes an rfc-editor.org section link; the living
// standards and drafts the catalogue cites map to their pages.
#include <string>

#include "check/HttpBase.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {

std::string reference_url(std::string_view reference) {
    if (reference.starts_with("RFC ")) {
        std::size_t i = 4;
        std::string number;
        while (i < reference.size() && grammar::is_digit(reference[i])) number += reference[i++];
        if (number.empty()) return {};
        std::string url = "https://www.rfc-editor.org/rfc/rfc" + number;
        // "§15.5.6" (the section sign is two bytes in UTF-8), or "Appendix B"
        const std::string_view rest = reference.substr(i);
        if (rest.starts_with(" §")) {
            std::size_t j = 3;  // past " " and the two bytes of "§"
            std::string section;
            while (j < rest.size() && (grammar::is_digit(rest[j]) || rest[j] == '.')) section += rest[j++];
            while (!section.empty() && section.back() == '.') section.pop_back();
            if (!section.empty()) url += "#section-" + section;
        } else if (rest.starts_with(" Appendix ") && rest.size() > 10 && grammar::is_alpha(rest[10])) {
            url += "#appendix-";
            url += rest[10];
        }
        return url;
    }
    struct Known {
        std::string_view prefix;
        std::string_view url;
    };
    static constexpr Known known[] = {
        {"Fetch", "https://fetch.spec.whatwg.org/"},
        {"HTML", "https://html.spec.whatwg.org/"},
        {"CSP3", "https://www.w3.org/TR/CSP3/"},
        {"W3C Referrer Policy", "https://www.w3.org/TR/referrer-policy/"},
        {"W3C Permissions Policy", "https://www.w3.org/TR/permissions-policy/"},
        {"rfc6265bis", "https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/"},
        {"draft-cutler-httpbis-partitioned-cookies", "https://datatracker.ietf.org/doc/draft-cutler-httpbis-partitioned-cookies/"},
        {"OpenAPI 3.1", "https://spec.openapis.org/oas/v3.1.0"},
        {"OWASP Secure Headers", "https://owasp.org/www-project-secure-headers/"},
    };
    for (const Known& entry : known)
        if (reference.starts_with(entry.prefix)) return std::string(entry.url);
    return {};
}

}  // namespace cproxy::check

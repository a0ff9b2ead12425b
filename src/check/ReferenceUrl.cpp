// Links from a rule's reference text to the specification it cites, for reports and the
// catalogue: a reference that starts with a living standard or draft links to its page; else the
// first "RFC NNNN" becomes an rfc-editor.org link, to the first section named for that RFC.
#include <string>

#include "check/HttpBase.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {
namespace {

struct KnownDocument {
    std::string_view prefix;
    std::string_view url;
};
constexpr KnownDocument kKnownDocuments[] = {
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

}  // namespace

std::string reference_url(std::string_view reference) {
    for (const KnownDocument& document : kKnownDocuments)
        if (reference.starts_with(document.prefix)) return std::string(document.url);
    const std::size_t rfc = reference.find("RFC ");
    if (rfc == std::string_view::npos) return {};
    std::size_t i = rfc + 4;
    std::string number;
    while (i < reference.size() && grammar::is_digit(reference[i])) number += reference[i++];
    if (number.empty()) return {};
    std::string url = "https://www.rfc-editor.org/rfc/rfc" + number;
    // The first section of this RFC: "§15.5.6" (the section sign is two bytes in UTF-8), or
    // "Appendix C.2.2".
    constexpr std::string_view section_sign = "\xC2\xA7";
    const std::size_t next_rfc = reference.find("RFC ", i);
    const std::size_t section = reference.find(section_sign, i);
    if (section != std::string_view::npos && section < next_rfc) {
        std::size_t j = section + section_sign.size();
        std::string name;
        while (j < reference.size() && (grammar::is_alpha(reference[j]) || grammar::is_digit(reference[j]) ||
                                        reference[j] == '.'))
            name += reference[j++];
        while (!name.empty() && name.back() == '.') name.pop_back();
        if (!name.empty()) url += "#section-" + name;
    } else if (reference.substr(i).starts_with(" Appendix ") && i + 10 < reference.size() &&
               grammar::is_alpha(reference[i + 10])) {
        url += "#appendix-";
        url += reference[i + 10];
    }
    return url;
}

}  // namespace cproxy::check

// Browser security fields: X-Content-Type-Options (Fetch), X-Frame-Options (HTML),
// Referrer-Policy (W3C Referrer Policy), Cross-Origin-Resource-Policy (Fetch), CSP3 directive
// names, and fields that are obsolete or disclose the implementation (RFC 9110 §10.2.4, §17.12).
// Cross-Origin-Opener/Embedder-Policy are checked elsewhere (they need a Structured Field parser).
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"

namespace cproxy::check {
namespace {

constinit Rule x_content_type_options_invalid{
    .id = "x-content-type-options-invalid",
    .level = Level::error,
    .reference = "Fetch, X-Content-Type-Options header",
    .summary = "X-Content-Type-Options is not nosniff",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "X-Content-Type-Options: no-sniff\n",
};
constinit Rule x_frame_options_invalid{
    .id = "x-frame-options-invalid",
    .level = Level::error,
    .reference = "HTML, the X-Frame-Options header",
    .summary = "X-Frame-Options is not DENY or SAMEORIGIN",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "X-Frame-Options: SAME-ORIGIN\n",
};
constinit Rule x_frame_options_allow_from{
    .id = "x-frame-options-allow-from",
    .level = Level::warning,
    .reference = "HTML, the X-Frame-Options header; RFC 7034 §2.1",
    .summary = "X-Frame-Options ALLOW-FROM, ignored by browsers",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "X-Frame-Options: ALLOW-FROM https://partner.example\n",
};
constinit Rule referrer_policy_syntax{
    .id = "referrer-policy-syntax",
    .level = Level::error,
    .reference = "W3C Referrer Policy §4.1",
    .summary = "Referrer-Policy element is not 1*( ALPHA / \"-\" )",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "Referrer-Policy: strict_origin\n",
};
constinit Rule referrer_policy_unknown{
    .id = "referrer-policy-unknown",
    .level = Level::warning,
    .reference = "W3C Referrer Policy §4.1 (unknown tokens ignored when parsing the header)",
    .summary = "Referrer-Policy names no known policy",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "Referrer-Policy: no-referer\n",
};
constinit Rule cross_origin_resource_policy_invalid{
    .id = "cross-origin-resource-policy-invalid",
    .level = Level::error,
    .reference = "Fetch, Cross-Origin-Resource-Policy header",
    .summary = "Cross-Origin-Resource-Policy is not same-origin, same-site or cross-origin",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: image/png\n"
               "Cross-Origin-Resource-Policy: cross-site\n",
};
constinit Rule csp_directive_name_invalid{
    .id = "csp-directive-name-invalid",
    .level = Level::error,
    .reference = "CSP3 §2.2.1, §2.3",
    .summary = "CSP directive name is not 1*( ALPHA / DIGIT / \"-\" )",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "Content-Security-Policy: default-src: 'self'\n",
};
constinit Rule csp_directive_repeated{
    .id = "csp-directive-repeated",
    .level = Level::warning,
    .reference = "CSP3 §2.2.1",
    .summary = "one CSP policy names a directive twice; the second is ignored",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "Content-Security-Policy: script-src 'self'; object-src 'none'; script-src "
               "https://cdn.example\n",
};
constinit Rule x_xss_protection_deprecated{
    .id = "x-xss-protection-deprecated",
    .level = Level::info,
    .reference = "OWASP Secure Headers; HTML (no longer specified)",
    .summary = "X-XSS-Protection other than 0",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "X-XSS-Protection: 1; mode=block\n",
};
constinit Rule response_field_obsolete{
    .id = "response-field-obsolete",
    .level = Level::info,
    .reference = "RFC 9163; RFC 7469; RFC 6265 §9.4; W3C Permissions Policy",
    .summary = "Expect-CT, Public-Key-Pins, P3P, Feature-Policy or Set-Cookie2: no browser acts on it",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "Expect-CT: max-age=86400, enforce\n",
};
constinit Rule server_version_disclosed{
    .id = "server-version-disclosed",
    .level = Level::info,
    .reference = "RFC 9110 §10.2.4, §17.12",
    .summary = "Server names a product version",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nServer: Apache/2.4.41 (Ubuntu)\n"
               "Content-Type: text/html\n",
};
constinit Rule x_powered_by_disclosed{
    .id = "x-powered-by-disclosed",
    .level = Level::info,
    .reference = "RFC 9110 §17.12 (by analogy with §10.2.4)",
    .summary = "X-Powered-By, X-AspNet-Version or X-AspNetMvc-Version",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "X-Powered-By: PHP/8.1.2\n",
};

using message::concat;
using message::quote;

constexpr bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.size() >= prefix.size() && grammar::iequals(text.substr(0, prefix.size()), prefix);
}

void check_x_content_type_options(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::x_content_type_options)) return;
    const FieldLine* bad_line = nullptr;
    std::string_view bad;
    const std::size_t elements =
        for_each_element(head, KnownField::x_content_type_options,
                         [&](const FieldLine& line, std::string_view element) {
                             if (grammar::iequals(element, "nosniff")) return true;
                             bad_line = &line;
                             bad = element;
                             return false;
                         });
    if (elements > 0 && !bad_line) return;
    check.sink.report(x_content_type_options_invalid, [&] {
        if (!bad_line)
            return concat({"X-Content-Type-Options ",
                           quote(head.first(KnownField::x_content_type_options)->value),
                           " is empty, so MIME sniffing stays on; send X-Content-Type-Options: nosniff"});
        return concat({"X-Content-Type-Options ", quote(bad_line->value), ": ", quote(bad),
                       " is not nosniff, so MIME sniffing stays on; send exactly "
                       "X-Content-Type-Options: nosniff"});
    });
}

void check_x_frame_options(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::x_frame_options)) return;
    const FieldLine* bad_line = nullptr;
    std::string_view bad;
    const FieldLine* allow_from_line = nullptr;
    bool deny = false;
    bool same_origin = false;
    const std::size_t elements = for_each_element(
        head, KnownField::x_frame_options, [&](const FieldLine& line, std::string_view element) {
            if (grammar::iequals(element, "DENY")) {
                deny = true;
            } else if (grammar::iequals(element, "SAMEORIGIN")) {
                same_origin = true;
            } else if (istarts_with(element, "ALLOW-FROM")) {
                if (!allow_from_line) allow_from_line = &line;
            } else if (!bad_line) {
                bad_line = &line;
                bad = element;
            }
            return true;
        });
    const FieldLine& first = *head.first(KnownField::x_frame_options);
    if (elements == 0) {
        check.sink.report(x_frame_options_invalid, [&] {
            return concat({"X-Frame-Options ", quote(first.value),
                           " is empty and ignored; send DENY or SAMEORIGIN (or use CSP "
                           "frame-ancestors)"});
        });
    } else if (bad_line) {
        check.sink.report(x_frame_options_invalid, [&] {
            return concat({"X-Frame-Options ", quote(bad_line->value), ": ", quote(bad),
                           " is neither DENY nor SAMEORIGIN, so the header is ignored and the "
                           "page can be framed; send DENY or SAMEORIGIN (or use CSP "
                           "frame-ancestors)"});
        });
    } else if (deny && same_origin) {
        check.sink.report(x_frame_options_invalid, [&] {
            return concat({"X-Frame-Options ", quote(first.value),
                           " combines DENY and SAMEORIGIN, which browsers treat as invalid; send "
                           "one of them"});
        });
    }
    if (allow_from_line) {
        check.sink.report(x_frame_options_allow_from, [&] {
            return concat({"X-Frame-Options ", quote(allow_from_line->value),
                           ": ALLOW-FROM is obsolete and ignored by browsers, so anyone can frame "
                           "the page; use Content-Security-Policy: frame-ancestors <origin> "
                           "instead"});
        });
    }
}

constexpr bool is_referrer_token(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (!(grammar::is_alpha(c) || c == '-')) return false;
    return true;
}

constexpr bool is_known_referrer_policy(std::string_view token) noexcept {
    for (std::string_view known :
         {"no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin",
          "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"})
        if (grammar::iequals(token, known)) return true;
    return false;
}

void check_referrer_policy(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::referrer_policy)) return;
    const FieldLine* bad_line = nullptr;
    std::string_view bad;
    bool known = false;
    const std::size_t elements = for_each_element(
        head, KnownField::referrer_policy, [&](const FieldLine& line, std::string_view element) {
            if (!is_referrer_token(element)) {
                bad_line = &line;
                bad = element;
                return false;
            }
            if (is_known_referrer_policy(element)) known = true;
            return true;
        });
    if (bad_line) {
        check.sink.report(referrer_policy_syntax, [&] {
            return concat({"Referrer-Policy ", quote(bad_line->value), ": ", quote(bad),
                           " is not a policy token (letters and \"-\" only, elements separated "
                           "by commas); send e.g. Referrer-Policy: strict-origin-when-cross-origin"});
        });
        return;
    }
    if (elements == 0 || known) return;
    check.sink.report(referrer_policy_unknown, [&] {
        return concat({"Referrer-Policy ", quote(head.first(KnownField::referrer_policy)->value),
                       " names no known policy, so browsers ignore it; use one of no-referrer, "
                       "same-origin, strict-origin, strict-origin-when-cross-origin, origin, "
                       "origin-when-cross-origin, no-referrer-when-downgrade, unsafe-url"});
    });
}

void check_cross_origin_resource_policy(const HeadCheck& check) {
    const RawHead& head = check.head;
    const std::size_t lines = head.count(KnownField::cross_origin_resource_policy);
    if (lines == 0) return;
    const FieldLine& first = *head.first(KnownField::cross_origin_resource_policy);
    const std::string_view value = first.value;
    if (lines == 1 && (value == "same-origin" || value == "same-site" || value == "cross-origin"))
        return;
    check.sink.report(cross_origin_resource_policy_invalid, [&] {
        if (lines > 1)
            return sent_on_lines("Cross-Origin-Resource-Policy", lines, first,
                                 ", which makes an invalid list and is ignored; send one line: "
                                 "same-origin, same-site or cross-origin");
        return concat({"Cross-Origin-Resource-Policy ", quote(value),
                       " is ignored; send exactly same-origin, same-site or cross-origin "
                       "(lowercase)"});
    });
}

// CSP3 §2.2.1: ASCII whitespace is TAB, LF, FF, CR and SPACE.
constexpr bool is_ascii_whitespace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

constexpr std::string_view trim_ascii_whitespace(std::string_view text) noexcept {
    while (!text.empty() && is_ascii_whitespace(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_ascii_whitespace(text.back())) text.remove_suffix(1);
    return text;
}

constexpr std::string_view directive_name(std::string_view directive) noexcept {
    std::size_t end = 0;
    while (end < directive.size() && !is_ascii_whitespace(directive[end])) ++end;
    return directive.substr(0, end);
}

constexpr bool is_directive_name(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (char c : name)
        if (!(grammar::is_alpha(c) || grammar::is_digit(c) || c == '-')) return false;
    return true;
}

// Calls on_directive(directive) for each non-empty, whitespace-trimmed `;`-piece of a policy.
template <class OnDirective>
void for_each_directive(std::string_view policy, OnDirective&& on_directive) {
    std::size_t start = 0;
    while (start <= policy.size()) {
        std::size_t end = policy.find(';', start);
        if (end == std::string_view::npos) end = policy.size();
        const std::string_view directive = trim_ascii_whitespace(policy.substr(start, end - start));
        if (!directive.empty() && !on_directive(directive)) return;
        start = end + 1;
    }
}

void check_csp_line(const HeadCheck& check, const FieldLine& line, std::string_view field) {
    bool name_reported = false;
    std::size_t start = 0;
    const std::string_view value = line.value;
    while (start <= value.size()) {
        std::size_t end = value.find(',', start);
        if (end == std::string_view::npos) end = value.size();
        const std::string_view policy = value.substr(start, end - start);
        start = end + 1;
        std::string_view repeated;
        for_each_directive(policy, [&](std::string_view directive) {
            const std::string_view name = directive_name(directive);
            if (!name_reported && !is_directive_name(name)) {
                name_reported = true;
                check.sink.report(csp_directive_name_invalid, [&] {
                    return concat({field, " directive ", quote(directive), ": ", quote(name),
                                   " is not a directive name (letters, digits and \"-\"; the "
                                   "value follows after a space), so the directive is ignored; "
                                   "write e.g. default-src 'self'"});
                });
            }
            if (repeated.empty()) {
                // Compare with the directives before this one (a policy has few of them).
                bool seen = false;
                for_each_directive(policy, [&](std::string_view earlier) {
                    if (earlier.data() == directive.data()) return false;
                    seen = grammar::iequals(directive_name(earlier), name);
                    return !seen;
                });
                if (seen) repeated = name;
            }
            return true;
        });
        if (!repeated.empty()) {
            check.sink.report(csp_directive_repeated, [&] {
                return concat({field, " policy ", quote(trim_ascii_whitespace(policy)),
                               " names the directive ", quote(repeated),
                               " twice; browsers ignore the second one: merge their sources "
                               "into one directive"});
            });
        }
    }
}

void check_csp(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::content_security_policy, [&](const FieldLine& line) {
        check_csp_line(check, line, "Content-Security-Policy");
    });
    head.for_each(KnownField::content_security_policy_report_only, [&](const FieldLine& line) {
        check_csp_line(check, line, "Content-Security-Policy-Report-Only");
    });
}

void check_x_xss_protection(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::x_xss_protection)) return;
    const FieldLine* enabling = nullptr;
    head.for_each(KnownField::x_xss_protection, [&](const FieldLine& line) {
        if (!enabling && line.value != "0") enabling = &line;
    });
    if (!enabling) return;
    check.sink.report(x_xss_protection_deprecated, [&] {
        return concat({"X-XSS-Protection ", quote(enabling->value),
                       ": the XSS auditor is gone from current browsers and its blocking modes "
                       "caused cross-site leaks; send X-XSS-Protection: 0 or nothing, and use "
                       "Content-Security-Policy"});
    });
}

struct ObsoleteField {
    KnownField field;
    std::string_view name;
    std::string_view replacement;
};

constexpr ObsoleteField obsolete_fields[] = {
    {KnownField::expect_ct, "Expect-CT",
     "Expect-CT (RFC 9163) is obsolete: Certificate Transparency is enforced by browsers anyway; "
     "remove it"},
    {KnownField::public_key_pins, "Public-Key-Pins",
     "Public-Key-Pins (RFC 7469) was removed from browsers; remove it (Certificate Transparency "
     "and CAA records replace pinning)"},
    {KnownField::public_key_pins_report_only, "Public-Key-Pins-Report-Only",
     "Public-Key-Pins-Report-Only (RFC 7469) was removed from browsers; remove it (Certificate "
     "Transparency and CAA records replace pinning)"},
    {KnownField::p3p, "P3P", "P3P (W3C P3P 1.0) was obsoleted in 2018; remove it"},
    {KnownField::feature_policy, "Feature-Policy",
     "Feature-Policy was replaced by Permissions-Policy; send Permissions-Policy instead"},
    {KnownField::set_cookie2, "Set-Cookie2",
     "Set-Cookie2 (RFC 2965) was obsoleted by RFC 6265; send Set-Cookie instead"},
};

void check_obsolete_fields(const HeadCheck& check) {
    for (const ObsoleteField& obsolete : obsolete_fields) {
        if (!check.head.has(obsolete.field)) continue;
        check.sink.report(response_field_obsolete, [&] {
            return concat({"the response carries ", obsolete.name, ", which no current browser acts on: ",
                           obsolete.replacement});
        });
    }
}

// The first product of a Server value whose version holds a digit ("nginx/1.25.3"), skipping
// comments, which nest and may hold quoted-pairs ("(Ubuntu)", "(built 2024)").
std::string_view versioned_product(std::string_view value) noexcept {
    std::size_t i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (grammar::is_ows(c)) {
            ++i;
        } else if (c == '(') {
            int depth = 0;
            for (; i < value.size(); ++i) {
                if (value[i] == '\\') {
                    ++i;
                } else if (value[i] == '(') {
                    ++depth;
                } else if (value[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
            }
        } else {
            const std::size_t start = i;
            while (i < value.size() && !grammar::is_ows(value[i]) && value[i] != '(') ++i;
            const std::string_view product = value.substr(start, i - start);
            const std::size_t slash = product.find('/');
            if (slash == std::string_view::npos) continue;
            for (char v : product.substr(slash + 1))
                if (grammar::is_digit(v)) return product;
        }
    }
    return {};
}

// The message for a Server value that names its version. Behind one server every response
// carries the same value, so each thread makes the message once per value and copies it.
const std::string& server_version_message(std::string_view value, std::string_view product) {
    thread_local std::string cached_value, cached_message;
    if (cached_message.empty() || value != cached_value) {
        cached_message = concat({"Server ", quote(value), " discloses the version ", quote(product),
                                 ", which helps attackers find known holes; send the product name "
                                 "alone (e.g. nginx: server_tokens off; Apache: ServerTokens Prod)"});
        cached_value = value;
    }
    return cached_message;
}

void check_server(const HeadCheck& check) {
    check.head.for_each(KnownField::server, [&](const FieldLine& line) {
        const std::string_view product = versioned_product(line.value);
        if (product.empty()) return;
        check.sink.report(server_version_disclosed, [&] { return server_version_message(line.value, product); });
    });
}

void check_powered_by(const HeadCheck& check) {
    for (const auto& disclosing : {std::pair{KnownField::x_powered_by, "X-Powered-By"},
                                   std::pair{KnownField::x_aspnet_version, "X-AspNet-Version"},
                                   std::pair{KnownField::x_aspnetmvc_version, "X-AspNetMvc-Version"}}) {
        const FieldLine* line = check.head.first(disclosing.first);
        if (!line) continue;
        // A named variable, not a structured binding: clang 14 (the fuzz build) cannot capture one.
        const std::string_view name = disclosing.second;
        check.sink.report(x_powered_by_disclosed, [&] {
            return concat({"the response carries ", name, " ", quote(line->value),
                           ", which reveals the implementation for no protocol benefit; remove it"});
        });
    }
}

}  // namespace

static void check_security(const HeadCheck& check) {
    if (check.head.status_class() == 1) return;  // final responses only
    check_x_content_type_options(check);
    check_x_frame_options(check);
    check_referrer_policy(check);
    check_cross_origin_resource_policy(check);
    check_csp(check);
    check_x_xss_protection(check);
    check_obsolete_fields(check);
    check_server(check);
    check_powered_by(check);
}

namespace {
Rule* const security_rules[] = {
    &x_content_type_options_invalid,
    &x_frame_options_invalid,
    &x_frame_options_allow_from,
    &referrer_policy_syntax,
    &referrer_policy_unknown,
    &cross_origin_resource_policy_invalid,
    &csp_directive_name_invalid,
    &csp_directive_repeated,
    &x_xss_protection_deprecated,
    &response_field_obsolete,
    &server_version_disclosed,
    &x_powered_by_disclosed,
};
}  // namespace

extern const Subject security_subject{"security", security_rules, check_security, nullptr, nullptr};

}  // namespace cproxy::check

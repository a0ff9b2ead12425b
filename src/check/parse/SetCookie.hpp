#pragma once
// One Set-Cookie field line split the way user agents split it (rfc6265bis-20 §5.6): the
// cookie-pair runs to the first ";", the name to the first "=" in it; every following
// ";"-separated piece is an attribute whose name runs to its first "="; names and values are
// trimmed of SP/HTAB. Set-Cookie lines are never joined (Expires holds a comma).
// Grammar tests follow RFC 6265 §4.1.1 where it agrees with rfc6265bis-20 §4.1.1.
// Allocation-free: every view points into the field value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check {

struct CookiePair {
    std::string_view name;        // trimmed; empty when there is no "="
    std::string_view value;       // trimmed; the whole trimmed pair when there is no "="
    bool has_equals = false;      // the cookie-pair holds a "="
    std::string_view attributes;  // everything after the first ";" (empty when none)
};

struct CookieAttribute {
    std::string_view name;   // trimmed, as written (compare case-insensitively)
    std::string_view value;  // trimmed; empty for a bare attribute ("Secure")
    bool has_equals = false;
};

CookiePair split_set_cookie(std::string_view field_value) noexcept;

// Calls on_attribute(const CookieAttribute&) for every ";"-separated piece of `attributes`
// (CookiePair::attributes), empty pieces included (their name and value are empty).
template <class OnAttribute>
void for_each_cookie_attribute(std::string_view attributes, OnAttribute&& on_attribute) {
    if (attributes.data() == nullptr) return;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = attributes.find(';', start);
        const std::string_view piece =
            attributes.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        CookieAttribute attribute;
        const std::size_t equals = piece.find('=');
        if (equals == std::string_view::npos) {
            attribute.name = grammar::trim_ows(piece);
        } else {
            attribute.name = grammar::trim_ows(piece.substr(0, equals));
            attribute.value = grammar::trim_ows(piece.substr(equals + 1));
            attribute.has_equals = true;
        }
        on_attribute(attribute);
        if (end == std::string_view::npos) return;
        start = end + 1;
    }
}

// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
constexpr bool is_cookie_octet(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
           (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

// The offset of the first octet of a cookie-name that is not a cookie-octet, or npos.
// (Names with "( ) / : < > ? @ [ ] { }" are cookie-octets: valid under rfc6265bis.)
std::size_t first_bad_cookie_name_octet(std::string_view name) noexcept;

// The offset of the first octet that keeps a trimmed cookie-value from being
// `*cookie-octet / ( DQUOTE *cookie-octet DQUOTE )`, or npos when it is valid (empty included).
std::size_t first_bad_cookie_value_octet(std::string_view value) noexcept;

// A short description of an octet that is not a cookie-octet ("a space", "a comma",
// "a non-ASCII octet", ...), so a message can say what is wrong without quoting a cookie value.
std::string_view describe_non_cookie_octet(char c) noexcept;

// Max-Age as user agents accept it: ["-"] 1*DIGIT (0, -1 and 007 included).
constexpr bool is_valid_max_age(std::string_view value) noexcept {
    if (!value.empty() && value.front() == '-') value.remove_prefix(1);
    return grammar::is_digits(value);
}

// Domain: after removing one leading ".", a non-empty `subdomain` (RFC 1034 §3.5 as relaxed by
// RFC 1123 §2.1): dot-separated labels of 1-63 letters, digits and hyphens, neither starting
// nor ending with a hyphen, at most 253 octets.
bool is_valid_cookie_domain(std::string_view value) noexcept;

// Seconds since 1970-01-01T00:00:00Z of an IMF-fixdate; nullopt when text is not one.
std::optional<std::int64_t> imf_fixdate_seconds(std::string_view text) noexcept;

}  // namespace cproxy::check

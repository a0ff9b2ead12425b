#pragma once
// Character classes and small building blocks of the RFC 9110 grammar (§5.6): tokens,
// whitespace, quoted-strings, token68, comma-separated lists. Allocation-free.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace cproxy::http::grammar {

inline constexpr std::size_t npos = std::string_view::npos;

namespace detail {
constexpr std::array<bool, 256> make_tchar_table() {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c) table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
    return table;
}
inline constexpr std::array<bool, 256> tchar_table = make_tchar_table();
}  // namespace detail

constexpr bool is_tchar(char c) noexcept { return detail::tchar_table[static_cast<unsigned char>(c)]; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }
constexpr bool is_vchar(char c) noexcept { return c > 0x20 && c < 0x7f; }
constexpr bool is_obs_text(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }
// Control characters forbidden in field values (RFC 9110 §5.5): all CTLs except HTAB.
constexpr bool is_forbidden_in_value(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

// Whether any of 8 bytes is below 0x20 or equal to 0x7F (HTAB included: checked after).
inline constexpr bool may_hold_control_char(std::uint64_t bytes) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const std::uint64_t below_space = (bytes - ones * 0x20) & ~bytes & highs;
    const std::uint64_t del_xor = bytes ^ (ones * 0x7f);
    const std::uint64_t is_del = (del_xor - ones) & ~del_xor & highs;
    return (below_space | is_del) != 0;
}

// The offset of the first character is_forbidden_in_value, or npos.
// Field values are scanned on every response: test 8 bytes at a time and look at single
// bytes only in a word that may hold a control character.
inline std::size_t first_forbidden_char(std::string_view value) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= value.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, value.data() + i, sizeof word);
        if (!may_hold_control_char(word)) continue;
        for (std::size_t j = i; j < i + 8; ++j)
            if (is_forbidden_in_value(value[j])) return j;
    }
    for (; i < value.size(); ++i)
        if (is_forbidden_in_value(value[i])) return i;
    return npos;
}

constexpr bool is_token(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (!is_tchar(c)) return false;
    return true;
}

constexpr bool is_digits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (!is_digit(c)) return false;
    return true;
}

constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

// iequals for a token (a field name) against a name written in lowercase letters, digits
// and '-': setting bit 0x20 lowercases a letter and changes no other tchar into one of
// those, so 8 bytes compare at once. Runs for every field of every response. On a
// non-token it may also match a control character where `lowercase` has '-' (CR | 0x20 is
// '-'); it never misses a real case variant, so credential redaction stays safe.
inline bool token_equals_lowercase(std::string_view token, std::string_view lowercase) noexcept {
    const std::size_t size = token.size();
    if (size != lowercase.size()) return false;
    const char* const a = token.data();
    const char* const b = lowercase.data();
    // The last block overlaps the one before it rather than ending in a byte loop: comparing
    // a byte twice is harmless and most field names are not a multiple of 8 long.
    if (size >= 8) {
        constexpr std::uint64_t case_bits = 0x2020202020202020ull;
        const auto differs_at = [&](std::size_t i) {
            std::uint64_t x, y;
            std::memcpy(&x, a + i, 8);
            std::memcpy(&y, b + i, 8);
            return (x | case_bits) != y;
        };
        for (std::size_t i = 0; i + 8 < size; i += 8)
            if (differs_at(i)) return false;
        return !differs_at(size - 8);
    }
    if (size >= 4) {
        constexpr std::uint32_t case_bits = 0x20202020u;
        std::uint32_t x0, y0, x1, y1;
        std::memcpy(&x0, a, 4);
        std::memcpy(&y0, b, 4);
        std::memcpy(&x1, a + size - 4, 4);
        std::memcpy(&y1, b + size - 4, 4);
        return (x0 | case_bits) == y0 && (x1 | case_bits) == y1;
    }
    for (std::size_t i = 0; i < size; ++i)
        if ((a[i] | 0x20) != b[i]) return false;
    return true;
}

constexpr std::string_view trim_ows(std::string_view text) noexcept {
    while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_ows(text.back())) text.remove_suffix(1);
    return text;
}

// Length of the token starting at text[pos] (0 when none).
constexpr std::size_t token_length(std::string_view text, std::size_t pos) noexcept {
    std::size_t end = pos;
    while (end < text.size() && is_tchar(text[end])) ++end;
    return end - pos;
}

constexpr std::size_t skip_ows(std::string_view text, std::size_t pos) noexcept {
    while (pos < text.size() && is_ows(text[pos])) ++pos;
    return pos;
}

// A quoted-string starting at text[pos] (which must be DQUOTE); returns the position just
// past the closing DQUOTE, or npos when the string is unterminated or holds a character
// that is neither qdtext nor a valid quoted-pair.
constexpr std::size_t quoted_string_end(std::string_view text, std::size_t pos) noexcept {
    if (pos >= text.size() || text[pos] != '"') return npos;
    for (std::size_t i = pos + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') return i + 1;
        if (c == '\\') {
            if (++i >= text.size()) return npos;
            const char escaped = text[i];
            if (!(escaped == '\t' || escaped == ' ' || is_vchar(escaped) || is_obs_text(escaped)))
                return npos;
            continue;
        }
        if (!(c == '\t' || c == ' ' || is_vchar(c) || is_obs_text(c))) return npos;
    }
    return npos;
}

// Compares the content of a quoted-string (with its DQUOTEs, escapes resolved) or a token
// with an expected ASCII value, ignoring case.
constexpr bool param_value_iequals(std::string_view value, std::string_view expected) noexcept {
    if (value.size() >= 2 && value.front() == '"') {
        std::size_t j = 0;
        for (std::size_t i = 1; i + 1 < value.size(); ++i) {
            char c = value[i];
            if (c == '\\' && i + 2 < value.size()) c = value[++i];
            if (j >= expected.size() || to_lower(c) != to_lower(expected[j])) return false;
            ++j;
        }
        return j == expected.size();
    }
    return iequals(value, expected);
}

// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 9110 §11.2)
constexpr bool is_token68(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) ||
                               std::string_view("-._~+/").find(text[i]) != npos))
        ++i;
    if (i == 0) return false;
    while (i < text.size() && text[i] == '=') ++i;
    return i == text.size();
}

// Calls on_element(element) for every element of a comma-separated list (RFC 9110 §5.6.1),
// OWS trimmed, empty elements included; commas inside quoted-strings do not split. Returns
// false (stops) as soon as on_element returns false.
template <class OnElement>
constexpr bool for_each_list_element(std::string_view list, OnElement&& on_element) {
    std::size_t start = 0;
    std::size_t i = 0;
    while (i <= list.size()) {
        if (i == list.size() || list[i] == ',') {
            if (!on_element(trim_ows(list.substr(start, i - start)))) return false;
            start = i + 1;
            ++i;
        } else if (list[i] == '"') {
            const std::size_t end = quoted_string_end(list, i);
            i = end == npos ? list.size() : end;  // unterminated: the rest is one element
        } else {
            ++i;
        }
    }
    return true;
}

}  // namespace cproxy::http::grammar

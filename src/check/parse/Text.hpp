#pragma once
// Small text helpers the content parsers and rules share: hex digits (percent-encoding, JSON
// \u escapes) and octets written in hex for finding messages.
#include <cstddef>
#include <string>
#include <string_view>

namespace cproxy::check {

constexpr bool is_hex_digit(char c) noexcept {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
// The value of a hex digit (is_hex_digit(c) must hold).
constexpr unsigned hex_digit_value(char c) noexcept {
    return c <= '9' ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10);
}
// "%XX" at text[pos].
constexpr bool is_pct_encoded_at(std::string_view text, std::size_t pos) noexcept {
    return pos + 2 < text.size() && text[pos] == '%' && is_hex_digit(text[pos + 1]) &&
           is_hex_digit(text[pos + 2]);
}

// The first `count` octets of `text` as "E9 22 7D", for a message (only built for findings).
inline std::string hex_octets(std::string_view text, std::size_t count) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < count; ++i) {
        const auto octet = static_cast<unsigned char>(text[i]);
        if (i) out += ' ';
        out += digits[octet >> 4];
        out += digits[octet & 15];
    }
    return out;
}

}  // namespace cproxy::check

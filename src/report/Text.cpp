#include "report/Text.hpp"

#include <cstring>

namespace cproxy::report::text {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at in[i], or 0 when it is not valid.
std::size_t utf8_sequence_length(std::string_view in, std::size_t i) noexcept {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (i + len > in.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(in[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

template <class OnChar>
std::string transform_utf8(std::string_view in, OnChar on_ascii) {
    std::string out;
    out.reserve(in.size() + in.size() / 8);
    for (std::size_t i = 0; i < in.size();) {
        const std::size_t len = utf8_sequence_length(in, i);
        if (len == 0) {
            out += replacement;
            ++i;
        } else if (len == 1) {
            on_ascii(out, in[i]);
            ++i;
        } else {
            out.append(in.substr(i, len));
            i += len;
        }
    }
    return out;
}

void append_html_char(std::string& out, char c) {
    switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
    }
}

}  // namespace

bool is_ascii(std::string_view in) noexcept {
    std::size_t i = 0;
    for (std::uint64_t word; i + 8 <= in.size(); i += 8) {
        std::memcpy(&word, in.data() + i, sizeof word);
        if (word & 0x8080808080808080ULL) return false;
    }
    while (i < in.size() && static_cast<unsigned char>(in[i]) < 0x80) ++i;
    return i == in.size();
}

std::string valid_utf8(std::string_view in) {
    // Almost every value (a method, a target, a rule's message) is plain ASCII: one copy.
    if (is_ascii(in)) return std::string(in);
    return transform_utf8(in, [](std::string& out, char c) { out += c; });
}

std::string html_escape(std::string_view in) { return transform_utf8(in, append_html_char); }

std::string xml_escape(std::string_view in) {
    return transform_utf8(in, [](std::string& out, char c) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F)
            out += replacement;
        else
            append_html_char(out, c);
    });
}

std::string truncate(std::string_view in, std::size_t max_bytes) {
    if (in.size() <= max_bytes) return std::string(in);
    std::size_t cut = max_bytes;
    // Step back over UTF-8 continuation bytes so the cut never splits a character.
    while (cut > 0 && (static_cast<unsigned char>(in[cut]) & 0xC0) == 0x80) --cut;
    std::string out(in.substr(0, cut));
    out += "...";
    return out;
}

std::string group_digits(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace cproxy::report::text

// message::quote is how every finding shows an offending value: one line, unambiguous, cut.
#include <doctest/doctest.h>

#include <string>

#include "check/MessageText.hpp"

using cproxy::check::message::max_quoted_chars;
using cproxy::check::message::quote;

namespace {

// The escape quote() documents for one byte, written out independently of its code.
std::string expected_escape(unsigned char c) {
    switch (c) {
        case '\r': return "\\r";
        case '\n': return "\\n";
        case '\0': return "\\0";
        case '\t': return "\\t";
        case '"': return "\\\"";
        case '\\': return "\\\\";
        default: break;
    }
    if (c < 0x20 || c == 0x7f) {
        static constexpr char hex[] = "0123456789ABCDEF";
        return std::string("\\x") + hex[c >> 4] + hex[c & 0xF];
    }
    return std::string(1, static_cast<char>(c));
}

}  // namespace

TEST_CASE("quote escapes every byte that needs it, wherever it stands in the value") {
    // Every byte value at the start, the middle and the end of a plain value: the plain runs
    // around it must survive exactly, and the byte must become its escape.
    for (int byte = 0; byte < 256; ++byte) {
        const auto c = static_cast<unsigned char>(byte);
        if (c >= 0x80) continue;  // UTF-8 bytes pass through; checked below
        for (std::size_t at : {std::size_t{0}, std::size_t{5}, std::size_t{11}}) {
            std::string value = "abcdefghijk";
            value.insert(at, 1, static_cast<char>(c));
            const std::string want =
                '"' + value.substr(0, at) + expected_escape(c) + value.substr(at + 1) + '"';
            CAPTURE(byte);
            CAPTURE(at);
            CHECK(quote(value) == want);
        }
    }
}

TEST_CASE("quote keeps plain text and UTF-8 as they are") {
    CHECK(quote("") == "\"\"");
    CHECK(quote("nginx/1.22.1") == "\"nginx/1.22.1\"");
    CHECK(quote("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
    CHECK(quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
}

TEST_CASE("quote cuts a long value on a UTF-8 boundary and marks the cut") {
    const std::string long_value(max_quoted_chars + 10, 'x');
    CHECK(quote(long_value) == '"' + std::string(max_quoted_chars, 'x') + "...\"");
    // A two-byte character straddling the cut is dropped whole, not split.
    std::string straddling(max_quoted_chars - 1, 'y');
    straddling += "\xC3\xA9tail";
    CHECK(quote(straddling) == '"' + std::string(max_quoted_chars - 1, 'y') + "...\"");
    CHECK(quote(std::string(max_quoted_chars, 'z')) == '"' + std::string(max_quoted_chars, 'z') + '"');
}

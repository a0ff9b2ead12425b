#pragma once
// Exact UTF-8 validation (RFC 3629 §4): no overlong forms, no surrogates (U+D800–U+DFFF), nothing
// above U+10FFFF, no lone continuation bytes, no sequence cut short. Allocation-free.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cproxy::check {

// Validates one octet at a time, for text that arrives piecewise (percent-decoded octets).
class Utf8Stream {
public:
    // False when `octet` cannot continue valid UTF-8; the stream is then invalid for good.
    constexpr bool feed(unsigned char octet) noexcept {
        if (need_ == 0) {
            low_ = 0x80;
            high_ = 0xBF;
            if (octet < 0x80) return true;
            if (octet >= 0xC2 && octet <= 0xDF) need_ = 1;
            else if (octet == 0xE0) { need_ = 2; low_ = 0xA0; }          // no overlong
            else if (octet == 0xED) { need_ = 2; high_ = 0x9F; }         // no surrogates
            else if (octet >= 0xE1 && octet <= 0xEF) need_ = 2;
            else if (octet == 0xF0) { need_ = 3; low_ = 0x90; }          // no overlong
            else if (octet == 0xF4) { need_ = 3; high_ = 0x8F; }         // up to U+10FFFF
            else if (octet >= 0xF1 && octet <= 0xF3) need_ = 3;
            else return false;  // 80–C1 (continuation or overlong lead), F5–FF
            return true;
        }
        if (octet < low_ || octet > high_) return false;
        low_ = 0x80;
        high_ = 0xBF;
        --need_;
        return true;
    }
    // True between characters (no sequence left half-done).
    constexpr bool complete() const noexcept { return need_ == 0; }

private:
    std::uint8_t need_ = 0;  // continuation octets still expected
    std::uint8_t low_ = 0x80, high_ = 0xBF;
};

// The offset of the first octet of the first invalid (or unfinished) sequence, or npos when
// `text` is entirely valid UTF-8.
std::size_t first_invalid_utf8(std::string_view text) noexcept;

}  // namespace cproxy::check

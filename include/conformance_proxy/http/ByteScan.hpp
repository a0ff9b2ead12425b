#pragma once
// Finding the first byte of a kind in a run of text, many bytes at a time. Two hot paths need
// it: the end of a plain field line (its first control character) and the next byte a JSON
// string must escape. SSE2 (every x86-64) tests 16 bytes at once; other machines 8, as a
// 64-bit word.
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cproxy::http {

namespace detail {
// Whether any byte of `word` equals c (exact: the classic zero-byte test on word ^ c...c).
constexpr bool word_has_byte(std::uint64_t word, unsigned char c) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const std::uint64_t x = word ^ (ones * c);
    return ((x - ones) & ~x & highs) != 0;
}
// Whether any byte of `word` is below 0x20 (exact).
constexpr bool word_has_control(std::uint64_t word) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    return ((word - ones * 0x20) & ~word & highs) != 0;
}
}  // namespace detail

// The first byte in [at, end) that is below 0x20 or equal to one of `Also`, or end.
template <unsigned char... Also>
const char* first_control_or(const char* at, const char* const end) noexcept {
#if defined(__SSE2__)
    for (; end - at >= 16; at += 16) {
        const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        // unsigned b < 0x20 <=> max(b, 0x1F) == 0x1F
        __m128i found = _mm_cmpeq_epi8(_mm_max_epu8(block, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
        ((found = _mm_or_si128(found, _mm_cmpeq_epi8(block, _mm_set1_epi8(static_cast<char>(Also))))), ...);
        if (const int mask = _mm_movemask_epi8(found); mask != 0)
            return at + __builtin_ctz(static_cast<unsigned>(mask));
    }
#endif
    for (; end - at >= 8; at += 8) {
        std::uint64_t word;
        std::memcpy(&word, at, sizeof word);
        if (detail::word_has_control(word) || (detail::word_has_byte(word, Also) || ...)) break;
    }
    for (; at != end; ++at) {
        const auto c = static_cast<unsigned char>(*at);
        if (c < 0x20 || ((c == Also) || ...)) return at;
    }
    return end;
}

}  // namespace cproxy::http

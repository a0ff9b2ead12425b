#include "check/parse/Utf8.hpp"

#include <cstring>

namespace cproxy::check {

std::size_t first_invalid_utf8(std::string_view text) noexcept {
    Utf8Stream stream;
    std::size_t sequence_start = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        // Between characters, skip ASCII eight octets at a time: most content is ASCII.
        if (stream.complete()) {
            while (i + 8 <= text.size()) {
                std::uint64_t word;
                std::memcpy(&word, text.data() + i, sizeof word);
                if (word & 0x8080808080808080ULL) break;
                i += 8;
            }
            if (i == text.size()) break;
            sequence_start = i;
        }
        if (!stream.feed(static_cast<unsigned char>(text[i]))) return sequence_start;
        ++i;
    }
    return stream.complete() ? std::string_view::npos : sequence_start;
}

}  // namespace cproxy::check

#pragma once
// Small helpers shared by the fuzz targets.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace cproxy::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// An invariant that must hold for every input: abort so libFuzzer keeps the input.
inline void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
        std::abort();
    }
}

// Whether `part` lies inside `whole` (string_views the parsers hand back must point into
// the input they were given, never into a temporary).
inline bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    const auto* begin = whole.data();
    return part.data() >= begin && part.data() + part.size() <= begin + whole.size();
}

// The lines of text split at LF (without it); an input of n LFs has n + 1 lines.
inline std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t lf = text.find('\n', start);
        const std::size_t end = lf == std::string_view::npos ? text.size() : lf;
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

}  // namespace cproxy::fuzz

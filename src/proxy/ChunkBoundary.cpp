#include "proxy/ChunkBoundary.hpp"

namespace cproxy::proxy {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

ChunkBoundary malformed(std::string problem) {
    ChunkBoundary b;
    b.kind = ChunkBoundary::Kind::malformed;
    b.problem = std::move(problem);
    return b;
}

bool is_tchar(char c) {
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string_view::npos;
}

// The trailer section after the last chunk line: field lines, each ending in CRLF, then CRLF.
ChunkBoundary scan_trailer(std::string_view pending, std::size_t start, const ChunkLimits& limits,
                           ChunkBoundary b) {
    std::size_t line = start;
    for (;;) {
        const auto lf = pending.find('\n', line);
        if (lf == std::string_view::npos) {
            if (pending.size() - start > limits.max_trailer)
                return malformed("the trailer section is longer than " + std::to_string(limits.max_trailer) + " bytes");
            return b;  // need_more
        }
        if (lf == line || pending[lf - 1] != '\r')
            return malformed("a line after the last chunk ends in a bare LF instead of CRLF");
        if (lf - start > limits.max_trailer)
            return malformed("the trailer section is longer than " + std::to_string(limits.max_trailer) + " bytes");
        const auto text = pending.substr(line, lf - 1 - line);
        if (text.empty()) {
            b.kind = ChunkBoundary::Kind::last_chunk;
            b.length = lf + 1;
            b.trailer_offset = start;
            b.trailer_length = line - start;
            return b;
        }
        const auto colon = text.find(':');
        if (colon == 0 || colon == std::string_view::npos)
            return malformed("a trailer line is not a field line (name: value)");
        for (char c : text.substr(0, colon))
            if (!is_tchar(c)) return malformed("a trailer field name is not a token");
        line = lf + 1;
    }
}

}  // namespace

ChunkBoundary inspect_chunk_boundary(std::string_view pending, const ChunkLimits& limits) {
    ChunkBoundary b;
    std::size_t pos = 0;
    if (!pending.empty() && pending[0] == '\r') {
        if (pending.size() < 2) return b;
        if (pending[1] != '\n') return malformed("chunk data is not followed by CRLF");
        b.leading_crlf = true;
        pos = 2;
    } else if (!pending.empty() && pending[0] == '\n') {
        return malformed("chunk data is followed by a bare LF instead of CRLF");
    }
    const std::size_t size_start = pos;
    std::uint64_t size = 0;
    while (pos < pending.size() && hex_value(pending[pos]) >= 0) {
        if (size >> 60) return malformed("the chunk size does not fit in 64 bits");
        size = size * 16 + static_cast<unsigned>(hex_value(pending[pos]));
        ++pos;
    }
    if (pos == pending.size()) {
        if (pos - size_start > 32) return malformed("the chunk size has too many digits");
        return b;
    }
    if (pos == size_start) return malformed("a chunk line does not start with a hexadecimal size");
    const std::size_t extension_start = pos;
    const auto lf = pending.find('\n', pos);
    if (lf == std::string_view::npos) {
        if (pending.size() - extension_start > limits.max_extension + 1)
            return malformed("the chunk extension is longer than " + std::to_string(limits.max_extension) + " bytes");
        return b;
    }
    if (pending[lf - 1] != '\r') return malformed("a chunk line ends in a bare LF instead of CRLF");
    if (lf - 1 - extension_start > limits.max_extension)
        return malformed("the chunk extension is longer than " + std::to_string(limits.max_extension) + " bytes");
    if (size > 0) {
        b.kind = ChunkBoundary::Kind::chunk;
        b.size = size;
        return b;
    }
    return scan_trailer(pending, lf + 1, limits, b);
}

}  // namespace cproxy::proxy

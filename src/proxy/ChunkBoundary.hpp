#pragma once
// What the unparsed bytes at a chunk boundary of a chunked body say, checked before Beast's
// parser sees them. Beast 1.81 waits for CRLF CRLF after the last chunk (a bare LF there
// stalls the exchange until the I/O timeout), reads a chunk line of any length, and takes
// trailer fields as header fields (a trailer Content-Length fails the whole body). Here the
// line endings are strict, the chunk line and trailer section are bounded, and the trailer
// section is consumed whole so that trailer fields never reach framing (RFC 9110 §6.5.1).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cproxy::proxy {

struct ChunkLimits {
    std::size_t max_extension = 64 * 1024;  // bytes of chunk-ext on one chunk line
    std::size_t max_trailer = 64 * 1024;    // bytes of the trailer section
};

struct ChunkBoundary {
    enum class Kind {
        need_more,   // the chunk line (or trailer section) is not complete yet
        chunk,       // a whole chunk line with a size above zero: the parser may go on
        last_chunk,  // the last chunk and its trailer section, complete: `length` bytes
        malformed,   // `problem` says why
    };
    Kind kind = Kind::need_more;
    std::uint64_t size = 0;      // chunk: its data size
    std::size_t length = 0;      // last_chunk: bytes from the boundary through the final CRLF
    bool leading_crlf = false;   // the boundary starts with the CRLF that ends the previous chunk's data
    // last_chunk: the trailer field lines, CRLFs included, final empty line excluded
    std::size_t trailer_offset = 0;
    std::size_t trailer_length = 0;
    std::string problem;
};

// `pending` starts at a chunk boundary: at the first chunk line, or at the CRLF after a
// chunk's data.
ChunkBoundary inspect_chunk_boundary(std::string_view pending, const ChunkLimits& limits);

}  // namespace cproxy::proxy

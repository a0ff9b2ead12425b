#pragma once
// Finds where a chunked body (RFC 9112 §7.1) ends in recorded bytes, so lint can tell a
// complete chunked response from one that broke off, and where the next response starts.
#include <cstddef>
#include <string>
#include <string_view>

namespace cproxy::lint {

struct ChunkedScan {
    std::size_t length = 0;  // bytes of the chunked body, last chunk and trailers included
    bool complete = false;   // reached the zero-size chunk and the empty line after trailers
    // The trailer section's field lines, line breaks included (the final empty line excluded).
    std::size_t trailer_offset = 0;
    std::size_t trailer_length = 0;
};

// Accepts CRLF or bare LF line ends and chunk extensions; any malformed chunk-size line or
// missing data ends the scan as incomplete.
// data, when given, receives the chunk data (the content without its chunked framing).
ChunkedScan scan_chunked_body(std::string_view bytes, std::string* data = nullptr);

}  // namespace cproxy::lint

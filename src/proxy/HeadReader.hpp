#pragma once
// Reads a response head as raw bytes. The checker must see the head exactly as the
// upstream wrote it (Beast's parser joins obs-fold and refuses shapes rules must name), so
// the bytes are kept and only then handed to Beast's parser for framing.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <string_view>

#include "proxy/Awaitable.hpp"

namespace cproxy::proxy {

struct HeadReadResult {
    error_code error;            // from the socket, or http::error::header_limit
    std::size_t head_length = 0; // bytes of buffer.data() that form the head (incl. blank line)
};

// Length of the head at the start of bytes (through CRLFCRLF or bare LF LF), or 0 if the
// head is not complete yet. scan_from: where the previous scan stopped (avoids rescanning).
std::size_t find_head_end(std::string_view bytes, std::size_t scan_from = 0) noexcept;

awaitable<HeadReadResult> read_raw_head(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                        std::size_t limit);

}  // namespace cproxy::proxy

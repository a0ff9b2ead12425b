#pragma once
// Reads a response head as raw bytes. The checker must see the head exactly as the
// upstream wrote it (Beast's parser joins obs-fold and refuses shapes rules must name), so
// the bytes are kept and only then handed to Beast's parser for framing.
#include <boost/beast/core/flat_buffer.hpp>
#include <string_view>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"

namespace cproxy::proxy {

struct HeadReadResult {
    error_code error;            // from the socket, or http::error::header_limit
    std::size_t head_length = 0; // bytes of buffer.data() that form the head (incl. blank line)
};

// Reads until buffer holds a whole head (it may hold more: the start of the body), at most
// read_size bytes per read.
awaitable<HeadReadResult> read_raw_head(AnyStream& stream, beast::flat_buffer& buffer,
                                        std::size_t limit, std::size_t read_size = 16 * 1024);

}  // namespace cproxy::proxy

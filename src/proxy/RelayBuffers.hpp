#pragma once
// The buffers a busy session relays through: the body buffer and the buffer upstream bytes
// are read into. An idle keep-alive connection should cost little memory, so while it waits
// for its next request it lends both back to its thread for the next busy session.
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <memory>
#include <span>

#include "proxy/ProxyRuntime.hpp"

namespace cproxy::proxy {

class RelayBuffers {
public:
    // 64 KiB takes a typical large response in one read and one write (as nginx's
    // proxy_buffers 4 64k do).
    static constexpr std::size_t body_buffer_size = 64 * 1024;

    explicit RelayBuffers(ThreadContext& thread) : thread_(thread) {}

    // The body buffer, borrowed from the thread (or allocated) on first use.
    std::span<char> body_buffer();
    // The upstream read buffer, emptied; a spare one from the thread when this one has none.
    beast::flat_buffer& fresh_upstream_buffer();
    beast::flat_buffer& upstream_buffer() noexcept { return upstream_; }
    void lend_back();

private:
    ThreadContext& thread_;
    std::unique_ptr<char[]> body_;
    beast::flat_buffer upstream_;
};

}  // namespace cproxy::proxy

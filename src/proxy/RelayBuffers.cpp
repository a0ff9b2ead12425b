#include "proxy/RelayBuffers.hpp"

namespace cproxy::proxy {

namespace {
// Bounds what a burst leaves behind: 64 x 64 KiB per thread.
constexpr std::size_t max_spares = 64;
}  // namespace

std::span<char> RelayBuffers::body_buffer() {
    if (!body_) {
        if (!thread_.spare_scratch.empty()) {
            body_ = std::move(thread_.spare_scratch.back());
            thread_.spare_scratch.pop_back();
        } else {
            body_ = std::make_unique<char[]>(body_buffer_size);
        }
    }
    return {body_.get(), body_buffer_size};
}

beast::flat_buffer& RelayBuffers::fresh_upstream_buffer() {
    if (upstream_.capacity() == 0 && !thread_.spare_buffers.empty()) {
        upstream_ = std::move(thread_.spare_buffers.back());
        thread_.spare_buffers.pop_back();
    }
    upstream_.clear();
    return upstream_;
}

void RelayBuffers::lend_back() {
    if (body_ && thread_.spare_scratch.size() < max_spares) thread_.spare_scratch.push_back(std::move(body_));
    body_.reset();
    if (upstream_.capacity() > 0 && upstream_.size() == 0 && thread_.spare_buffers.size() < max_spares) {
        thread_.spare_buffers.push_back(std::move(upstream_));
        upstream_ = beast::flat_buffer{};
    }
}

}  // namespace cproxy::proxy

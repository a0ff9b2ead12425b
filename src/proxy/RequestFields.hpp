#pragma once
// The fields of a client's request live in a per-session arena that is reset after each
// exchange: Beast allocates the target and every field line on its own, so with the
// default allocator each request cost a malloc and a free per field (a browser sends a
// dozen). Response fields keep the default allocator: only the slow path parses them
// with Beast.
#include <array>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <memory_resource>

namespace cproxy::proxy {

using RequestAllocator = std::pmr::polymorphic_allocator<char>;
using RequestFields = boost::beast::http::basic_fields<RequestAllocator>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body, RequestAllocator>;

// A typical request's fields fit the inline block (a browser's dozen take ~1.3 KiB: Beast
// keeps each as ~60 bytes of tree links and offsets plus name and value); more take blocks
// from the heap until the next reset, which returns them.
class RequestArena {
public:
    // upstream: where blocks beyond the inline one come from (tests count them).
    explicit RequestArena(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
        : resource_(inline_block_.data(), inline_block_.size(), upstream) {}
    RequestArena(const RequestArena&) = delete;
    RequestArena& operator=(const RequestArena&) = delete;

    RequestAllocator allocator() noexcept { return RequestAllocator(&resource_); }
    // Only when nothing allocated from the arena is alive any more.
    void reset() noexcept { resource_.release(); }

private:
    alignas(std::max_align_t) std::array<std::byte, 2048> inline_block_;
    std::pmr::monotonic_buffer_resource resource_;
};

}  // namespace cproxy::proxy

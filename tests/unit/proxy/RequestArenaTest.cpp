// The arena behind a request's fields: a browser's request parses without a heap
// allocation, a larger head borrows heap blocks, and the reset after the exchange returns
// them, so a long keep-alive connection does not grow.
#include <doctest/doctest.h>

#include <boost/asio/buffer.hpp>
#include <string>

#include "proxy/RequestFields.hpp"

using namespace cproxy::proxy;
namespace http = boost::beast::http;

namespace {

struct CountingResource : std::pmr::memory_resource {
    int allocations = 0;
    int deallocations = 0;
    void* do_allocate(std::size_t bytes, std::size_t align) override {
        ++allocations;
        return std::pmr::new_delete_resource()->allocate(bytes, align);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
        ++deallocations;
        std::pmr::new_delete_resource()->deallocate(p, bytes, align);
    }
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

const std::string browser_request =
    "GET /articles/2026/11/conformance?page=2 HTTP/1.1\r\n"
    "Host: shop.example.test\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Language: en-US,en;q=0.5\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Referer: http://shop.example.test/articles/2026/11/\r\n"
    "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark\r\n"
    "Upgrade-Insecure-Requests: 1\r\n"
    "Sec-Fetch-Dest: document\r\n"
    "Sec-Fetch-Mode: navigate\r\n"
    "Sec-Fetch-Site: same-origin\r\n"
    "Cache-Control: max-age=0\r\n"
    "\r\n";

// Parses one request head with fields from the arena; returns the field count.
std::size_t parse_with(RequestArena& arena, const std::string& head) {
    RequestParser parser(std::piecewise_construct, std::make_tuple(), std::make_tuple(arena.allocator()));
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(head), ec);
    REQUIRE_MESSAGE(!ec, ec.message());
    REQUIRE(parser.is_header_done());
    return static_cast<std::size_t>(std::distance(parser.get().begin(), parser.get().end()));
}

}  // namespace

TEST_CASE("request arena: a browser's request fields need no heap, request after request") {
    CountingResource heap;
    RequestArena arena(&heap);
    for (int exchange = 0; exchange < 100; ++exchange) {
        CHECK(parse_with(arena, browser_request) == 12);
        arena.reset();
    }
    CHECK(heap.allocations == 0);
}

TEST_CASE("request arena: a large head borrows heap blocks and the reset returns every one") {
    CountingResource heap;
    RequestArena arena(&heap);
    std::string large = "GET / HTTP/1.1\r\nHost: h.test\r\n";
    for (int i = 0; i < 40; ++i) large += "X-Trace-" + std::to_string(i) + ": " + std::string(100, 'v') + "\r\n";
    large += "\r\n";
    CHECK(parse_with(arena, large) == 41);
    CHECK(heap.allocations > 0);
    arena.reset();
    CHECK(heap.deallocations == heap.allocations);
    // Back to the inline block: the next ordinary request takes nothing from the heap.
    const int before = heap.allocations;
    CHECK(parse_with(arena, browser_request) == 12);
    CHECK(heap.allocations == before);
}

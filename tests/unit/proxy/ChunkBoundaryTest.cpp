// The check at each chunk boundary of a chunked body: strict CRLF, bounded chunk lines and
// trailer sections, and the trailer section measured so it can be consumed whole.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "proxy/ChunkBoundary.hpp"

using namespace cproxy::proxy;
using Kind = ChunkBoundary::Kind;

namespace {

const ChunkLimits limits{16, 64};

void expect_kind(const std::vector<std::string>& boundaries, Kind kind) {
    for (const auto& bytes : boundaries) {
        CAPTURE(bytes);
        CHECK(inspect_chunk_boundary(bytes, limits).kind == kind);
    }
}

}  // namespace

TEST_CASE("chunk lines: complete ones pass with their size, incomplete ones need more") {
    auto b = inspect_chunk_boundary("5\r\nhello", limits);
    CHECK(b.kind == Kind::chunk);
    CHECK(b.size == 5);
    CHECK_FALSE(b.leading_crlf);
    b = inspect_chunk_boundary("\r\n1a;name=value\r\n", limits);
    CHECK(b.kind == Kind::chunk);
    CHECK(b.size == 26);
    CHECK(b.leading_crlf);
    expect_kind({"", "\r", "\r\n5", "5;a=b"}, Kind::need_more);
}

TEST_CASE("the last chunk: complete only with the blank line; trailer fields are measured, not read") {
    auto b = inspect_chunk_boundary("0\r\n\r\n", limits);
    CHECK(b.kind == Kind::last_chunk);
    CHECK(b.length == 5);
    b = inspect_chunk_boundary("\r\n0\r\nContent-Length: 6\r\n\r\nGET /next", limits);
    CHECK(b.kind == Kind::last_chunk);
    CHECK(b.length == 26);
    CHECK(b.leading_crlf);
    expect_kind({"0\r\n", "0\r\nX-T: 1\r\n", "0\r\n\r"}, Kind::need_more);
}

TEST_CASE("bare LF anywhere at a boundary is malformed at once, never a wait") {
    expect_kind({"0\r\n\n", "0\n\r\n", "5\nhello", "\nhello", "\rx", "0\r\nX-T: 1\n\r\n"}, Kind::malformed);
}

TEST_CASE("limits: a long chunk extension or trailer section is malformed before it ends") {
    CHECK(inspect_chunk_boundary("5;" + std::string(15, 'a') + "\r\n", limits).kind == Kind::chunk);
    expect_kind({"5;" + std::string(16, 'a') + "\r\n", "5;" + std::string(100, 'a'), "0\r\nX: " + std::string(100, 'a'),
                 "zz\r\n", "fffffffffffffffff\r\n", "0\r\nnot a field\r\n\r\n"},
                Kind::malformed);
    CHECK_FALSE(inspect_chunk_boundary("0\r\n\n", limits).problem.empty());
}

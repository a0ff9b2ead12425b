#include <doctest/doctest.h>

#include "check/parse/RangeSpec.hpp"

using namespace cproxy::check;

TEST_SUITE("range request") {
    TEST_CASE("valid byte ranges") {
        const auto one = parse_range_request("bytes=0-499");
        REQUIRE(one.valid);
        CHECK(one.bytes);
        CHECK(one.unit == "bytes");
        CHECK(one.spec_count == 1);
        CHECK(one.first_spec.first == 0);
        CHECK(one.first_spec.has_last);
        CHECK(one.first_spec.last == 499);

        const auto open = parse_range_request("BYTES=9500-");
        REQUIRE(open.valid);
        CHECK(open.bytes);
        CHECK_FALSE(open.first_spec.has_last);
        CHECK(open.first_spec.first == 9500);

        const auto suffix = parse_range_request("bytes=-500");
        REQUIRE(suffix.valid);
        CHECK(suffix.first_spec.suffix);
        CHECK(suffix.first_spec.suffix_length == 500);

        const auto several = parse_range_request("bytes=,0-0 ,, -1,");
        REQUIRE(several.valid);
        CHECK(several.spec_count == 2);

        const auto huge = parse_range_request("bytes=18446744073709551616-99999999999999999999999");
        REQUIRE(huge.valid);
        CHECK(huge.first_spec.first == UINT64_MAX);
        CHECK(parse_range_request("bytes=5-5").valid);
        CHECK(parse_range_request("bytes=0005-5").valid);
    }

    TEST_CASE("other units") {
        const auto items = parse_range_request("items=0-9, a+b");
        REQUIRE(items.valid);
        CHECK_FALSE(items.bytes);
        CHECK(items.spec_count == 2);
        CHECK_FALSE(parse_range_request("items=a b").valid);
        CHECK_FALSE(parse_range_request("items=").valid);
    }

    TEST_CASE("invalid") {
        for (const char* bad : {"", "bytes", "bytes=", "bytes 0-99", "0-99", "bytes=5-2", "bytes=-",
                                "bytes=a-b", "bytes=0-1-2", "bytes= ,", "bytes =0-1", "bytes=1",
                                "bytes=0x1-2", "bytes=+1-2", "bytes=10-9", "bytes=100000000000000000000-1"}) {
            CAPTURE(bad);
            const auto parsed = parse_range_request(bad);
            CHECK_FALSE(parsed.valid);
            CHECK_FALSE(parsed.problem.empty());
        }
        const auto backwards = parse_range_request("bytes=0-1, 5-2");
        CHECK(backwards.bad_element == "5-2");
    }
}

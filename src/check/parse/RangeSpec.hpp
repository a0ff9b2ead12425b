#pragma once
// The request Range field (RFC 9110 §14.2, §14.1.1, §14.1.2):
//   Range       = ranges-specifier = range-unit "=" range-set
//   range-set   = 1#range-spec
//   range-spec  = int-range / suffix-range / other-range
//   int-range   = first-pos "-" [ last-pos ]      (last-pos >= first-pos)
//   suffix-range = "-" suffix-length
//   other-range = 1*( %x21-2B / %x2D-7E )
// The `bytes` unit (case-insensitive) admits only int-range and suffix-range; other units only
// other-range. One field line at a time (Range is a singleton). Allocation-free.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cproxy::check {

struct ByteRangeSpec {
    bool suffix = false;        // "-" suffix-length
    bool has_last = false;      // int-range with a last-pos
    std::uint64_t first = 0;    // int-range; saturates at UINT64_MAX
    std::uint64_t last = 0;     // when has_last; saturates
    std::uint64_t suffix_length = 0;  // when suffix; saturates
};

struct RangeRequest {
    bool valid = false;
    std::string_view unit;
    bool bytes = false;           // unit is "bytes" (case-insensitive)
    std::size_t spec_count = 0;   // non-empty range-specs
    ByteRangeSpec first_spec;     // the first byte range-spec (bytes unit, when valid)
    // When not valid: the offending element (may be empty) and what is wrong (static text).
    std::string_view bad_element;
    std::string_view problem;
};

RangeRequest parse_range_request(std::string_view value) noexcept;

}  // namespace cproxy::check

#pragma once
// Content-Range (RFC 9110 §14.4):
//   Content-Range     = range-unit SP ( range-resp / unsatisfied-range )
//   range-resp        = incl-range "/" ( complete-length / "*" )
//   incl-range        = first-pos "-" last-pos
//   unsatisfied-range = "*/" complete-length
// A valid incl-range has first-pos <= last-pos < complete-length.
#include <cstdint>
#include <optional>
#include <string_view>

namespace cproxy::check {

struct ContentRange {
    enum class Kind { range, unsatisfied };
    std::string_view unit;
    Kind kind = Kind::range;
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::optional<std::uint64_t> complete_length;  // nullopt for "/*"
    bool overflow = false;  // a number beyond 64 bits (saturated): the values are not compared

    // first-pos <= last-pos < complete-length (always true of an unsatisfied-range).
    bool valid() const noexcept {
        if (kind == Kind::unsatisfied) return true;
        if (overflow) return true;
        return first <= last && (!complete_length || last < *complete_length);
    }
};

// The grammar alone: a range-resp with last-pos < first-pos or complete-length <= last-pos is
// returned (check valid()).
std::optional<ContentRange> parse_content_range_grammar(std::string_view text) noexcept;

// The grammar, and valid().
std::optional<ContentRange> parse_content_range(std::string_view text) noexcept;

}  // namespace cproxy::check

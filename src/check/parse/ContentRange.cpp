#include "check/parse/ContentRange.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {
namespace {

// 1*DIGIT spanning all of text; saturates at UINT64_MAX and says so in `overflow`.
std::optional<std::uint64_t> parse_number(std::string_view text, bool& overflow) noexcept {
    if (!grammar::is_digits(text)) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            overflow = true;
            return UINT64_MAX;
        }
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace

std::optional<ContentRange> parse_content_range_grammar(std::string_view text) noexcept {
    const std::size_t unit_length = grammar::token_length(text, 0);
    if (unit_length == 0 || unit_length == text.size() || text[unit_length] != ' ')
        return std::nullopt;
    ContentRange range;
    range.unit = text.substr(0, unit_length);
    const std::string_view spec = text.substr(unit_length + 1);
    const std::size_t slash = spec.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view left = spec.substr(0, slash);
    const std::string_view right = spec.substr(slash + 1);

    if (left == "*") {
        range.kind = ContentRange::Kind::unsatisfied;
        range.complete_length = parse_number(right, range.overflow);
        if (!range.complete_length) return std::nullopt;
        return range;
    }
    const std::size_t dash = left.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto first = parse_number(left.substr(0, dash), range.overflow);
    const auto last = parse_number(left.substr(dash + 1), range.overflow);
    if (!first || !last) return std::nullopt;
    range.first = *first;
    range.last = *last;
    if (right != "*") {
        range.complete_length = parse_number(right, range.overflow);
        if (!range.complete_length) return std::nullopt;
    }
    return range;
}

std::optional<ContentRange> parse_content_range(std::string_view text) noexcept {
    auto range = parse_content_range_grammar(text);
    if (!range || !range->valid()) return std::nullopt;
    return range;
}

}  // namespace cproxy::check

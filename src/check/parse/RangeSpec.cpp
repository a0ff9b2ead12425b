#include "check/parse/RangeSpec.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {
namespace {

// 1*DIGIT, saturating at UINT64_MAX (the grammar has no upper bound).
std::uint64_t saturating_number(std::string_view digits) noexcept {
    std::uint64_t value = 0;
    for (char c : digits) {
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (value > (UINT64_MAX - d) / 10) return UINT64_MAX;
        value = value * 10 + d;
    }
    return value;
}

// a < b for two 1*DIGIT strings of any length.
bool digits_less(std::string_view a, std::string_view b) noexcept {
    while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
    while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

constexpr bool is_other_range_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x21 && u <= 0x2b) || (u >= 0x2d && u <= 0x7e);
}

// One non-empty element of a bytes range-set; problem text when invalid.
std::string_view read_byte_spec(std::string_view element, ByteRangeSpec& spec) noexcept {
    const std::size_t dash = element.find('-');
    if (dash == std::string_view::npos) return "has no \"-\" (write first-last, first- or -suffix)";
    const std::string_view left = element.substr(0, dash);
    const std::string_view right = element.substr(dash + 1);
    if (left.empty()) {
        if (!grammar::is_digits(right)) return "is not -suffix-length with digits only";
        spec.suffix = true;
        spec.suffix_length = saturating_number(right);
        return {};
    }
    if (!grammar::is_digits(left) || (!right.empty() && !grammar::is_digits(right)))
        return "is not first-last with digits only";
    spec.first = saturating_number(left);
    if (!right.empty()) {
        if (digits_less(right, left)) return "has its last position below its first";
        spec.has_last = true;
        spec.last = saturating_number(right);
    }
    return {};
}

}  // namespace

RangeRequest parse_range_request(std::string_view value) noexcept {
    RangeRequest result;
    const std::size_t unit_length = grammar::token_length(value, 0);
    if (unit_length == 0 || unit_length >= value.size() || value[unit_length] != '=') {
        result.bad_element = value;
        result.problem = "is not range-unit \"=\" range-set (e.g. bytes=0-499)";
        return result;
    }
    result.unit = value.substr(0, unit_length);
    result.bytes = grammar::iequals(result.unit, "bytes");
    bool ok = true;
    // No quoted-strings in a range-set: every comma separates (other-range excludes it).
    const auto for_each_element = [](std::string_view list, auto&& on_element) {
        std::size_t start = 0;
        while (true) {
            const std::size_t comma = list.find(',', start);
            const std::size_t stop = comma == std::string_view::npos ? list.size() : comma;
            if (!on_element(grammar::trim_ows(list.substr(start, stop - start)))) return;
            if (comma == std::string_view::npos) return;
            start = comma + 1;
        }
    };
    for_each_element(value.substr(unit_length + 1), [&](std::string_view element) {
        if (element.empty()) return true;  // empty list elements are ignored
        std::string_view problem;
        if (result.bytes) {
            ByteRangeSpec spec;
            problem = read_byte_spec(element, spec);
            if (problem.empty() && result.spec_count == 0) result.first_spec = spec;
        } else {
            for (char c : element)
                if (!is_other_range_char(c)) {
                    problem = "holds a character not allowed in a range-spec";
                    break;
                }
        }
        if (!problem.empty()) {
            ok = false;
            result.bad_element = element;
            result.problem = problem;
            return false;
        }
        ++result.spec_count;
        return true;
    });
    if (ok && result.spec_count == 0) {
        ok = false;
        result.bad_element = value;
        result.problem = "has no range-spec after \"=\"";
    }
    result.valid = ok;
    return result;
}

}  // namespace cproxy::check

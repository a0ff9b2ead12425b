#include "check/parse/SetCookie.hpp"

namespace cproxy::check {

CookiePair split_set_cookie(std::string_view field_value) noexcept {
    CookiePair pair;
    const std::size_t semicolon = field_value.find(';');
    std::string_view raw_pair = field_value;
    if (semicolon != std::string_view::npos) {
        raw_pair = field_value.substr(0, semicolon);
        pair.attributes = field_value.substr(semicolon + 1);
    }
    const std::size_t equals = raw_pair.find('=');
    if (equals == std::string_view::npos) {
        pair.value = grammar::trim_ows(raw_pair);
        pair.name = pair.value.substr(0, 0);
        return pair;
    }
    pair.has_equals = true;
    pair.name = grammar::trim_ows(raw_pair.substr(0, equals));
    pair.value = grammar::trim_ows(raw_pair.substr(equals + 1));
    return pair;
}

std::size_t first_bad_cookie_name_octet(std::string_view name) noexcept {
    for (std::size_t i = 0; i < name.size(); ++i)
        if (!is_cookie_octet(name[i])) return i;
    return std::string_view::npos;
}

std::size_t first_bad_cookie_value_octet(std::string_view value) noexcept {
    std::size_t begin = 0;
    std::size_t end = value.size();
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        begin = 1;
        end = value.size() - 1;
    }
    for (std::size_t i = begin; i < end; ++i)
        if (!is_cookie_octet(value[i])) return i;
    return std::string_view::npos;
}

std::string_view describe_non_cookie_octet(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
        case ' ': return "a space";
        case '\t': return "a tab";
        case '"': return "a double quote that does not wrap the whole value";
        case ',': return "a comma";
        case ';': return "a semicolon";
        case '\\': return "a backslash";
        default: break;
    }
    if (u >= 0x80) return "a non-ASCII octet";
    return "a control character";
}

bool is_valid_cookie_domain(std::string_view value) noexcept {
    if (!value.empty() && value.front() == '.') value.remove_prefix(1);
    if (value.empty() || value.size() > 253) return false;
    std::size_t label = 0;  // length of the current label
    char previous = '.';
    for (const char c : value) {
        if (c == '.') {
            if (label == 0 || previous == '-') return false;
            label = 0;
        } else if (grammar::is_alpha(c) || grammar::is_digit(c) || c == '-') {
            if (label == 0 && c == '-') return false;
            if (++label > 63) return false;
        } else {
            return false;
        }
        previous = c;
    }
    return label > 0 && previous != '-';
}

namespace {

constexpr int two_digits(std::string_view text, std::size_t pos) noexcept {
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> imf_fixdate_seconds(std::string_view text) noexcept {
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions once the form is known.
    if (parse_http_date(text) != HttpDateForm::imf_fixdate || text.size() != 29) return std::nullopt;
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const std::size_t month_index = months.find(text.substr(8, 3));
    if (month_index == std::string_view::npos || month_index % 3 != 0) return std::nullopt;
    const int day = two_digits(text, 5);
    const int year = two_digits(text, 12) * 100 + two_digits(text, 14);
    const int hour = two_digits(text, 17);
    const int minute = two_digits(text, 20);
    const int second = two_digits(text, 23);
    const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month_index / 3 + 1),
                                              static_cast<unsigned>(day));
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

}  // namespace cproxy::check

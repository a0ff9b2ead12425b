#include "conformance_proxy/http/HttpDate.hpp"

#include <array>

#include "conformance_proxy/http/HttpGrammar.hpp"

namespace cproxy::http {
namespace {

constexpr std::array<std::string_view, 7> kDayNames{"Mon", "Tue", "Wed", "Thu",
                                                     "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames{
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A cursor that consumes the fixed shapes of the three date forms.
class DateReader {
public:
    explicit DateReader(std::string_view text) : text_(text) {}

    bool literal(std::string_view expected) {
        if (text_.substr(pos_, expected.size()) != expected) return false;
        pos_ += expected.size();
        return true;
    }
    bool digits(std::size_t count, int& value) {
        value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (pos_ >= text_.size() || !grammar::is_digit(text_[pos_])) return false;
            value = value * 10 + (text_[pos_++] - '0');
        }
        return true;
    }
    template <std::size_t N>
    bool one_of(const std::array<std::string_view, N>& names, int& index) {
        for (std::size_t i = 0; i < N; ++i) {
            if (literal(names[i])) {
                index = static_cast<int>(i);
                return true;
            }
        }
        return false;
    }
    // time-of-day = hour ":" minute ":" second (second 60 allows a leap second)
    bool time_of_day() {
        int hour = 0, minute = 0, second = 0;
        return digits(2, hour) && literal(":") && digits(2, minute) && literal(":") &&
               digits(2, second) && hour <= 23 && minute <= 59 && second <= 60;
    }
    bool at_end() const { return pos_ == text_.size(); }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

bool valid_day(int day, int month_index, int year, bool year_known) {
    constexpr int days_in_month[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > days_in_month[month_index]) return false;
    if (month_index == 1 && day == 29 && year_known) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap;
    }
    return true;
}

// IMF-fixdate = day-name "," SP day SP month SP year SP time-of-day SP "GMT"
bool is_imf_fixdate(std::string_view text) {
    DateReader reader(text);
    int day_name = 0, day = 0, month = 0, year = 0;
    return reader.one_of(kDayNames, day_name) && reader.literal(", ") && reader.digits(2, day) &&
           reader.literal(" ") && reader.one_of(kMonths, month) && reader.literal(" ") &&
           reader.digits(4, year) && reader.literal(" ") && reader.time_of_day() &&
           reader.literal(" GMT") && reader.at_end() && valid_day(day, month, year, true);
}

// rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP "GMT"
bool is_rfc850_date(std::string_view text) {
    DateReader reader(text);
    int day_name = 0, day = 0, month = 0, year = 0;
    return reader.one_of(kLongDayNames, day_name) && reader.literal(", ") &&
           reader.digits(2, day) && reader.literal("-") && reader.one_of(kMonths, month) &&
           reader.literal("-") && reader.digits(2, year) && reader.literal(" ") &&
           reader.time_of_day() && reader.literal(" GMT") && reader.at_end() &&
           valid_day(day, month, year, false);
}

// asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
bool is_asctime_date(std::string_view text) {
    DateReader reader(text);
    int day_name = 0, day = 0, month = 0, year = 0;
    if (!(reader.one_of(kDayNames, day_name) && reader.literal(" ") &&
          reader.one_of(kMonths, month) && reader.literal(" ")))
        return false;
    const bool day_read = reader.literal(" ") ? reader.digits(1, day) : reader.digits(2, day);
    return day_read && reader.literal(" ") && reader.time_of_day() && reader.literal(" ") &&
           reader.digits(4, year) && reader.at_end() && valid_day(day, month, year, true);
}

}  // namespace

std::optional<HttpDateForm> parse_http_date(std::string_view text) noexcept {
    if (is_imf_fixdate(text)) return HttpDateForm::imf_fixdate;
    if (is_rfc850_date(text)) return HttpDateForm::rfc850;
    if (is_asctime_date(text)) return HttpDateForm::asctime;
    return std::nullopt;
}

}  // namespace cproxy::http

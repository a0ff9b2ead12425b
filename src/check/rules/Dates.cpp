// Date (RFC 9110 §6.6.1, §5.6.7): present on 2xx-4xx from an origin, always an IMF-fixdate.
#include <array>
#include <cstring>
#include <string>

#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/parse/HttpDateText.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule date_missing{
    .id = "date-missing",
    .level = Level::warning,
    .reference = "RFC 9110 §6.6.1",
    .summary = "2xx, 3xx or 4xx without Date",
    .example = "HTTP/1.1 200 OK\n",
};
constinit Rule date_syntax{
    .id = "date-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §5.6.7",
    .summary = "Date is not an IMF-fixdate",
    .example = "HTTP/1.1 200 OK\nDate: yesterday\n",
};

}  // namespace

using message::concat;
using message::quote;

namespace {

// An upstream sends the same Date on every response of a second: remember the last valid
// IMF-fixdate seen on this thread and compare bytes instead of parsing it again.
bool is_last_valid_date(std::string_view value) noexcept {
    thread_local std::array<char, 32> last{};
    thread_local std::size_t last_size = 0;
    if (value.size() == last_size && std::memcmp(value.data(), last.data(), last_size) == 0) return true;
    if (value.size() > last.size() || parse_http_date(value) != HttpDateForm::imf_fixdate) return false;
    std::memcpy(last.data(), value.data(), value.size());
    last_size = value.size();
    return true;
}

}  // namespace

static void check_date(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::date, [&](const FieldLine& line) {
        if (!line.value.empty() && is_last_valid_date(line.value)) return;
        const auto form = parse_http_date(line.value);
        if (form == HttpDateForm::imf_fixdate) return;
        check.sink.report(date_syntax, [&] {
            return concat({"Date ", quote(line.value), not_imf_fixdate_text(form),
                           "; send an IMF-fixdate in GMT, e.g. Date: Sun, 06 Nov 1994 08:49:37 "
                           "GMT"});
        });
    });

    const int status_class = head.status_class();
    if (status_class >= 2 && status_class <= 4 && !head.has(KnownField::date)) {
        check.sink.report(date_missing, [&] {
            return concat({head.status_text(),
                           " response has no Date; an origin with a clock must send it, e.g. "
                           "Date: Sun, 06 Nov 1994 08:49:37 GMT"});
        });
    }
}

namespace {
Rule* const dates_rules[] = {&date_missing, &date_syntax};
}  // namespace

extern const Subject dates_subject{"dates", dates_rules, check_date, nullptr, nullptr};

}  // namespace cproxy::check

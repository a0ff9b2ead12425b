// Date (RFC 9110 §6.6.1, §5.6.7): present on 2xx-4xx from an origin, always an IMF-fixdate.
#include <array>
#include <cstring>
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpDate.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {

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

void check_date(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::date, [&](const FieldLine& line) {
        if (!line.value.empty() && is_last_valid_date(line.value)) return;
        const auto form = parse_http_date(line.value);
        if (form == HttpDateForm::imf_fixdate) return;
        check.sink.report(RuleId::date_syntax, [&] {
            const std::string_view what =
                !form ? " is not an HTTP-date"
                      : (form == HttpDateForm::rfc850 ? " is an obsolete RFC 850 date"
                                                      : " is an obsolete asctime date");
            return concat({"Date ", quote(line.value), what,
                           "; send an IMF-fixdate in GMT, e.g. Date: Sun, 06 Nov 1994 08:49:37 "
                           "GMT"});
        });
    });

    const int status_class = head.status_class();
    if (status_class >= 2 && status_class <= 4 && !head.has(KnownField::date)) {
        check.sink.report(RuleId::date_missing, [&] {
            return concat({head.status_text(),
                           " response has no Date; an origin with a clock must send it, e.g. "
                           "Date: Sun, 06 Nov 1994 08:49:37 GMT"});
        });
    }
}

}  // namespace cproxy::check

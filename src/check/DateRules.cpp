// Date (RFC 9110 §6.6.1, §5.6.7): present on 2xx-4xx from an origin, always an IMF-fixdate.
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpDate.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {

using message::concat;
using message::quote;

void check_date(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::date, [&](const FieldLine& line) {
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

// Retry-After (RFC 9110 §10.2.3) and the statuses that should carry it.
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpDate.hpp"
#include "check/HttpGrammar.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {

using message::concat;
using message::quote;

void check_retry_after(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::retry_after, [&](const FieldLine& line) {
        // Retry-After = HTTP-date / delay-seconds; all three date forms are valid on receipt.
        if (grammar::is_digits(line.value) || parse_http_date(line.value)) return;
        check.sink.report(RuleId::retry_after_syntax, [&] {
            return concat({"Retry-After ", quote(line.value),
                           " is neither a number of seconds nor an HTTP-date; send e.g. "
                           "Retry-After: 120 or Retry-After: Wed, 21 Oct 2026 07:28:00 GMT"});
        });
    });
    if (head.has(KnownField::retry_after)) return;

    const int status = head.status();
    if (status == 413) {
        check.sink.report(RuleId::missing_retry_after_413, [&] {
            return std::string(
                "413 response has no Retry-After; if the limit is temporary, say when to "
                "retry, e.g. Retry-After: 3600");
        });
    } else if (status == 429 || status == 503) {
        check.sink.report(RuleId::retry_after_missing, [&] {
            return concat({head.status_text(),
                           " response has no Retry-After; tell clients when to come back, e.g. "
                           "Retry-After: 60, so they back off instead of retrying at once"});
        });
    }
}

}  // namespace cproxy::check

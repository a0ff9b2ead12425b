// Retry-After (RFC 9110 §10.2.3) and the statuses that should carry it.
#include <string>

#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
// info, not warning: most 413s answer a fixed size limit, where Retry-After would be wrong.
constinit Rule missing_retry_after_413{
    .id = "413-missing-retry-after",
    .level = Level::info,
    .reference = "RFC 9110 §15.5.14",
    .summary = "413 without Retry-After (owed only when the condition is temporary)",
    .example = "HTTP/1.1 413 Content Too Large\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule retry_after_syntax{
    .id = "retry-after-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §10.2.3",
    .summary = "Retry-After is neither an HTTP-date nor delay-seconds",
    .example = "HTTP/1.1 503 Service Unavailable\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nRetry-After: soon\n",
};
constinit Rule retry_after_missing{
    .id = "retry-after-missing",
    .level = Level::info,
    .reference = "RFC 9110 §15.6.4, RFC 6585 §4",
    .summary = "429 or 503 without Retry-After",
    .example = "HTTP/1.1 503 Service Unavailable\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};

}  // namespace

using message::concat;
using message::quote;

static void check_retry_after(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::retry_after, [&](const FieldLine& line) {
        // Retry-After = HTTP-date / delay-seconds; all three date forms are valid on receipt.
        if (grammar::is_digits(line.value) || parse_http_date(line.value)) return;
        check.sink.report(retry_after_syntax, [&] {
            return concat({"Retry-After ", quote(line.value),
                           " is neither a number of seconds nor an HTTP-date; send e.g. "
                           "Retry-After: 120 or Retry-After: Wed, 21 Oct 2026 07:28:00 GMT"});
        });
    });
    if (head.has(KnownField::retry_after)) return;

    const int status = head.status();
    if (status == 413) {
        check.sink.report(missing_retry_after_413, [&] {
            return std::string(
                "413 response has no Retry-After; if the condition is temporary (a quota, a busy "
                "upload slot), say when to retry, e.g. Retry-After: 3600; if it is a fixed size "
                "limit, no Retry-After is owed (resending the same body later would fail again)");
        });
    } else if (status == 429 || status == 503) {
        check.sink.report(retry_after_missing, [&] {
            return concat({head.status_text(),
                           " response has no Retry-After; tell clients when to come back, e.g. "
                           "Retry-After: 60, so they back off instead of retrying at once"});
        });
    }
}

namespace {
Rule* const retry_after_rules[] = {&missing_retry_after_413, &retry_after_syntax, &retry_after_missing};
}  // namespace

extern const Subject retry_after_subject{"retry-after", retry_after_rules, check_retry_after, nullptr, nullptr};

}  // namespace cproxy::check

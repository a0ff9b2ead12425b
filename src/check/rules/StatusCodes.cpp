// Status codes (RFC 9110 §15): valid range, IANA registration, and 426's Upgrade.
#include <string>

#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/MessageText.hpp"
#include "check/StatusCodeRegistry.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule status_code_invalid{
    .id = "status-code-invalid",
    .level = Level::error,
    .reference = "RFC 9110 §15",
    .summary = "status code is not three digits in 100-599",
    .example = "HTTP/1.1 600 Odd\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule status_code_unregistered{
    .id = "status-code-unregistered",
    .level = Level::warning,
    .reference = "RFC 9110 §15",
    .summary = "status code is not in the IANA registry",
    .example = "HTTP/1.1 419 Page Expired\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule missing_upgrade_426{
    .id = "426-missing-upgrade",
    .level = Level::error,
    .reference = "RFC 9110 §15.5.22",
    .summary = "426 without Upgrade",
    .example = "HTTP/1.1 426 Upgrade Required\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};


using message::concat;
using message::quote;

std::string describe_unregistered(int code, std::string_view code_text) {
    if (status_registration(code) == StatusRegistration::unused)
        return concat({"status ", code_text,
                       " is reserved as \"(Unused)\" in the IANA registry; send a registered "
                       "code that says what happened, e.g. ",
                       code / 100 == 4 ? "400" : "300"});
    if (const VendorStatus* vendor = find_vendor_status(code)) {
        if (vendor->say_instead.empty())
            return concat({"status ", code_text, " is not in the IANA registry (", vendor->used_by,
                           "); vendor-internal codes must not reach clients, send a registered "
                           "code"});
        return concat({"status ", code_text, " is not in the IANA registry (", vendor->used_by,
                       "); clients only understand its class, send ", vendor->say_instead,
                       " instead"});
    }
    constexpr std::string_view class_examples[] = {"", "100", "200", "300", "400", "500"};
    return concat({"status ", code_text,
                   " is not in the IANA registry; clients only understand its class, send the "
                   "registered code closest in meaning (e.g. ",
                   class_examples[code / 100], ")"});
}

}  // namespace

static void check_status_code(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.status_valid()) {
        check.sink.report(status_code_invalid, [&] {
            if (head.status_text().empty())
                return concat({"status line ", quote(head.status_line()),
                               " has no status code; send HTTP/1.1 followed by a three-digit "
                               "code, e.g. HTTP/1.1 200 OK"});
            if (head.status() >= 0)
                return concat({"status code ", quote(head.status_text()),
                               " is outside 100-599, so clients cannot classify it; send a "
                               "code from the five classes, e.g. 500"});
            return concat({"status code ", quote(head.status_text()),
                           " is not three digits; send a registered three-digit code (sub-status "
                           "codes such as 401.1 belong in logs and bodies only)"});
        });
        return;
    }
    if (status_registration(head.status()) != StatusRegistration::registered) {
        check.sink.report(status_code_unregistered,
                          [&] { return describe_unregistered(head.status(), head.status_text()); });
    }
    if (head.status() == 426 && !head.has(KnownField::upgrade)) {
        check.sink.report(missing_upgrade_426, [&] {
            return std::string(
                "426 Upgrade Required has no Upgrade header; name the protocol to switch to, "
                "e.g. Upgrade: HTTP/2.0 or Upgrade: websocket");
        });
    }
}

namespace {
Rule* const status_codes_rules[] = {&status_code_invalid, &status_code_unregistered, &missing_upgrade_426};
}  // namespace

extern const Subject status_codes_subject{"status-codes", status_codes_rules, check_status_code, nullptr, nullptr};

}  // namespace cproxy::check

// Allow (RFC 9110 §10.2.1) and the 405 requirement to send it (RFC 9110 §15.5.6).
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule missing_allow_405{
    .id = "405-missing-allow",
    .level = Level::error,
    .reference = "RFC 9110 §15.5.6",
    .summary = "405 without an Allow field",
    .example = "HTTP/1.1 405 Method Not Allowed\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
    .example_request = "DELETE /items/7",
};
constinit Rule allow_syntax{
    .id = "allow-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §10.2.1",
    .summary = "Allow value is not a #method list",
    .example = "HTTP/1.1 405 Method Not Allowed\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nAllow: GET, [PUT]\n",
    .example_request = "DELETE /items/7",
};
constinit Rule allow_lists_request_method_405{
    .id = "405-allow-lists-request-method",
    .level = Level::warning,
    .reference = "RFC 9110 §15.5.6",
    .summary = "405 whose Allow lists the request's own method",
    .example = "HTTP/1.1 405 Method Not Allowed\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nAllow: GET, DELETE\n",
    .example_request = "DELETE /items/7",
};

}  // namespace

using message::concat;
using message::quote;

static void check_allow(const HeadCheck& check) {
    const RawHead& head = check.head;
    bool lists_request_method = false;
    const FieldLine* listing_line = nullptr;

    head.for_each(KnownField::allow, [&](const FieldLine& line) {
        // An empty Allow is valid: the resource allows no method at all.
        if (line.value.empty()) return;
        std::string_view bad_element;
        bool bad = false;
        grammar::for_each_list_element(line.value, [&](std::string_view method) {
            if (!grammar::is_token(method)) {
                bad = true;
                bad_element = method;
                return false;
            }
            if (!check.request.method.empty() && method == check.request.method) {
                lists_request_method = true;
                if (!listing_line) listing_line = &line;
            }
            return true;
        });
        if (bad) {
            check.sink.report(allow_syntax, [&] {
                if (bad_element.empty())
                    return concat({"Allow ", quote(line.value),
                                   " has an empty list element (a doubled or trailing comma); "
                                   "write methods separated by commas, e.g. Allow: GET, PUT"});
                return concat({"Allow ", quote(line.value), ": ", quote(bad_element),
                               " is not a method token; write methods separated by commas, "
                               "e.g. Allow: GET, PUT"});
            });
        }
    });

    if (head.status() != 405) return;
    if (!head.has(KnownField::allow)) {
        check.sink.report(missing_allow_405, [&] {
            const std::string_view target =
                check.request.target.empty() ? std::string_view("the resource")
                                             : check.request.target;
            return concat({"405 response has no Allow header; list the methods ", target,
                           " supports, e.g. Allow: GET, PUT"});
        });
    } else if (lists_request_method) {
        check.sink.report(allow_lists_request_method_405, [&] {
            return concat({"405 Method Not Allowed answers ", check.request.method,
                           ", yet Allow ", quote(listing_line->value), " lists ",
                           check.request.method, "; remove it from Allow, or accept the method"});
        });
    }
}

namespace {
Rule* const methods_rules[] = {&missing_allow_405, &allow_syntax, &allow_lists_request_method_405};
}  // namespace

extern const Subject methods_subject{"methods", methods_rules, check_allow, nullptr, nullptr};

}  // namespace cproxy::check

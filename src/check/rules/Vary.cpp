// Vary (RFC 9110 §12.5.5): `Vary = #( "*" / field-name )`, one list over all field lines.
#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule vary_syntax{
    .id = "vary-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §12.5.5, §5.1",
    .summary = "Vary element that is neither \"*\" nor a field name",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nVary: Accept-Encoding; Origin\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule vary_star{
    .id = "vary-star",
    .level = Level::info,
    .reference = "RFC 9110 §12.5.5; RFC 9111 §4.1",
    .summary = "Vary: * (caches can never reuse the response)",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nVary: *\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};

}  // namespace

using message::concat;
using message::quote;

static void check_vary(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::vary) || head.status_class() == 1) return;
    std::string_view bad;
    std::string_view star_line;  // the value of the first line listing "*"
    for_each_element(head, KnownField::vary, [&](const FieldLine& line, std::string_view element) {
        if (element == "*")
            star_line = star_line.empty() ? line.value : star_line;
        else if (!grammar::is_token(element) && bad.empty())
            bad = element;
        return true;
    });
    if (!bad.empty()) {
        check.sink.report(vary_syntax, [&] {
            return concat({"Vary element ", quote(bad),
                           " is not a field name; list bare field names separated by commas, "
                           "e.g. Vary: Accept-Encoding, Origin"});
        });
    }
    if (!star_line.empty()) {
        check.sink.report(vary_star, [&] {
            return concat({"Vary ", quote(star_line),
                           " lists \"*\", so no stored copy ever matches and caches cannot reuse "
                           "the response; list the request fields the content depends on instead (e.g. Vary: "
                           "Accept-Encoding), or send Cache-Control: no-store if it must never be "
                           "reused"});
        });
    }
}

namespace {
Rule* const vary_rules[] = {&vary_syntax, &vary_star};
}  // namespace

extern const Subject vary_subject{"vary", vary_rules, check_vary, nullptr, nullptr};

}  // namespace cproxy::check

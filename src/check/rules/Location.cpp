// Location (RFC 9110 §10.2.2): a URI-reference, and present on redirects (§15.4).
#include <boost/url/parse.hpp>
#include <string>

#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/parse/UriReference.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule redirect_missing_location{
    .id = "redirect-missing-location",
    .level = Level::warning,
    .reference = "RFC 9110 §15.4.2–§15.4.9",
    .summary = "301/302/303/307/308 without Location",
    .example = "HTTP/1.1 302 Found\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule location_syntax{
    .id = "location-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §10.2.2",
    .summary = "Location is not a URI-reference",
    .example = "HTTP/1.1 302 Found\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nLocation: http://[::1/x\n",
};


using message::concat;
using message::quote;

}  // namespace

static void check_location(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::location, [&](const FieldLine& line) {
        const auto parsed = boost::urls::parse_uri_reference(line.value);
        if (parsed) return;
        check.sink.report(location_syntax, [&] {
            return concat({"Location ", quote(line.value), " is not a URI-reference (",
                           describe_uri_reference_problem(line.value, parsed.error()),
                           "); percent-encode spaces and non-ASCII characters (e.g. %20) and "
                           "drop any surrounding quotes or brackets"});
        });
    });

    const int status = head.status();
    const bool redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (redirect && !head.has(KnownField::location)) {
        check.sink.report(redirect_missing_location, [&] {
            return concat({head.status_text(),
                           " redirect has no Location; add the target URI, e.g. Location: "
                           "/new/path"});
        });
    }
}

namespace {
Rule* const location_rules[] = {&redirect_missing_location, &location_syntax};
}  // namespace

extern const Subject location_subject{"location", location_rules, check_location, nullptr, nullptr};

}  // namespace cproxy::check

// Location (RFC 9110 §10.2.2): a URI-reference, and present on redirects (§15.4).
#include <boost/url/parse.hpp>
#include <string>

#include "check/HeadRules.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {

using message::concat;
using message::quote;

void check_location(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::location, [&](const FieldLine& line) {
        const auto parsed = boost::urls::parse_uri_reference(line.value);
        if (parsed) return;
        check.sink.report(RuleId::location_syntax, [&] {
            return concat({"Location ", quote(line.value), " is not a URI-reference (",
                           parsed.error().message(),
                           "); percent-encode spaces and non-ASCII characters (e.g. %20) and "
                           "drop any surrounding quotes or brackets"});
        });
    });

    const int status = head.status();
    const bool redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (redirect && !head.has(KnownField::location)) {
        check.sink.report(RuleId::redirect_missing_location, [&] {
            return concat({head.status_text(),
                           " redirect has no Location; add the target URI, e.g. Location: "
                           "/new/path"});
        });
    }
}

}  // namespace cproxy::check

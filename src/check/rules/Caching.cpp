// Cache-Control (RFC 9111 §5.2, RFC 8246, RFC 5861) and the other freshness fields: Expires,
// Age, Pragma, Warning (RFC 9111 §5.1, §5.3–§5.5).
//
// The directive list is every Cache-Control line of the response, split on commas outside
// quoted-strings; empty elements are skipped. An element that fails the directive grammar is
// reported once, by cache-control-syntax, and takes part in no other rule.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule cache_control_syntax{
    .id = "cache-control-syntax",
    .level = Level::error,
    .reference = "RFC 9111 §5.2",
    .summary = "Cache-Control element is not token [ \"=\" ( token / quoted-string ) ]",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age = 60\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_delta_seconds_invalid{
    .id = "cache-control-delta-seconds-invalid",
    .level = Level::error,
    .reference = "RFC 9111 §1.2.2, §5.2.2.1, §5.2.2.10; RFC 5861 §3, §4",
    .summary = "max-age, s-maxage, stale-while-revalidate or stale-if-error without delta-seconds",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=-1\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_quoted_delta_seconds{
    .id = "cache-control-quoted-delta-seconds",
    .level = Level::error,
    .reference = "RFC 9111 §5.2.2.1, §5.2.2.10; RFC 5861 §3, §4",
    .summary = "max-age, s-maxage, stale-while-revalidate or stale-if-error in quoted-string form",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=\"3600\"\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_field_list_token_form{
    .id = "cache-control-field-list-token-form",
    .level = Level::warning,
    .reference = "RFC 9111 §5.2.2.4, §5.2.2.7",
    .summary = "no-cache or private with a token argument instead of a quoted field list",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: private=Set-Cookie\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_field_list_invalid{
    .id = "cache-control-field-list-invalid",
    .level = Level::error,
    .reference = "RFC 9111 §5.2.2.4, §5.2.2.7; RFC 9110 §5.1",
    .summary = "no-cache or private whose quoted argument is not a list of field names",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Cache-Control: private=\"Set-Cookie Authorization\"\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_unexpected_argument{
    .id = "cache-control-unexpected-argument",
    .level = Level::error,
    .reference = "RFC 9111 §5.2, §5.2.2; RFC 8246 §2",
    .summary = "a Cache-Control directive that takes no argument has one",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: public=true, max-age=60\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_duplicate_directive{
    .id = "cache-control-duplicate-directive",
    .level = Level::warning,
    .reference = "RFC 9111 §4.2.1",
    .summary = "max-age, s-maxage, stale-while-revalidate or stale-if-error given twice",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=60\n"
               "Cache-Control: max-age=3600\nContent-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_public_and_private{
    .id = "cache-control-public-and-private",
    .level = Level::warning,
    .reference = "RFC 9111 §5.2.2.7, §5.2.2.9, §4.2.1",
    .summary = "Cache-Control has both public and private",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: public, private, max-age=60\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_no_store_conflict{
    .id = "cache-control-no-store-conflict",
    .level = Level::warning,
    .reference = "RFC 9111 §5.2.2.5, §4.2.1",
    .summary = "no-store together with public, immutable or a positive lifetime",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: no-store, max-age=3600\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_request_directive{
    .id = "cache-control-request-directive",
    .level = Level::warning,
    .reference = "RFC 9111 §5.2.1.2, §5.2.1.3, §5.2.1.7",
    .summary = "a request directive (max-stale, min-fresh, only-if-cached) in a response",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=60, max-stale=600\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_unknown_directive{
    .id = "cache-control-unknown-directive",
    .level = Level::info,
    .reference = "RFC 9111 §5.2.3, §5.2.4",
    .summary = "a Cache-Control directive outside the IANA registry (often a misspelling)",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: public, max_age=3600\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_immutable_not_fresh{
    .id = "cache-control-immutable-not-fresh",
    .level = Level::info,
    .reference = "RFC 8246 §2",
    .summary = "immutable on a response without a freshness lifetime",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: public, immutable\n"
               "Content-Type: text/css\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_s_maxage_with_private{
    .id = "cache-control-s-maxage-with-private",
    .level = Level::info,
    .reference = "RFC 9111 §5.2.2.7, §5.2.2.10",
    .summary = "s-maxage together with an unqualified private",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: private, max-age=60, s-maxage=600\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cache_control_must_understand_without_no_store{
    .id = "cache-control-must-understand-without-no-store",
    .level = Level::warning,
    .reference = "RFC 9111 §5.2.2.3",
    .summary = "must-understand without no-store",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: must-understand, max-age=60\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule expires_syntax{
    .id = "expires-syntax",
    .level = Level::error,
    .reference = "RFC 9111 §5.3; RFC 9110 §5.6.7",
    .summary = "Expires is not an IMF-fixdate",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nExpires: 0\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule age_syntax{
    .id = "age-syntax",
    .level = Level::error,
    .reference = "RFC 9111 §5.1, §1.2.2",
    .summary = "Age is not delta-seconds",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nAge: -5\nCache-Control: max-age=60\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule pragma_in_response{
    .id = "pragma-in-response",
    .level = Level::info,
    .reference = "RFC 9111 §5.4",
    .summary = "Pragma in a response (deprecated, meaning unspecified)",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: no-cache\nPragma: no-cache\n"
               "Content-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule warning_obsolete{
    .id = "warning-obsolete",
    .level = Level::info,
    .reference = "RFC 9111 §5.5",
    .summary = "Warning field (obsoleted)",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=60\n"
               "Warning: 110 - \"Response is Stale\"\nContent-Type: text/plain\nContent-Length: 2\n\nok",
};

}  // namespace

using message::concat;
using message::quote;

namespace {

// The IANA Cache Directive Registry (RFC 9111 §5.2.4), in the order of `registered_names`.
enum class Directive : std::uint8_t {
    immutable,
    max_age,
    max_stale,
    min_fresh,
    must_revalidate,
    must_understand,
    no_cache,
    no_store,
    no_transform,
    only_if_cached,
    private_,
    proxy_revalidate,
    public_,
    s_maxage,
    stale_if_error,
    stale_while_revalidate,
    unknown,
};
constexpr std::array<std::string_view, 16> registered_names{
    "immutable",      "max-age",          "max-stale",      "min-fresh",
    "must-revalidate", "must-understand", "no-cache",       "no-store",
    "no-transform",   "only-if-cached",   "private",        "proxy-revalidate",
    "public",         "s-maxage",         "stale-if-error", "stale-while-revalidate"};
constexpr std::size_t longest_registered_name = 22;

Directive classify(std::string_view name) noexcept {
    for (std::size_t i = 0; i < registered_names.size(); ++i)
        if (grammar::token_equals_lowercase(name, registered_names[i])) return static_cast<Directive>(i);
    return Directive::unknown;
}

// The four directives whose argument is delta-seconds, as an index (or -1).
int delta_seconds_index(Directive d) noexcept {
    switch (d) {
        case Directive::max_age: return 0;
        case Directive::s_maxage: return 1;
        case Directive::stale_while_revalidate: return 2;
        case Directive::stale_if_error: return 3;
        default: return -1;
    }
}

bool takes_no_argument(Directive d) noexcept {
    return d == Directive::public_ || d == Directive::no_store || d == Directive::must_revalidate ||
           d == Directive::proxy_revalidate || d == Directive::no_transform ||
           d == Directive::must_understand || d == Directive::immutable;
}

struct CacheDirective {
    std::string_view text;      // the element as written
    std::string_view name;
    std::string_view argument;  // as written, quotes included
    Directive known = Directive::unknown;
    bool has_argument = false;
    bool quoted = false;
};

// token [ "=" ( token / quoted-string ) ] (RFC 9111 §5.2). Returns what is wrong, or "".
std::string_view parse_directive(std::string_view element, CacheDirective& out) noexcept {
    out.text = element;
    const std::size_t name_length = grammar::token_length(element, 0);
    if (name_length == 0) return "it does not start with a directive name";
    out.name = element.substr(0, name_length);
    out.known = classify(out.name);
    if (name_length == element.size()) return {};
    const char after = element[name_length];
    if (grammar::is_ows(after)) {
        const std::size_t next = grammar::skip_ows(element, name_length);
        if (next < element.size() && element[next] == '=')
            return "whitespace is not allowed around \"=\"";
        return "a directive name cannot contain spaces; separate directives with commas";
    }
    if (after == ';') return "directives are separated by commas, not \";\"";
    if (after != '=') return "it is not token [ \"=\" ( token / quoted-string ) ]";
    std::string_view argument = element.substr(name_length + 1);
    if (argument.empty()) return "\"=\" has no value";
    if (grammar::is_ows(argument.front())) return "whitespace is not allowed around \"=\"";
    out.has_argument = true;
    out.argument = argument;
    if (argument.front() == '"') {
        const std::size_t end = grammar::quoted_string_end(argument, 0);
        if (end == grammar::npos) return "the quoted-string is unterminated or holds a control character";
        if (end != argument.size()) return "text follows the closing quote";
        out.quoted = true;
        return {};
    }
    if (!grammar::is_token(argument)) return "the value is neither a token nor a quoted-string";
    return {};
}

// Calls on_char for each character of a quoted-string's content, quoted-pairs resolved.
template <class OnChar>
void for_each_unquoted_char(std::string_view quoted, OnChar&& on_char) {
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        char c = quoted[i];
        if (c == '\\' && i + 2 < quoted.size()) c = quoted[++i];
        on_char(c);
    }
}

// Whether the argument (unquoted) is 1*DIGIT; `positive` is set when it is above 0.
bool is_delta_seconds(const CacheDirective& d, bool& positive) noexcept {
    positive = false;
    if (!d.has_argument) return false;
    if (!d.quoted) {
        if (!grammar::is_digits(d.argument)) return false;
        for (char c : d.argument) positive = positive || c != '0';
        return true;
    }
    bool digits = true;
    std::size_t count = 0;
    for_each_unquoted_char(d.argument, [&](char c) {
        ++count;
        digits = digits && grammar::is_digit(c);
        positive = positive || (c != '0');
    });
    positive = positive && digits && count > 0;
    return digits && count > 0;
}

// The quoted argument of no-cache/private, unescaped, is #field-name: elements split on commas,
// OWS trimmed, empty ones skipped, each a token.
bool is_quoted_field_list(std::string_view quoted) noexcept {
    enum { before, in_name, after } state = before;
    bool ok = true;
    for_each_unquoted_char(quoted, [&](char c) {
        if (c == ',') {
            state = before;
        } else if (grammar::is_ows(c)) {
            if (state == in_name) state = after;
        } else if (grammar::is_tchar(c) && state != after) {
            state = in_name;
        } else {
            ok = false;
        }
    });
    return ok;
}

// Levenshtein distance, ASCII case-insensitive, on two rows on the stack. Both strings must be
// at most longest_registered_name + 2 long.
std::size_t edit_distance(std::string_view a, std::string_view b) noexcept {
    constexpr std::size_t max = longest_registered_name + 2;
    std::array<std::uint8_t, max + 1> previous{};
    std::array<std::uint8_t, max + 1> current{};
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = static_cast<std::uint8_t>(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = static_cast<std::uint8_t>(i);
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = grammar::to_lower(a[i - 1]) == grammar::to_lower(b[j - 1]);
            std::uint8_t best = static_cast<std::uint8_t>(previous[j - 1] + (same ? 0 : 1));
            best = std::min<std::uint8_t>(best, static_cast<std::uint8_t>(previous[j] + 1));
            best = std::min<std::uint8_t>(best, static_cast<std::uint8_t>(current[j - 1] + 1));
            current[j] = best;
        }
        previous = current;
    }
    return previous[b.size()];
}

// The registered directive within edit distance 2 of `name` (the closest, the first on a
// tie), or "".
std::string_view closest_registered(std::string_view name) noexcept {
    if (name.size() > longest_registered_name + 2) return {};
    std::string_view best;
    std::size_t best_distance = 3;
    for (std::string_view candidate : registered_names) {
        const std::size_t length_gap =
            candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
        if (length_gap >= best_distance) continue;
        const std::size_t distance = edit_distance(name, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

// A valid IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as a number that orders like time:
// YYYYMMDDhhmmss.
std::uint64_t imf_fixdate_key(std::string_view date) noexcept {
    constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    auto number = [&](std::size_t at, std::size_t digits) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < digits; ++i) value = value * 10 + static_cast<std::uint64_t>(date[at + i] - '0');
        return value;
    };
    const std::uint64_t month = months.find(date.substr(8, 3)) / 3 + 1;
    return ((((number(12, 4) * 100 + month) * 100 + number(5, 2)) * 100 + number(17, 2)) * 100 +
            number(20, 2)) * 100 + number(23, 2);
}

// The one line of a singleton field when it is a valid IMF-fixdate.
const FieldLine* single_imf_fixdate(const RawHead& head, KnownField field) noexcept {
    if (head.count(field) != 1) return nullptr;
    const FieldLine* line = head.first(field);
    return parse_http_date(line->value) == HttpDateForm::imf_fixdate ? line : nullptr;
}

// What the whole directive list says, gathered in one pass.
struct DirectiveSummary {
    std::string_view public_;             // the first public, as written
    std::string_view private_unqualified;  // the first private without an argument
    std::string_view no_store;
    std::string_view immutable;
    std::string_view must_understand;
    std::string_view s_maxage;
    std::string_view positive_lifetime;  // the first max-age or s-maxage above 0
    std::string_view storable;           // the first public, immutable or positive lifetime
    std::array<std::string_view, 4> first_delta{};  // first max-age, s-maxage, swr, sie
    std::array<bool, 4> duplicate_reported{};
};

void check_directive(const HeadCheck& check, const CacheDirective& d, DirectiveSummary& summary) {
    FindingSink& sink = check.sink;
    const int delta = delta_seconds_index(d.known);
    if (delta >= 0) {
        bool positive = false;
        if (!is_delta_seconds(d, positive)) {
            sink.report(cache_control_delta_seconds_invalid, [&] {
                return concat({"Cache-Control ", quote(d.text), ": ", d.name,
                               d.has_argument ? " takes a number of seconds (1*DIGIT)"
                                              : " needs a number of seconds",
                               "; write e.g. ", registered_names[static_cast<std::size_t>(d.known)],
                               "=3600"});
            });
        }
        if (d.quoted) {
            sink.report(cache_control_quoted_delta_seconds, [&] {
                return concat({"Cache-Control ", quote(d.text), ": ", d.name,
                               " must not be quoted; write the bare number, e.g. ",
                               registered_names[static_cast<std::size_t>(d.known)], "=3600"});
            });
        }
        if (positive && (d.known == Directive::max_age || d.known == Directive::s_maxage)) {
            if (summary.positive_lifetime.empty()) summary.positive_lifetime = d.text;
            if (summary.storable.empty()) summary.storable = d.text;
        }
        if (d.known == Directive::s_maxage && summary.s_maxage.empty()) summary.s_maxage = d.text;
        std::string_view& first = summary.first_delta[static_cast<std::size_t>(delta)];
        if (first.empty()) {
            first = d.text;
        } else if (!summary.duplicate_reported[static_cast<std::size_t>(delta)]) {
            summary.duplicate_reported[static_cast<std::size_t>(delta)] = true;
            sink.report(cache_control_duplicate_directive, [&] {
                return concat({"Cache-Control has ", quote(first), " and ", quote(d.text),
                               "; a cache uses the first or treats the response as stale: send ",
                               registered_names[static_cast<std::size_t>(d.known)], " once"});
            });
        }
        return;
    }
    switch (d.known) {
        case Directive::no_cache:
        case Directive::private_:
            if (!d.has_argument) {
                if (d.known == Directive::private_ && summary.private_unqualified.empty())
                    summary.private_unqualified = d.text;
            } else if (!d.quoted) {
                sink.report(cache_control_field_list_token_form, [&] {
                    return concat({"Cache-Control ", quote(d.text),
                                   ": the field list should be a quoted-string, even for one "
                                   "field; write ",
                                   registered_names[static_cast<std::size_t>(d.known)], "=\"",
                                   d.argument, "\""});
                });
            } else if (!is_quoted_field_list(d.argument)) {
                sink.report(cache_control_field_list_invalid, [&] {
                    return concat({"Cache-Control ", quote(d.text),
                                   ": the argument is a comma-separated list of field names; "
                                   "write e.g. ",
                                   registered_names[static_cast<std::size_t>(d.known)],
                                   "=\"Set-Cookie, Authorization\""});
                });
            }
            return;
        case Directive::max_stale:
        case Directive::min_fresh:
        case Directive::only_if_cached:
            sink.report(cache_control_request_directive, [&] {
                return concat({"Cache-Control ", quote(d.text),
                               " is a request directive and means nothing in a response; "
                               "remove it (for serving stale content while revalidating, use "
                               "stale-while-revalidate=N)"});
            });
            return;
        case Directive::unknown: {
            // A misspelling sets nothing, so say which registered name was probably meant.
            sink.report(cache_control_unknown_directive, [&] {
                const std::string_view closest = closest_registered(d.name);
                if (!closest.empty())
                    return concat({"Cache-Control directive ", quote(d.name),
                                   " is not registered and caches ignore it; did you mean ",
                                   closest, "?"});
                return concat({"Cache-Control directive ", quote(d.name),
                               " is not registered and caches ignore it; use a registered "
                               "directive (e.g. max-age, no-cache, no-store, private) or remove "
                               "it"});
            });
            return;
        }
        default: break;
    }
    if (takes_no_argument(d.known)) {
        if (d.has_argument) {
            sink.report(cache_control_unexpected_argument, [&] {
                return concat({"Cache-Control ", quote(d.text), ": ",
                               registered_names[static_cast<std::size_t>(d.known)],
                               " takes no argument; write just ",
                               registered_names[static_cast<std::size_t>(d.known)]});
            });
        }
        std::string_view* slot = nullptr;
        switch (d.known) {
            case Directive::public_: slot = &summary.public_; break;
            case Directive::no_store: slot = &summary.no_store; break;
            case Directive::immutable: slot = &summary.immutable; break;
            case Directive::must_understand: slot = &summary.must_understand; break;
            default: break;
        }
        if (slot && slot->empty()) *slot = d.text;
        if ((d.known == Directive::public_ || d.known == Directive::immutable) && summary.storable.empty())
            summary.storable = d.text;
    }
}

void check_cache_control(const HeadCheck& check) {
    const RawHead& head = check.head;
    DirectiveSummary summary;
    for_each_element(head, KnownField::cache_control, [&](const FieldLine&, std::string_view element) {
        CacheDirective d;
        const std::string_view problem = parse_directive(element, d);
        if (!problem.empty()) {
            check.sink.report(cache_control_syntax, [&] {
                return concat({"Cache-Control element ", quote(element), " is malformed: ", problem,
                               "; write directives as name or name=value separated by commas, "
                               "e.g. Cache-Control: no-cache, max-age=60"});
            });
            return true;
        }
        check_directive(check, d, summary);
        return true;
    });

    FindingSink& sink = check.sink;
    if (!summary.public_.empty() && !summary.private_unqualified.empty()) {
        sink.report(cache_control_public_and_private, [&] {
            return concat({"Cache-Control has both ", quote(summary.public_), " and ",
                           quote(summary.private_unqualified),
                           "; caches apply the most restrictive: send private alone for "
                           "per-user content, public alone for shared content"});
        });
    }
    if (!summary.no_store.empty() && summary.must_understand.empty() && !summary.storable.empty()) {
        sink.report(cache_control_no_store_conflict, [&] {
            return concat({"Cache-Control has ", quote(summary.no_store), " and ",
                           quote(summary.storable),
                           ": nothing may be stored, so the latter never applies; remove one "
                           "(no-store alone forbids storing; max-age=N alone allows it)"});
        });
    }
    if (!summary.immutable.empty() && summary.positive_lifetime.empty()) {
        bool fresh_by_expires = false;
        bool undecidable = false;
        if (const FieldLine* expires = single_imf_fixdate(head, KnownField::expires)) {
            if (const FieldLine* date = single_imf_fixdate(head, KnownField::date))
                fresh_by_expires = imf_fixdate_key(expires->value) > imf_fixdate_key(date->value);
            else
                undecidable = true;  // no usable Date: the cache's receipt time decides
        }
        if (!fresh_by_expires && !undecidable) {
            sink.report(cache_control_immutable_not_fresh, [&] {
                return concat({"Cache-Control has ", quote(summary.immutable),
                               " but no freshness lifetime, so it never applies; add one, e.g. "
                               "Cache-Control: public, max-age=31536000, immutable"});
            });
        }
    }
    if (!summary.s_maxage.empty() && !summary.private_unqualified.empty()) {
        sink.report(cache_control_s_maxage_with_private, [&] {
            return concat({"Cache-Control has ", quote(summary.s_maxage), " and ",
                           quote(summary.private_unqualified),
                           ": shared caches must not store the response, so s-maxage never "
                           "applies; remove s-maxage, or private if shared caches may store it"});
        });
    }
    if (!summary.must_understand.empty() && summary.no_store.empty()) {
        sink.report(cache_control_must_understand_without_no_store, [&] {
            return concat({"Cache-Control has ", quote(summary.must_understand),
                           " without no-store; add no-store so caches that do not know the "
                           "status code do not store it: Cache-Control: must-understand, no-store"});
        });
    }
}

void check_expiration(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::expires, [&](const FieldLine& line) {
        const auto form = parse_http_date(line.value);
        if (form == HttpDateForm::imf_fixdate) return;
        check.sink.report(expires_syntax, [&] {
            if (form)
                return concat({"Expires ", quote(line.value), " is an obsolete ",
                               *form == HttpDateForm::rfc850 ? "RFC 850" : "asctime",
                               " date; send an IMF-fixdate, e.g. Expires: Sun, 06 Nov 1994 08:49:37 GMT"});
            return concat({"Expires ", quote(line.value),
                           " is not an IMF-fixdate and caches read it as already expired; to "
                           "forbid reuse without revalidation send Cache-Control: no-cache, or "
                           "send a past date such as Expires: Thu, 01 Jan 1970 00:00:00 GMT"});
        });
    });
    head.for_each(KnownField::age, [&](const FieldLine& line) {
        if (grammar::is_digits(line.value)) return;
        check.sink.report(age_syntax, [&] {
            return concat({"Age ", quote(line.value),
                           " is not a number of seconds; send one non-negative integer, e.g. "
                           "Age: 60"});
        });
    });
    if (const FieldLine* pragma = head.first(KnownField::pragma)) {
        check.sink.report(pragma_in_response, [&] {
            return concat({"Pragma ", quote(pragma->value),
                           " has no specified meaning in a response; use Cache-Control instead "
                           "(e.g. Cache-Control: no-cache)"});
        });
    }
    if (const FieldLine* warning = head.first(KnownField::warning)) {
        check.sink.report(warning_obsolete, [&] {
            return concat({"Warning ", quote(warning->value),
                           " is obsolete and ignored; remove it (a cache can report what it did "
                           "in Cache-Status)"});
        });
    }
}

void check_caching(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (head.status_class() == 1) return;  // final responses only
    if (head.has(KnownField::cache_control)) check_cache_control(check);
    if (head.has(KnownField::expires) || head.has(KnownField::age) || head.has(KnownField::pragma) ||
        head.has(KnownField::warning))
        check_expiration(check);
}

Rule* const caching_rules[] = {
    &cache_control_syntax,
    &cache_control_delta_seconds_invalid,
    &cache_control_quoted_delta_seconds,
    &cache_control_field_list_token_form,
    &cache_control_field_list_invalid,
    &cache_control_unexpected_argument,
    &cache_control_duplicate_directive,
    &cache_control_public_and_private,
    &cache_control_no_store_conflict,
    &cache_control_request_directive,
    &cache_control_unknown_directive,
    &cache_control_immutable_not_fresh,
    &cache_control_s_maxage_with_private,
    &cache_control_must_understand_without_no_store,
    &expires_syntax,
    &age_syntax,
    &pragma_in_response,
    &warning_obsolete,
};

}  // namespace

extern const Subject caching_subject{"caching", caching_rules, check_caching, nullptr, nullptr};

}  // namespace cproxy::check

// Set-Cookie (RFC 6265 §4.1; draft-ietf-httpbis-rfc6265bis-20 §4.1, §5.6 and the storage model).
// Every Set-Cookie field line is one cookie and is checked on its own, never joined. Where the
// two documents disagree on grammar, only what both forbid is reported. Messages may quote the
// cookie name and attribute values, never the cookie value (a credential).
#include <array>
#include <charconv>
#include <chrono>
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/SetCookie.hpp"

namespace cproxy::check {
namespace {

constinit Rule set_cookie_name_invalid{
    .id = "set-cookie-name-invalid",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1; rfc6265bis-20 §4.1.1",
    .summary = "Set-Cookie without a valid cookie-name before '='",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: my id=42; Path=/\n",
};
constinit Rule set_cookie_value_invalid{
    .id = "set-cookie-value-invalid",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1; rfc6265bis-20 §4.1.1",
    .summary = "Set-Cookie value holds octets outside cookie-octet",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: prefs={\"theme\":\"dark\"}; Path=/\n",
};
constinit Rule set_cookie_expires_syntax{
    .id = "set-cookie-expires-syntax",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1; rfc6265bis-20 §4.1.1; RFC 9110 §5.6.7",
    .summary = "Set-Cookie Expires is not an IMF-fixdate",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Path=/\n",
};
constinit Rule set_cookie_max_age_invalid{
    .id = "set-cookie-max-age-invalid",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1, §5.2.2; rfc6265bis-20 §4.1.1, UA parsing of Max-Age",
    .summary = "Set-Cookie Max-Age is not [\"-\"] 1*DIGIT, so user agents ignore it",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Max-Age=3600s; Path=/\n",
};
constinit Rule set_cookie_domain_invalid{
    .id = "set-cookie-domain-invalid",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1, §4.1.2.3; rfc6265bis-20 §4.1.1, storage model",
    .summary = "Set-Cookie Domain is not a host name",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Domain=example.com:8443; Path=/\n",
};
constinit Rule set_cookie_path_not_absolute{
    .id = "set-cookie-path-not-absolute",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.2.4, §5.2.4; rfc6265bis-20, UA parsing of Path",
    .summary = "Set-Cookie Path is empty or does not start with '/'",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Path=admin\n",
};
constinit Rule set_cookie_attribute_repeated{
    .id = "set-cookie-attribute-repeated",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1; rfc6265bis-20 §4.1.1",
    .summary = "one Set-Cookie line repeats an attribute",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Path=/; path=/app\n",
};
constinit Rule set_cookie_name_repeated{
    .id = "set-cookie-name-repeated",
    .level = Level::warning,
    .reference = "RFC 6265 §4.1.1; rfc6265bis-20 §4.1.1",
    .summary = "two Set-Cookie lines of one response set the same cookie-name",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Path=/\nSet-Cookie: sid=def; Path=/app\n",
};
constinit Rule set_cookie_samesite_invalid{
    .id = "set-cookie-samesite-invalid",
    .level = Level::warning,
    .reference = "rfc6265bis-20 §4.1.1, §4.1.2.7, UA parsing of SameSite",
    .summary = "Set-Cookie SameSite is not Strict, Lax or None",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Path=/; Secure; SameSite=no_restriction\n",
};
constinit Rule set_cookie_samesite_none_insecure{
    .id = "set-cookie-samesite-none-insecure",
    .level = Level::warning,
    .reference = "rfc6265bis-20, storage model (SameSite None without secure-only-flag: ignore the cookie)",
    .summary = "Set-Cookie SameSite=None without Secure: browsers ignore the cookie",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: sid=abc; Path=/; SameSite=None\n",
};
constinit Rule set_cookie_prefix_insecure{
    .id = "set-cookie-prefix-insecure",
    .level = Level::warning,
    .reference = "rfc6265bis-20 §4.1.3.1, storage model",
    .summary = "__Secure- or __Host- cookie without Secure: browsers ignore it",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: __Secure-sid=abc; Path=/\n",
};
constinit Rule set_cookie_host_prefix_scope{
    .id = "set-cookie-host-prefix-scope",
    .level = Level::warning,
    .reference = "rfc6265bis-20 §4.1.3.2, storage model",
    .summary = "__Host- cookie with a Domain, or without Path=/: browsers ignore it",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: __Host-sid=abc; Secure; Path=/; Domain=example.com\n",
};
constinit Rule set_cookie_partitioned_insecure{
    .id = "set-cookie-partitioned-insecure",
    .level = Level::warning,
    .reference = "draft-cutler-httpbis-partitioned-cookies (CHIPS), \"Partitioned attribute\"",
    .summary = "Set-Cookie Partitioned without Secure",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: embed=abc; Path=/; SameSite=Lax; Partitioned\n",
};
// A realistic oversized cookie: serialized state of 4096 octets under the name "state".
constexpr std::string_view kTooLargeHead =
    "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: state=";
constexpr std::string_view kTooLargeTail = "; Path=/\n";
constexpr auto kTooLargeExample = [] {
    std::array<char, kTooLargeHead.size() + 4096 + kTooLargeTail.size()> text{};
    std::size_t i = 0;
    for (char c : kTooLargeHead) text[i++] = c;
    for (std::size_t n = 0; n < 4096; ++n) text[i++] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[n % 64];
    for (char c : kTooLargeTail) text[i++] = c;
    return text;
}();

constinit Rule set_cookie_too_large{
    .id = "set-cookie-too-large",
    .level = Level::warning,
    .reference = "rfc6265bis-20, UA parsing of Set-Cookie (name + value over 4096 octets)",
    .summary = "Set-Cookie name plus value over 4096 octets: user agents ignore it",
    .example = std::string_view(kTooLargeExample.data(), kTooLargeExample.size()),
};
constinit Rule set_cookie_lifetime_capped{
    .id = "set-cookie-lifetime-capped",
    .level = Level::info,
    .reference = "rfc6265bis-20 §4.1.2.1, §4.1.2.2",
    .summary = "Set-Cookie lifetime over 400 days: user agents cap it",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nSet-Cookie: remember=abc; Max-Age=63072000; Path=/; Secure; HttpOnly\n",
};

// 400 days, the cap rfc6265bis-20 §4.1.2.1 and §4.1.2.2 recommend.
constexpr std::uint64_t kLifetimeCapSeconds = 34560000;

// What one Set-Cookie line says about itself, gathered in one pass over its attributes.
struct CookieLine {
    bool secure = false;
    bool partitioned = false;
    bool has_path = false;
    std::string_view last_path;
    std::string_view domain_with_value;  // the first Domain attribute with a non-empty value
    std::string_view last_valid_samesite;
    std::string_view last_valid_max_age;
    std::string_view last_imf_expires;
};

// What a cookie name or value may hold, for the messages.
constexpr std::string_view kCookieOctets =
    "only visible ASCII other than DQUOTE, comma, semicolon and backslash";

// `digits` (1*DIGIT) as a number of seconds is above the 400-day cap.
bool above_lifetime_cap(std::string_view digits) noexcept {
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) return true;
    return error == std::errc{} && value > kLifetimeCapSeconds;
}

std::int64_t receive_time_seconds() noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

using message::concat;
using message::quote;

namespace {

// The cookie's name for a message: quoted, or a description when it has none.
std::string cookie_label(const CookiePair& pair) {
    if (!pair.has_equals || pair.name.empty()) return "Set-Cookie (a cookie without a name)";
    return concat({"Set-Cookie ", quote(pair.name)});
}

void check_pair(const HeadCheck& check, const CookiePair& pair) {
    if (!pair.has_equals) {
        check.sink.report(set_cookie_name_invalid, [&] {
            return std::string(
                "Set-Cookie has no '=' in its cookie-pair, so user agents store the value under an "
                "empty name; send name=value first, e.g. Set-Cookie: sid=<value>; Path=/");
        });
    } else if (pair.name.empty()) {
        check.sink.report(set_cookie_name_invalid, [&] {
            return std::string(
                "Set-Cookie has an empty cookie name before '='; send name=value, e.g. "
                "Set-Cookie: sid=<value>; Path=/");
        });
    } else if (const std::size_t bad = first_bad_cookie_name_octet(pair.name);
               bad != std::string_view::npos) {
        check.sink.report(set_cookie_name_invalid, [&] {
            return concat({"Set-Cookie name ", quote(pair.name), " holds ",
                           describe_non_cookie_octet(pair.name[bad]), "; a cookie name may hold ",
                           kCookieOctets, ", rename it (e.g. with '_' or '-' instead)"});
        });
    }

    if (pair.has_equals) {
        if (const std::size_t bad = first_bad_cookie_value_octet(pair.value);
            bad != std::string_view::npos) {
            // Never quote the value: it is a credential more often than not.
            check.sink.report(set_cookie_value_invalid, [&] {
                return concat({cookie_label(pair), ": the value holds ",
                               describe_non_cookie_octet(pair.value[bad]), " at octet ",
                               std::to_string(bad + 1), "; a cookie value may hold ", kCookieOctets,
                               " (optionally wrapped in DQUOTEs as a whole); encode the data, e.g. "
                               "with base64url or percent-encoding"});
            });
        }
    }

    if (pair.name.size() + pair.value.size() > 4096) {
        check.sink.report(set_cookie_too_large, [&] {
            return concat({cookie_label(pair), ": name and value are ",
                           std::to_string(pair.name.size() + pair.value.size()),
                           " octets, over the 4096 user agents accept, so they ignore the whole "
                           "cookie; keep the state on the server and send an identifier"});
        });
    }
}

// Each attribute rule reports at most once per line.
struct AttributeReports {
    bool expires = false, max_age = false, domain = false, path = false, samesite = false,
         repeated = false;
};

void check_attribute(const HeadCheck& check, const CookiePair& pair, const CookieAttribute& attribute,
                     CookieLine& line, AttributeReports& reported) {
    using grammar::iequals;
    const std::string_view name = attribute.name;
    const std::string_view value = attribute.value;
    if (iequals(name, "Expires")) {
        if (imf_fixdate_seconds(value)) {
            line.last_imf_expires = value;
        } else if (!reported.expires) {
            reported.expires = true;
            check.sink.report(set_cookie_expires_syntax, [&] {
                return concat({cookie_label(pair), ": Expires ", quote(value),
                               " is not an IMF-fixdate; send e.g. Expires=Sun, 06 Nov 1994 "
                               "08:49:37 GMT (two-digit day, four-digit year, GMT), or Max-Age"});
            });
        }
    } else if (iequals(name, "Max-Age")) {
        if (is_valid_max_age(value)) {
            line.last_valid_max_age = value;
        } else if (!reported.max_age) {
            reported.max_age = true;
            check.sink.report(set_cookie_max_age_invalid, [&] {
                return concat({cookie_label(pair), ": Max-Age ",
                               attribute.has_equals ? quote(value) : std::string("without a value"),
                               " is not a whole number of seconds, so user agents ignore it; send "
                               "digits only, e.g. Max-Age=3600 (Max-Age=0 deletes the cookie)"});
            });
        }
    } else if (iequals(name, "Domain")) {
        if (!value.empty() && line.domain_with_value.empty()) line.domain_with_value = value;
        if (!is_valid_cookie_domain(value) && !reported.domain) {
            reported.domain = true;
            check.sink.report(set_cookie_domain_invalid, [&] {
                return concat({cookie_label(pair), ": Domain ", quote(value),
                               " is not a host name (no scheme, port, path, wildcard, '_' or "
                               "non-ASCII); send a bare host such as Domain=example.com, or omit "
                               "Domain for a host-only cookie"});
            });
        }
    } else if (iequals(name, "Path")) {
        line.has_path = true;
        line.last_path = value;
        if ((value.empty() || value.front() != '/') && !reported.path) {
            reported.path = true;
            check.sink.report(set_cookie_path_not_absolute, [&] {
                return concat({cookie_label(pair), ": Path ", quote(value),
                               " does not start with '/', so user agents use the request's "
                               "directory instead; send an absolute path, e.g. Path=/"});
            });
        }
    } else if (iequals(name, "SameSite")) {
        if (iequals(value, "Strict") || iequals(value, "Lax") || iequals(value, "None")) {
            line.last_valid_samesite = value;
        } else if (!reported.samesite) {
            reported.samesite = true;
            check.sink.report(set_cookie_samesite_invalid, [&] {
                return concat({cookie_label(pair), ": SameSite ",
                               attribute.has_equals ? quote(value) : std::string("without a value"),
                               " is not Strict, Lax or None, so user agents apply their default; "
                               "send one of them, e.g. SameSite=Lax"});
            });
        }
    } else if (iequals(name, "Secure")) {
        line.secure = true;
    } else if (iequals(name, "Partitioned")) {
        line.partitioned = true;
    }
}

void check_cookie_line(const HeadCheck& check, const CookiePair& pair) {
    check_pair(check, pair);

    CookieLine line;
    AttributeReports reported;
    InlineVector<std::string_view, 16> names;
    for_each_cookie_attribute(pair.attributes, [&](const CookieAttribute& attribute) {
        if (attribute.name.empty() && !attribute.has_equals) return;  // ";;" or a trailing ";"
        check_attribute(check, pair, attribute, line, reported);
        if (reported.repeated || attribute.name.empty()) return;
        for (const std::string_view seen : names) {
            if (!grammar::iequals(seen, attribute.name)) continue;
            reported.repeated = true;
            check.sink.report(set_cookie_attribute_repeated, [&] {
                return concat({cookie_label(pair), " names the attribute ", quote(attribute.name),
                               " twice (", quote(seen), " and ", quote(attribute.name),
                               "); user agents keep only the last one, send it once"});
            });
            return;
        }
        names.push_back(attribute.name);
    });

    const bool secure_prefix = pair.name.starts_with("__Secure-");
    const bool host_prefix = pair.name.starts_with("__Host-");
    if (grammar::iequals(line.last_valid_samesite, "None") && !line.secure) {
        check.sink.report(set_cookie_samesite_none_insecure, [&] {
            return concat({cookie_label(pair),
                           " has SameSite=None without Secure, so browsers reject the whole "
                           "cookie; add Secure (and serve it over HTTPS) or use SameSite=Lax"});
        });
    }
    if ((secure_prefix || host_prefix) && !line.secure) {
        check.sink.report(set_cookie_prefix_insecure, [&] {
            return concat({cookie_label(pair), " uses the ",
                           secure_prefix ? "__Secure-" : "__Host-",
                           " prefix without the Secure attribute, so browsers reject it; add "
                           "Secure"});
        });
    }
    if (host_prefix) {
        const bool path_ok = line.has_path && line.last_path == "/";
        if (!line.domain_with_value.empty() || !path_ok) {
            check.sink.report(set_cookie_host_prefix_scope, [&] {
                std::string problem;
                if (!line.domain_with_value.empty())
                    problem = concat({"has Domain ", quote(line.domain_with_value)});
                else if (!line.has_path)
                    problem = "has no Path";
                else
                    problem = concat({"has Path ", quote(line.last_path)});
                return concat({cookie_label(pair), " ", problem,
                               ", but a __Host- cookie needs Path=/ and no Domain or browsers "
                               "reject it; send Secure; Path=/ without Domain"});
            });
        }
    }
    if (line.partitioned && !line.secure) {
        check.sink.report(set_cookie_partitioned_insecure, [&] {
            return concat({cookie_label(pair),
                           " has Partitioned without Secure, so browsers reject the cookie or "
                           "the attribute; add Secure"});
        });
    }

    // Lifetime: a valid Max-Age wins over Expires (rfc6265bis-20 §5.7 storage model).
    if (!line.last_valid_max_age.empty()) {
        const std::string_view max_age = line.last_valid_max_age;
        if (max_age.front() != '-' && above_lifetime_cap(max_age)) {
            check.sink.report(set_cookie_lifetime_capped, [&] {
                return concat({cookie_label(pair), ": Max-Age ", quote(max_age),
                               " is over 400 days (34560000 s); user agents cap the lifetime, so "
                               "the cookie expires sooner than written; use at most "
                               "Max-Age=34560000"});
            });
        }
    } else if (!line.last_imf_expires.empty()) {
        const std::int64_t expires = *imf_fixdate_seconds(line.last_imf_expires);
        std::int64_t now = 0;
        const FieldLine* date = check.head.first(KnownField::date);
        if (const auto sent = date ? imf_fixdate_seconds(date->value) : std::nullopt)
            now = *sent;
        else
            now = receive_time_seconds();
        if (expires - now > static_cast<std::int64_t>(kLifetimeCapSeconds)) {
            check.sink.report(set_cookie_lifetime_capped, [&] {
                return concat({cookie_label(pair), ": Expires ", quote(line.last_imf_expires),
                               " is more than 400 days after ",
                               date && imf_fixdate_seconds(date->value) ? "the response's Date"
                                                                        : "the time it was received",
                               "; user agents cap the lifetime at 400 days, so the cookie expires "
                               "sooner than written"});
            });
        }
    }
}

}  // namespace

static void check_cookies(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::set_cookie)) return;
    if (head.status() >= 100 && head.status() <= 199) return;  // final responses only

    InlineVector<const FieldLine*, 16> named;  // lines whose cookie has a name, in order
    head.for_each(KnownField::set_cookie, [&](const FieldLine& field) {
        const CookiePair pair = split_set_cookie(field.value);
        check_cookie_line(check, pair);
        if (!pair.has_equals || pair.name.empty()) return;

        // set-cookie-name-repeated: reported once per name, at its second line.
        std::size_t earlier = 0;
        const FieldLine* first_line = nullptr;
        for (const FieldLine* other : named) {
            if (split_set_cookie(other->value).name != pair.name) continue;
            if (++earlier == 1) first_line = other;
        }
        if (earlier == 1) {
            check.sink.report(set_cookie_name_repeated, [&] {
                return concat({"Set-Cookie ", quote(pair.name), " is set twice in one response "
                               "(lines ", std::to_string(first_line->line_number), " and ",
                               std::to_string(field.line_number),
                               "); send one Set-Cookie per cookie name in a response"});
            });
        }
        named.push_back(&field);
    });
}

namespace {
Rule* const cookies_rules[] = {
    &set_cookie_name_invalid,       &set_cookie_value_invalid,
    &set_cookie_expires_syntax,     &set_cookie_max_age_invalid,
    &set_cookie_domain_invalid,     &set_cookie_path_not_absolute,
    &set_cookie_attribute_repeated, &set_cookie_name_repeated,
    &set_cookie_samesite_invalid,   &set_cookie_samesite_none_insecure,
    &set_cookie_prefix_insecure,    &set_cookie_host_prefix_scope,
    &set_cookie_partitioned_insecure, &set_cookie_too_large,
    &set_cookie_lifetime_capped,
};
}  // namespace

extern const Subject cookies_subject{"cookies", cookies_rules, check_cookies, nullptr, nullptr};

}  // namespace cproxy::check

// Authentication challenges (RFC 9110 §11, RFC 7617): 401/407 must carry a challenge, the
// challenge list must parse, and Basic has its own requirements.
#include <string>

#include "check/parse/ChallengeParser.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule missing_www_authenticate_401{
    .id = "401-missing-www-authenticate",
    .level = Level::error,
    .reference = "RFC 9110 §15.5.2, §11.6.1",
    .summary = "401 without a WWW-Authenticate challenge",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule missing_proxy_authenticate_407{
    .id = "407-missing-proxy-authenticate",
    .level = Level::error,
    .reference = "RFC 9110 §15.5.8, §11.7.1",
    .summary = "407 without a Proxy-Authenticate challenge",
    .example = "HTTP/1.1 407 Proxy Authentication Required\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule challenge_syntax{
    .id = "challenge-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §11.3, §11.2",
    .summary = "WWW-Authenticate / Proxy-Authenticate value is not a valid #challenge list",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Basic; realm=\"x\"\n",
};
constinit Rule challenge_duplicate_param{
    .id = "challenge-duplicate-param",
    .level = Level::error,
    .reference = "RFC 9110 §11.2",
    .summary = "a challenge repeats an auth-param name",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Basic realm=\"a\", REALM=\"b\"\n",
};
constinit Rule realm_not_quoted{
    .id = "realm-not-quoted",
    .level = Level::error,
    .reference = "RFC 9110 §11.5",
    .summary = "realm sent as a token instead of a quoted-string",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Basic realm=api\n",
};
constinit Rule basic_missing_realm{
    .id = "basic-missing-realm",
    .level = Level::error,
    .reference = "RFC 7617 §2",
    .summary = "Basic challenge without a realm",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Basic charset=\"UTF-8\"\n",
};
constinit Rule basic_bad_charset{
    .id = "basic-bad-charset",
    .level = Level::error,
    .reference = "RFC 7617 §2.1",
    .summary = "Basic challenge charset other than \"UTF-8\"",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Basic realm=\"a\", charset=\"ISO-8859-1\"\n",
};
constinit Rule from_origin_407{
    .id = "407-from-origin",
    .level = Level::warning,
    .reference = "RFC 9110 §15.5.8",
    .summary = "the origin answered 407 in reverse-proxy mode; origins use 401",
    .example = "HTTP/1.1 407 Proxy Authentication Required\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nProxy-Authenticate: Basic realm=\"origin\", charset=\"UTF-8\"\n",
};


using message::concat;
using message::quote;

struct ChallengeField {
    KnownField field;
    std::string_view name;
    int status;  // the status that requires this field
    const Rule& missing_rule;
};

const ChallengeField kWwwAuthenticate{KnownField::www_authenticate, "WWW-Authenticate", 401,
                                          missing_www_authenticate_401};
const ChallengeField kProxyAuthenticate{KnownField::proxy_authenticate, "Proxy-Authenticate",
                                            407, missing_proxy_authenticate_407};

// "; <guidance>" on responses where the status is about authentication.
std::string_view guidance_suffix(const HeadCheck& check) {
    return check.head.status() == 401 || check.head.status() == 407 ? "; " : "";
}
std::string_view guidance_text(const HeadCheck& check) {
    return check.head.status() == 401 || check.head.status() == 407 ? message::auth_guidance : "";
}

bool contains_typographic_quote(std::string_view text) {
    // U+201C / U+201D / U+2018 / U+2019 in UTF-8: E2 80 9C / 9D / 98 / 99.
    for (std::size_t i = 0; i + 2 < text.size(); ++i)
        if (text[i] == '\xE2' && text[i + 1] == '\x80' &&
            (text[i + 2] == '\x9C' || text[i + 2] == '\x9D' || text[i + 2] == '\x98' ||
             text[i + 2] == '\x99'))
            return true;
    return false;
}

std::string describe_syntax_error(const ChallengeField& field, const ChallengeSyntaxError& error) {
    const std::string value = quote(error.field_value);
    switch (error.problem) {
        case ChallengeProblem::empty_value:
            return concat({field.name, " is empty; send at least one challenge, e.g. ",
                           field.name, ": Basic realm=\"example\""});
        case ChallengeProblem::empty_element:
            return concat({field.name, " ", value,
                           " has an empty list element (a doubled or trailing comma); remove it"});
        case ChallengeProblem::no_auth_scheme:
            return concat({field.name, " ", value, ": ", quote(error.element),
                           " does not start with an auth-scheme token; write a challenge as a "
                           "scheme followed by parameters, e.g. Basic realm=\"example\""});
        case ChallengeProblem::no_space_after_scheme: {
            const std::string_view after =
                error.element.substr(error.detail.size(), 1);
            return concat({field.name, " ", value, ": the auth-scheme ", quote(error.detail),
                           " must be followed by a space and its parameters, not ",
                           quote(after), "; write e.g. ", error.detail, " realm=\"example\""});
        }
        case ChallengeProblem::bad_auth_param:
            return concat(
                {field.name, " ", value, ": ", quote(error.detail),
                 " is neither a token68 nor an auth-param (name=token or name=\"quoted-string\")",
                 contains_typographic_quote(error.detail)
                     ? "; it uses typographic quotes, use straight double quotes (\")"
                     : ""});
        case ChallengeProblem::param_without_scheme:
            return concat({field.name, " ", value, ": the auth-param ", quote(error.element),
                           " comes before any auth-scheme; start with the scheme, e.g. "
                           "Basic realm=\"example\""});
        case ChallengeProblem::param_after_token68:
            return concat({field.name, " ", value, ": the auth-param ", quote(error.element),
                           " follows a token68 challenge, which cannot have parameters; start a "
                           "new challenge with its scheme"});
    }
    return concat({field.name, " ", value, " is not a valid challenge list"});
}

const AuthParam* find_param(const Challenge& challenge, std::string_view name) {
    for (const AuthParam& param : challenge.params)
        if (grammar::iequals(param.name, name)) return &param;
    return nullptr;
}

void check_challenge(const HeadCheck& check, const ChallengeField& field,
                     const Challenge& challenge) {
    const std::size_t count = challenge.params.size();
    for (std::size_t i = 1; i < count; ++i) {
        bool duplicate = false;
        for (std::size_t j = 0; j < i && !duplicate; ++j)
            duplicate = grammar::iequals(challenge.params[i].name, challenge.params[j].name);
        if (duplicate) {
            check.sink.report(challenge_duplicate_param, [&] {
                return concat({field.name, " ", quote(challenge.field_value), ": the ",
                               challenge.scheme, " challenge repeats the auth-param ",
                               quote(challenge.params[i].name),
                               " (names are case-insensitive); send each parameter once"});
            });
            break;
        }
    }

    const AuthParam* realm = find_param(challenge, "realm");
    if (realm && !realm->quoted) {
        check.sink.report(realm_not_quoted, [&] {
            return concat({field.name, " ", quote(challenge.field_value), ": realm=",
                           realm->value, " is a token; send it as a quoted-string: realm=\"",
                           realm->value, "\""});
        });
    }

    if (!grammar::iequals(challenge.scheme, "Basic")) return;
    if (!realm) {
        check.sink.report(basic_missing_realm, [&] {
            return concat({field.name, " ", quote(challenge.field_value),
                           ": the Basic challenge has no realm; add one, e.g. Basic "
                           "realm=\"example\", charset=\"UTF-8\"",
                           guidance_suffix(check), guidance_text(check)});
        });
    }
    if (const AuthParam* charset = find_param(challenge, "charset");
        charset && !grammar::param_value_iequals(charset->value, "UTF-8")) {
        check.sink.report(basic_bad_charset, [&] {
            return concat({field.name, " ", quote(challenge.field_value),
                           ": the Basic challenge has charset=", charset->value,
                           "; the only allowed value is \"UTF-8\" (or leave charset out)"});
        });
    }
}

void check_challenge_field(const HeadCheck& check, const ChallengeField& field) {
    const RawHead& head = check.head;
    ChallengeParser parser;
    head.for_each(field.field, [&](const FieldLine& line) { parser.feed(line.value); });

    if (const auto& error = parser.error()) {
        check.sink.report(challenge_syntax, [&] {
            return concat({describe_syntax_error(field, *error), guidance_suffix(check),
                           guidance_text(check)});
        });
    }
    for (const Challenge& challenge : parser.challenges()) check_challenge(check, field, challenge);

    if (head.status() == field.status && parser.challenges().empty()) {
        check.sink.report(field.missing_rule, [&] {
            const std::string_view example =
                field.status == 401 ? "Basic realm=\"example\" (or Bearer)"
                                    : "Basic realm=\"proxy\"";
            if (!head.has(field.field))
                return concat({head.status_text(), " response has no ", field.name,
                               " header; send a challenge, e.g. ", field.name, ": ", example,
                               "; ", message::auth_guidance});
            return concat({head.status_text(), " response's ", field.name, " ",
                           quote(head.first(field.field)->value),
                           " holds no valid challenge; send e.g. ", field.name, ": ", example,
                           "; ", message::auth_guidance});
        });
    }
}

}  // namespace

static void check_authentication(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (head.has(KnownField::www_authenticate) || head.status() == 401)
        check_challenge_field(check, kWwwAuthenticate);
    if (head.has(KnownField::proxy_authenticate) || head.status() == 407)
        check_challenge_field(check, kProxyAuthenticate);
    if (head.status() == 407 && check.request.from_origin_in_reverse_mode) {
        check.sink.report(from_origin_407, [&] {
            return concat({"the origin answered 407 Proxy Authentication Required, which only a "
                           "proxy may send; an origin asks for credentials with 401 and "
                           "WWW-Authenticate; ",
                           message::auth_guidance});
        });
    }
}

namespace {
Rule* const authentication_rules[] = {&missing_www_authenticate_401, &missing_proxy_authenticate_407, &challenge_syntax, &challenge_duplicate_param, &realm_not_quoted, &basic_missing_realm, &basic_bad_charset, &from_origin_407};
}  // namespace

extern const Subject authentication_subject{"authentication", authentication_rules, check_authentication, nullptr, nullptr};

}  // namespace cproxy::check

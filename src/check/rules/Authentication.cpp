// Authentication challenges (RFC 9110 §11, RFC 7617, RFC 6750, RFC 7616): 401/407 must carry a
// challenge, the challenge list must parse, and Basic, Bearer and Digest have their own
// requirements; Authentication-Info carries auth-params only.
#include <string>

#include "check/parse/ChallengeParser.hpp"
#include "check/parse/Credentials.hpp"
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
constinit Rule bearer_challenge_missing_params{
    .id = "bearer-challenge-missing-params",
    .level = Level::error,
    .reference = "RFC 6750 §3",
    .summary = "Bearer challenge without any auth-param",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Bearer\n",
};
constinit Rule bearer_error_without_credentials{
    .id = "bearer-error-without-credentials",
    .level = Level::warning,
    .reference = "RFC 6750 §3.1",
    .summary = "401 Bearer challenge with an error code to a request that sent no token",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\n",
    .example_request = "GET /profile",
};
constinit Rule bearer_error_missing{
    .id = "bearer-error-missing",
    .level = Level::warning,
    .reference = "RFC 6750 §3.1",
    .summary = "401 Bearer challenge without an error code to a request that sent a Bearer token",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Bearer realm=\"api\"\n",
    .example_request = "GET /profile\nAuthorization: Bearer mF_9.B5f-4.1JqM",
};
constinit Rule bearer_error_status_mismatch{
    .id = "bearer-error-status-mismatch",
    .level = Level::warning,
    .reference = "RFC 6750 §3.1",
    .summary = "Bearer error code sent with a status other than its own (400, 401, 403)",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"admin\"\n",
    .example_request = "GET /admin\nAuthorization: Bearer mF_9.B5f-4.1JqM",
};
constinit Rule digest_challenge_missing_param{
    .id = "digest-challenge-missing-param",
    .level = Level::error,
    .reference = "RFC 7616 §3.3",
    .summary = "Digest challenge without realm or nonce",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-256\n",
};
constinit Rule digest_param_quoting{
    .id = "digest-param-quoting",
    .level = Level::error,
    .reference = "RFC 7616 §3.3, §3.4",
    .summary = "Digest parameter sent as a token where a quoted-string is required, or the reverse",
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Digest realm=\"api@example.org\", qop=auth, algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\"\n",
};
constinit Rule authentication_info_syntax{
    .id = "authentication-info-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §11.6.3, §11.7.3",
    .summary = "Authentication-Info / Proxy-Authentication-Info value is not #auth-param",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nAuthentication-Info: Digest rspauth=\"d3f7a9\", nextnonce=\"5f3c1a\"\nContent-Type: text/plain\nContent-Length: 2\n\nok",
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

// The value of a token or quoted-string parameter equals `expected` exactly (Bearer error codes
// are case-sensitive, RFC 6750 §3).
bool param_value_equals(const AuthParam& param, std::string_view expected) {
    if (!param.quoted) return param.value == expected;
    std::size_t j = 0;
    for (std::size_t i = 1; i + 1 < param.value.size(); ++i) {
        char c = param.value[i];
        if (c == '\\' && i + 2 < param.value.size()) c = param.value[++i];
        if (j >= expected.size() || c != expected[j]) return false;
        ++j;
    }
    return j == expected.size();
}

// RFC 7616 §3.3 / §3.4: which Digest parameters must be quoted-strings and which tokens.
struct DigestQuoting {
    std::string_view quoted[7];
    std::string_view unquoted[3];
};
constexpr DigestQuoting kDigestChallengeQuoting{{"domain", "nonce", "opaque", "qop"},
                                                {"stale", "algorithm"}};
constexpr DigestQuoting kDigestCredentialsQuoting{
    {"username", "realm", "nonce", "uri", "response", "cnonce", "opaque"},
    {"algorithm", "qop", "nc"}};

// The first parameter sent in the wrong form, with the name as the rule spells it.
struct DigestQuotingError {
    std::string_view name;
    bool should_be_quoted = false;
};
template <class Params>
std::optional<DigestQuotingError> find_digest_quoting_error(const Params& params,
                                                            const DigestQuoting& rules) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        const AuthParam& param = params[i];
        for (std::string_view name : rules.quoted)
            if (!name.empty() && !param.quoted && grammar::iequals(param.name, name))
                return DigestQuotingError{name, true};
        for (std::string_view name : rules.unquoted)
            if (!name.empty() && param.quoted && grammar::iequals(param.name, name))
                return DigestQuotingError{name, false};
    }
    return std::nullopt;
}

// params_cut: a syntax error later in the challenge's field line may have cut its parameters
// off (challenge-syntax reports it), so the *-missing rules stay silent.
void check_bearer_challenge(const HeadCheck& check, const ChallengeField& field,
                            const Challenge& challenge, bool params_cut) {
    if (challenge.params.empty()) {
        if (params_cut) return;
        check.sink.report(bearer_challenge_missing_params, [&] {
            return concat({field.name, " ", quote(challenge.field_value),
                           challenge.token68.empty()
                               ? ": the Bearer challenge has no auth-param"
                               : ": the Bearer challenge carries a token68 instead of auth-params",
                           "; Bearer must be followed by parameters, e.g. Bearer realm=\"api\"",
                           guidance_suffix(check), guidance_text(check)});
        });
        return;
    }
    if (field.field != KnownField::www_authenticate) return;
    const AuthParam* error = find_param(challenge, "error");
    if (!error) return;
    struct Code {
        std::string_view error;
        int status;
        std::string_view status_text;
    };
    static constexpr Code codes[] = {{"invalid_request", 400, "400 Bad Request"},
                                     {"invalid_token", 401, "401 Unauthorized"},
                                     {"insufficient_scope", 403, "403 Forbidden"}};
    for (const Code& code : codes) {
        if (!param_value_equals(*error, code.error) || check.head.status() == code.status) continue;
        check.sink.report(bearer_error_status_mismatch, [&] {
            return concat({"WWW-Authenticate ", quote(challenge.field_value), ": the Bearer error ",
                           code.error, " belongs with ", code.status_text, ", not ",
                           check.head.status_text(), "; send ", code.status_text,
                           " (or the error code that matches this status)",
                           guidance_suffix(check), guidance_text(check)});
        });
    }
}

void check_digest_challenge(const HeadCheck& check, const ChallengeField& field,
                            const Challenge& challenge, bool params_cut) {
    const bool has_realm = find_param(challenge, "realm") != nullptr;
    const bool has_nonce = find_param(challenge, "nonce") != nullptr;
    if ((!has_realm || !has_nonce) && !params_cut) {
        check.sink.report(digest_challenge_missing_param, [&] {
            return concat({field.name, " ", quote(challenge.field_value),
                           ": the Digest challenge has no ",
                           !has_realm && !has_nonce ? "realm and no nonce"
                           : !has_realm             ? "realm"
                                                    : "nonce",
                           "; both are required, e.g. Digest realm=\"api@example.org\", "
                           "nonce=\"7ypf/xlj9XXwfDPEoM4URrv\", qop=\"auth\", algorithm=SHA-256",
                           guidance_suffix(check), guidance_text(check)});
        });
    }
    if (const auto error =
            find_digest_quoting_error(challenge.params, kDigestChallengeQuoting)) {
        check.sink.report(digest_param_quoting, [&] {
            return concat({field.name, " ", quote(challenge.field_value), ": the Digest ",
                           error->name,
                           error->should_be_quoted
                               ? " parameter is a token; send it as a quoted-string, e.g. "
                               : " parameter is a quoted-string; send it as a token, e.g. ",
                           error->should_be_quoted ? concat({error->name, "=\"...\""})
                                                   : concat({error->name, "=..."})});
        });
    }
}

void check_challenge(const HeadCheck& check, const ChallengeField& field,
                     const Challenge& challenge, const std::optional<ChallengeSyntaxError>& error) {
    const bool params_cut = error && error->field_value.data() == challenge.field_value.data();
    if (grammar::iequals(challenge.scheme, "Bearer"))
        check_bearer_challenge(check, field, challenge, params_cut);
    if (grammar::iequals(challenge.scheme, "Digest"))
        check_digest_challenge(check, field, challenge, params_cut);

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

// Whether the request-target's query has an `access_token` parameter (RFC 6750 §2.3).
bool query_has_access_token(std::string_view target) {
    const std::size_t question = target.find('?');
    if (question == std::string_view::npos) return false;
    std::string_view query = target.substr(question + 1);
    while (true) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.substr(0, pair.find('=')) == "access_token") return true;
        if (amp == std::string_view::npos) return false;
        query.remove_prefix(amp + 1);
    }
}

// A form-encoded body may carry the token (RFC 6750 §2.2); it is not read, so such requests
// count as carrying authentication information.
bool may_carry_form_token(const RawHead& request) {
    const FieldLine* type = request.first(KnownField::content_type);
    if (!type) return false;
    const std::string_view media_type = grammar::trim_ows(type->value.substr(0, type->value.find(';')));
    return grammar::iequals(media_type, "application/x-www-form-urlencoded");
}

// bearer-error-without-credentials / bearer-error-missing: a 401's Bearer error code against
// what the request sent (RFC 6750 §3.1).
void check_bearer_error_against_request(const HeadCheck& check, const ChallengeParser& parser) {
    const Challenge* bearer = nullptr;      // the first Bearer challenge
    const AuthParam* error = nullptr;       // the first error code of a Bearer challenge
    const Challenge* with_error = nullptr;  // the challenge that carries it
    for (const Challenge& challenge : parser.challenges()) {
        if (!grammar::iequals(challenge.scheme, "Bearer")) continue;
        if (!bearer) bearer = &challenge;
        if (!error && (error = find_param(challenge, "error"))) with_error = &challenge;
    }
    if (!bearer) return;
    const RawHead* request = check.request_head();
    if (!request) return;
    const FieldLine* authorization = request->first(KnownField::authorization);
    if (error) {
        if (authorization || query_has_access_token(check.request.target) ||
            may_carry_form_token(*request))
            return;
        check.sink.report(bearer_error_without_credentials, [&] {
            return concat({"WWW-Authenticate ", quote(with_error->field_value),
                           ": the request carried no access token, yet the Bearer challenge says "
                           "error=", error->value,
                           "; when no authentication was sent, send the challenge without an "
                           "error code (e.g. Bearer realm=\"api\"); ",
                           message::auth_guidance});
        });
        return;
    }
    if (!authorization) return;
    const std::string_view value = authorization->value;
    if (!grammar::iequals(value.substr(0, grammar::token_length(value, 0)), "Bearer")) return;
    check.sink.report(bearer_error_missing, [&] {
        return concat({"WWW-Authenticate ", quote(bearer->field_value),
                       ": the request sent a Bearer token, but the challenge does not say why it "
                       "failed; add an error code, e.g. Bearer realm=\"api\", "
                       "error=\"invalid_token\" (expired, revoked or malformed token); ",
                       message::auth_guidance});
    });
}

void check_authentication_info(const HeadCheck& check, KnownField field, std::string_view name) {
    check.head.for_each(field, [&](const FieldLine& line) {
        std::string_view bad;
        grammar::for_each_list_element(line.value, [&](std::string_view element) {
            if (element.empty() || parse_auth_param(element)) return true;
            bad = element;
            return false;
        });
        if (bad.empty()) return;
        check.sink.report(authentication_info_syntax, [&] {
            const std::size_t token_end = grammar::token_length(bad, 0);
            const bool scheme_in_front = token_end > 0 && token_end < bad.size() && bad[token_end] == ' ' &&
                                         parse_auth_param(grammar::trim_ows(bad.substr(token_end)));
            return concat({name, " ", quote(line.value), ": ", quote(bad),
                           scheme_in_front
                               ? " starts with an auth-scheme; this field carries only the "
                                 "parameters, e.g. "
                               : " is not an auth-param (name=token or name=\"quoted-string\"); "
                                 "send e.g. ",
                           name, ": rspauth=\"d3f7a9\", nextnonce=\"5f3c1a\""});
        });
    });
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
    for (const Challenge& challenge : parser.challenges())
        check_challenge(check, field, challenge, parser.error());
    if (field.field == KnownField::www_authenticate && head.status() == 401)
        check_bearer_error_against_request(check, parser);

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
    if (head.has(KnownField::authentication_info))
        check_authentication_info(check, KnownField::authentication_info, "Authentication-Info");
    if (head.has(KnownField::proxy_authentication_info))
        check_authentication_info(check, KnownField::proxy_authentication_info,
                                  "Proxy-Authentication-Info");
    if (head.status() == 407 && check.request.from_origin_in_reverse_mode) {
        check.sink.report(from_origin_407, [&] {
            return concat({"the origin answered 407 Proxy Authentication Required, which only a "
                           "proxy may send; an origin asks for credentials with 401 and "
                           "WWW-Authenticate; ",
                           message::auth_guidance});
        });
    }
}

// Digest credentials (RFC 7616 §3.4) the client sent: the quoting rules are the client's to
// follow. Values are credentials: messages name the parameter only.
static void check_authentication_request(const RequestCheck& check) {
    const auto check_field = [&](KnownField field, std::string_view name) {
        check.head.for_each(field, [&](const FieldLine& line) {
            const Credentials credentials = parse_credentials(line.value);
            if (credentials.problem != CredentialsProblem::none ||
                !grammar::iequals(credentials.scheme, "Digest"))
                return;
            const auto error = find_digest_quoting_error(credentials.params, kDigestCredentialsQuoting);
            if (!error) return;
            check.sink.report(digest_param_quoting, [&] {
                return concat({"request: the Digest credentials in ", name, " send ", error->name,
                               error->should_be_quoted
                                   ? " as a token; send it as a quoted-string ("
                                   : " as a quoted-string; send it as a token (",
                               error->name,
                               error->should_be_quoted ? "=\"...\")" : "=...)",
                               " (value not shown: it is part of the credentials)"});
            });
        });
    };
    check_field(KnownField::authorization, "Authorization");
    check_field(KnownField::proxy_authorization, "Proxy-Authorization");
}

namespace {
Rule* const authentication_rules[] = {
    &missing_www_authenticate_401, &missing_proxy_authenticate_407, &challenge_syntax,
    &challenge_duplicate_param, &realm_not_quoted, &basic_missing_realm, &basic_bad_charset,
    &from_origin_407, &bearer_challenge_missing_params, &bearer_error_without_credentials,
    &bearer_error_missing, &bearer_error_status_mismatch, &digest_challenge_missing_param,
    &digest_param_quoting, &authentication_info_syntax};
}  // namespace

extern const Subject authentication_subject{"authentication", authentication_rules, check_authentication, nullptr, check_authentication_request};

}  // namespace cproxy::check

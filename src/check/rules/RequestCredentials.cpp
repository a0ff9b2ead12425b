// Credentials the client sends (RFC 9110 §11.4, §11.6.2, §11.7.2; RFC 7617 §2; RFC 6750 §2.1):
// the Authorization / Proxy-Authorization grammar, and what Basic and Bearer credentials must
// look like. The values are secrets: messages name the field and a known scheme, never the
// value.
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/Credentials.hpp"

namespace cproxy::check {
namespace {

constinit Rule authorization_syntax{
    .id = "authorization-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §11.4, §11.6.2, §11.7.2",
    .summary = "request: Authorization / Proxy-Authorization is not auth-scheme [ 1*SP ( token68 / #auth-param ) ]",
    .side = Side::request,
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Token realm=\"api\"\nContent-Length: 0\n",
    .example_request = "GET /profile\nAuthorization: Token abc,def",
};
constinit Rule basic_credentials_invalid{
    .id = "basic-credentials-invalid",
    .level = Level::error,
    .reference = "RFC 7617 §2",
    .summary = "request: Basic credentials are not base64(user-id \":\" password)",
    .side = Side::request,
    .example = "HTTP/1.1 401 Unauthorized\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Basic realm=\"api\", charset=\"UTF-8\"\nContent-Length: 0\n",
    .example_request = "GET /profile\nAuthorization: Basic dXNlcg==",
};
constinit Rule bearer_credentials_syntax{
    .id = "bearer-credentials-syntax",
    .level = Level::error,
    .reference = "RFC 6750 §2.1",
    .summary = "request: Bearer credentials are not exactly one b64token",
    .side = Side::request,
    .example = "HTTP/1.1 400 Bad Request\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_request\"\nContent-Length: 0\n",
    .example_request = "GET /profile\nAuthorization: Bearer token=\"mF_9.B5f-4.1JqM\"",
};

using message::concat;

constexpr std::string_view kNotShown = " (value not shown: it holds credentials)";

// " Basic" for a known scheme, "" otherwise (an unknown "scheme" may be a bare secret).
std::string scheme_phrase(std::string_view scheme) {
    const std::string_view known = nameable_auth_scheme(scheme);
    return known.empty() ? std::string() : concat({" ", known});
}

enum class BasicProblem { none, no_token68, not_base64_alphabet, bad_length, no_colon };

constexpr int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// RFC 4648 §4 base64 (padding only at the end, length a multiple of 4) of text holding ':'.
BasicProblem judge_basic(std::string_view token68) {
    if (token68.empty()) return BasicProblem::no_token68;
    std::size_t data = token68.size();
    while (data > 0 && token68[data - 1] == '=') --data;  // token68 has '=' only at its end
    for (std::size_t i = 0; i < data; ++i)
        if (base64_value(token68[i]) < 0) return BasicProblem::not_base64_alphabet;
    if (token68.size() % 4 != 0 || token68.size() - data > 2) return BasicProblem::bad_length;
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (std::size_t i = 0; i < data; ++i) {
        bits = (bits << 6) | static_cast<std::uint32_t>(base64_value(token68[i]));
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            if (((bits >> bit_count) & 0xFF) == ':') return BasicProblem::none;
        }
    }
    return BasicProblem::no_colon;
}

std::string describe_syntax(std::string_view field, const Credentials& credentials) {
    switch (credentials.problem) {
        case CredentialsProblem::empty:
            return concat({"request: ", field, " is empty; send a scheme and credentials, e.g. ",
                           field, ": Basic base64(user-id:password), or leave the field out"});
        case CredentialsProblem::no_auth_scheme:
            return concat({"request: ", field,
                           " does not start with an auth-scheme token; send a scheme, a space and "
                           "the credentials, e.g. ",
                           field, ": Bearer <token>", kNotShown});
        case CredentialsProblem::no_space_after_scheme:
            return concat({"request: in ", field, " the", scheme_phrase(credentials.scheme),
                           " auth-scheme is not followed by a space; send the scheme, one space "
                           "and the credentials",
                           kNotShown});
        case CredentialsProblem::bad_credentials:
        case CredentialsProblem::none:
            break;
    }
    return concat({"request: after the", scheme_phrase(credentials.scheme), " scheme, ", field,
                   " holds neither one token68 (e.g. base64 text) nor a comma-separated list of "
                   "name=value parameters (a space, a quoted token or an extra word breaks it)",
                   kNotShown});
}

std::string describe_basic(std::string_view field, BasicProblem problem) {
    const std::string_view what =
        problem == BasicProblem::no_token68 ? " are not a single base64 token"
        : problem == BasicProblem::not_base64_alphabet
            ? " hold characters outside the base64 alphabet (A-Z a-z 0-9 + / and = padding)"
        : problem == BasicProblem::bad_length
            ? " are not valid base64: the length is not a multiple of 4 or the padding is wrong"
            : " decode to text without a ':' between user-id and password";
    return concat({"request: the Basic credentials in ", field, what,
                   "; send Basic followed by base64(\"user-id:password\"), e.g. Basic "
                   "QWxhZGRpbjpvcGVuIHNlc2FtZQ== for Aladdin:open sesame",
                   kNotShown});
}

void check_credentials_field(const RequestCheck& check, KnownField field, std::string_view name) {
    check.head.for_each(field, [&](const FieldLine& line) {
        const Credentials credentials = parse_credentials(line.value);
        if (credentials.problem != CredentialsProblem::none) {
            check.sink.report(authorization_syntax, [&] { return describe_syntax(name, credentials); });
            return;
        }
        if (grammar::iequals(credentials.scheme, "Basic")) {
            const BasicProblem problem = judge_basic(credentials.token68);
            if (problem != BasicProblem::none)
                check.sink.report(basic_credentials_invalid, [&] { return describe_basic(name, problem); });
        } else if (grammar::iequals(credentials.scheme, "Bearer") && credentials.token68.empty()) {
            check.sink.report(bearer_credentials_syntax, [&] {
                return concat({"request: the Bearer credentials in ", name,
                               credentials.params.empty() ? " are missing the token"
                                                          : " are name=value parameters, not a token",
                               "; send Bearer, one space and the access token itself, e.g. ", name,
                               ": Bearer mF_9.B5f-4.1JqM", kNotShown});
            });
        }
    });
}

}  // namespace

static void check_request_credentials(const RequestCheck& check) {
    check_credentials_field(check, KnownField::authorization, "Authorization");
    check_credentials_field(check, KnownField::proxy_authorization, "Proxy-Authorization");
}

namespace {
Rule* const request_credentials_rules[] = {&authorization_syntax, &basic_credentials_invalid,
                                           &bearer_credentials_syntax};
}  // namespace

extern const Subject request_credentials_subject{"request-credentials", request_credentials_rules,
                                                 nullptr, nullptr, check_request_credentials};

}  // namespace cproxy::check

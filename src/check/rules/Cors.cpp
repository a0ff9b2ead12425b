// CORS response fields (WHATWG Fetch, "HTTP new-header syntax", CORS protocol and CORS check)
// and the request's Origin (RFC 6454 §7.1).
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"
#include "check/parse/Origin.hpp"

namespace cproxy::check {
namespace {

constinit Rule allow_origin_multiple{
    .id = "cors-allow-origin-multiple",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax; CORS check",
    .summary = "Access-Control-Allow-Origin on several lines or as a comma-separated list",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Access-Control-Allow-Origin: https://a.example, https://b.example\nVary: Origin\n",
    .example_request = "GET /api/items\nOrigin: https://a.example",
};
constinit Rule allow_origin_syntax{
    .id = "cors-allow-origin-syntax",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax; Origin header",
    .summary = "Access-Control-Allow-Origin is not *, null or scheme://host[:port]",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Access-Control-Allow-Origin: https://app.example/\n",
    .example_request = "GET /api/items\nOrigin: https://app.example",
};
constinit Rule credentials_with_wildcard_origin{
    .id = "cors-credentials-with-wildcard-origin",
    .level = Level::warning,
    .reference = "Fetch, CORS protocol and credentials; CORS check",
    .summary = "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true\n",
    .example_request = "GET /api/me\nOrigin: https://app.example",
};
constinit Rule allow_credentials_invalid{
    .id = "cors-allow-credentials-invalid",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax",
    .summary = "Access-Control-Allow-Credentials other than exactly true",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Credentials: True\n"
               "Vary: Origin\n",
    .example_request = "GET /api/me\nOrigin: https://app.example",
};
constinit Rule origin_echo_without_vary{
    .id = "cors-origin-echo-without-vary",
    .level = Level::info,
    .reference = "Fetch, CORS protocol and HTTP caches; RFC 9110 §12.5.5",
    .summary = "Access-Control-Allow-Origin echoes the request's Origin but Vary lacks Origin",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Cache-Control: max-age=60\nAccess-Control-Allow-Origin: https://app.example\n",
    .example_request = "GET /api/items\nOrigin: https://app.example",
};
constinit Rule allow_methods_syntax{
    .id = "cors-allow-methods-syntax",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax",
    .summary = "Access-Control-Allow-Methods is not #method",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Methods: GET POST\n"
               "Vary: Origin\n",
    .example_request = "OPTIONS /api/items\nOrigin: https://app.example\nAccess-Control-Request-Method: POST",
};
constinit Rule allow_headers_syntax{
    .id = "cors-allow-headers-syntax",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax",
    .summary = "Access-Control-Allow-Headers is not #field-name",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Methods: PUT\n"
               "Access-Control-Allow-Headers: Content Type\nVary: Origin\n",
    .example_request = "OPTIONS /api/items/7\nOrigin: https://app.example\nAccess-Control-Request-Method: PUT\n"
                       "Access-Control-Request-Headers: content-type",
};
constinit Rule expose_headers_syntax{
    .id = "cors-expose-headers-syntax",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax",
    .summary = "Access-Control-Expose-Headers is not #field-name",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Access-Control-Allow-Origin: *\nAccess-Control-Expose-Headers: X-Total-Count X-Page\n",
    .example_request = "GET /api/items\nOrigin: https://app.example",
};
constinit Rule max_age_syntax{
    .id = "cors-max-age-syntax",
    .level = Level::error,
    .reference = "Fetch, HTTP new-header syntax; RFC 9111 §1.2.2",
    .summary = "Access-Control-Max-Age is not delta-seconds",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Methods: PUT\n"
               "Access-Control-Max-Age: 1h\nVary: Origin\n",
    .example_request = "OPTIONS /api/items/7\nOrigin: https://app.example\nAccess-Control-Request-Method: PUT",
};
constinit Rule preflight_missing_allow_origin{
    .id = "cors-preflight-missing-allow-origin",
    .level = Level::warning,
    .reference = "Fetch, CORS-preflight fetch; CORS check",
    .summary = "2xx preflight answer with Allow-Methods/-Headers but no Access-Control-Allow-Origin",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Access-Control-Allow-Methods: GET, PUT, DELETE\nAccess-Control-Allow-Headers: Content-Type\n",
    .example_request = "OPTIONS /api/items/7\nOrigin: https://app.example\nAccess-Control-Request-Method: PUT",
};
constinit Rule list_wildcard_with_credentials{
    .id = "cors-list-wildcard-with-credentials",
    .level = Level::warning,
    .reference = "Fetch, HTTP responses (CORS), CORS-preflight fetch",
    .summary = "* in Allow-Methods/-Headers or Expose-Headers while Allow-Credentials is true",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Access-Control-Allow-Origin: https://app.example\nAccess-Control-Allow-Credentials: true\n"
               "Access-Control-Allow-Methods: *\nVary: Origin\n",
    .example_request = "OPTIONS /api/items/7\nOrigin: https://app.example\nAccess-Control-Request-Method: PUT",
};
constinit Rule preflight_authorization_not_allowed{
    .id = "cors-preflight-authorization-not-allowed",
    .level = Level::warning,
    .reference = "Fetch, CORS-preflight fetch (\"CORS non-wildcard request-header name\")",
    .summary = "preflight asks for Authorization; Access-Control-Allow-Headers has * but not authorization",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET\n"
               "Access-Control-Allow-Headers: *\n",
    .example_request = "OPTIONS /api/me\nOrigin: https://app.example\nAccess-Control-Request-Method: GET\n"
                       "Access-Control-Request-Headers: authorization",
};
constinit Rule origin_syntax{
    .id = "origin-syntax",
    .level = Level::error,
    .reference = "RFC 6454 §7.1",
    .summary = "request: Origin is neither null nor a list of scheme://host[:port]",
    .side = Side::request,
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n",
    .example_request = "GET /api/items\nOrigin: https://app.example/",
};

using message::concat;
using message::quote;

// Access-Control-Allow-Credentials is exactly `true`: one line, case-sensitive.
bool credentials_true(const RawHead& head) noexcept {
    return head.count(KnownField::access_control_allow_credentials) == 1 &&
           head.first(KnownField::access_control_allow_credentials)->value == "true";
}

std::size_t non_empty_elements(std::string_view value) noexcept {
    std::size_t n = 0;
    grammar::for_each_list_element(value, [&](std::string_view element) {
        if (!element.empty()) ++n;
        return true;
    });
    return n;
}

bool has_no_store(const RawHead& head) {
    return any_element(head, KnownField::cache_control, [](std::string_view directive) {
        return grammar::iequals(grammar::trim_ows(directive.substr(0, directive.find('='))),
                                "no-store");
    });
}

bool vary_covers_origin(const RawHead& head) {
    return any_element(head, KnownField::vary, [](std::string_view name) {
        return name == "*" || grammar::iequals(name, "origin");
    });
}

// A preflight: OPTIONS with both Origin and Access-Control-Request-Method.
const RawHead* preflight_request(const HeadCheck& check) {
    if (check.request.method != "OPTIONS") return nullptr;
    const RawHead* request = check.request_head();
    if (!request || !request->has(KnownField::origin) ||
        !request->has(KnownField::access_control_request_method))
        return nullptr;
    return request;
}

// #method and #field-name: both are `token` lists in which empty elements are allowed.
void check_token_list(const HeadCheck& check, KnownField field, const Rule& rule,
                      std::string_view name, std::string_view what, std::string_view example) {
    check.head.for_each(field, [&](const FieldLine& line) {
        std::string_view bad;
        const bool ok = grammar::for_each_list_element(line.value, [&](std::string_view element) {
            if (element.empty() || grammar::is_token(element)) return true;
            bad = element;
            return false;
        });
        if (ok) return;
        check.sink.report(rule, [&] {
            return concat({name, " ", quote(line.value), ": ", quote(bad), " is not a ", what,
                           "; separate the names with commas, e.g. ", name, ": ", example});
        });
    });
}

void check_allow_origin(const HeadCheck& check) {
    const RawHead& head = check.head;
    const std::size_t lines = head.count(KnownField::access_control_allow_origin);
    if (lines == 0) return;
    const FieldLine& first = *head.first(KnownField::access_control_allow_origin);
    if (lines > 1) {
        check.sink.report(allow_origin_multiple, [&] {
            return sent_on_lines("Access-Control-Allow-Origin", lines, first,
                                 "; browsers fail the CORS check on more than one value: send one "
                                 "line with the request's origin (and Vary: Origin) or *");
        });
        return;
    }
    if (non_empty_elements(first.value) > 1) {
        check.sink.report(allow_origin_multiple, [&] {
            return concat({"Access-Control-Allow-Origin ", quote(first.value),
                           " is a list; browsers fail the CORS check on it: send only the one "
                           "origin that made the request (echo its Origin when allowed, with "
                           "Vary: Origin) or *"});
        });
        return;
    }
    const std::string_view value = first.value;
    if (value == "*" || value == "null") return;
    const OriginParse parsed = parse_origin(value);
    if (parsed) return;
    check.sink.report(allow_origin_syntax, [&] {
        if (value.empty())
            return std::string(
                "Access-Control-Allow-Origin is empty; send the request's origin "
                "(scheme://host[:port], e.g. https://app.example), null or *");
        return concat({"Access-Control-Allow-Origin ", quote(value), " ", describe(parsed.problem),
                       "; browsers compare it byte for byte with the serialized origin, so send "
                       "exactly scheme://host[:port] (e.g. https://app.example, no path, no "
                       "quotes), null or *"});
    });
}

void check_credentials(const HeadCheck& check) {
    const RawHead& head = check.head;
    const std::size_t lines = head.count(KnownField::access_control_allow_credentials);
    if (lines == 0) return;
    const FieldLine& first = *head.first(KnownField::access_control_allow_credentials);
    if (lines == 1 && first.value == "true") {
        const FieldLine* origin = head.first(KnownField::access_control_allow_origin);
        if (origin && head.count(KnownField::access_control_allow_origin) == 1 && origin->value == "*") {
            check.sink.report(credentials_with_wildcard_origin, [&] {
                return std::string(
                    "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true "
                    "never authorizes a credentialed request; echo the request's Origin instead "
                    "(with Vary: Origin), or drop Access-Control-Allow-Credentials");
            });
        }
        return;
    }
    check.sink.report(allow_credentials_invalid, [&] {
        if (lines > 1)
            return sent_on_lines("Access-Control-Allow-Credentials", lines, first,
                                 "; send it once with exactly true, or omit it to deny credentials");
        return concat({"Access-Control-Allow-Credentials ", quote(first.value),
                       " is not exactly true (case-sensitive); send true to allow credentials, "
                       "or omit the field to deny them"});
    });
}

void check_origin_echo(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (head.count(KnownField::access_control_allow_origin) != 1) return;
    const std::string_view allowed = head.first(KnownField::access_control_allow_origin)->value;
    if (allowed == "*" || allowed == "null" || allowed.empty()) return;
    const RawHead* request = check.request_head();
    if (!request) return;
    const FieldLine* origin = request->first(KnownField::origin);
    if (!origin || origin->value != allowed) return;
    if (vary_covers_origin(head) || has_no_store(head)) return;
    check.sink.report(origin_echo_without_vary, [&] {
        return concat({"Access-Control-Allow-Origin ", quote(allowed),
                       " repeats the request's Origin but Vary does not list Origin; if the value "
                       "depends on the request's Origin, add Vary: Origin so caches do not serve "
                       "one origin's grant to another"});
    });
}

void check_max_age(const HeadCheck& check) {
    const RawHead& head = check.head;
    const std::size_t lines = head.count(KnownField::access_control_max_age);
    if (lines == 0) return;
    const FieldLine& first = *head.first(KnownField::access_control_max_age);
    if (lines == 1 && grammar::is_digits(first.value)) return;
    check.sink.report(max_age_syntax, [&] {
        if (lines > 1)
            return sent_on_lines("Access-Control-Max-Age", lines, first,
                                 "; send one value, the number of seconds, e.g. 600");
        return concat({"Access-Control-Max-Age ", quote(first.value),
                       " is not delta-seconds (digits only); send the number of seconds the "
                       "preflight may be cached, e.g. 600"});
    });
}

void check_preflight(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (head.status_class() != 2) return;
    const RawHead* request = preflight_request(check);
    if (!request) return;
    const FieldLine& origin = *request->first(KnownField::origin);
    if (!head.has(KnownField::access_control_allow_origin)) {
        if (head.has(KnownField::access_control_allow_methods) ||
            head.has(KnownField::access_control_allow_headers)) {
            check.sink.report(preflight_missing_allow_origin, [&] {
                return concat({"the 2xx answer to a preflight from Origin ", quote(origin.value),
                               " carries Access-Control-Allow-Methods/-Headers but no "
                               "Access-Control-Allow-Origin, so the preflight fails; add "
                               "Access-Control-Allow-Origin with that origin (and Vary: Origin) "
                               "or *"});
            });
        }
        return;
    }
    const auto is_authorization = [](std::string_view name) {
        return grammar::iequals(name, "authorization");
    };
    if (!any_element(*request, KnownField::access_control_request_headers, is_authorization)) return;
    if (!any_element(head, KnownField::access_control_allow_headers,
                     [](std::string_view name) { return name == "*"; }))
        return;
    if (any_element(head, KnownField::access_control_allow_headers, is_authorization)) return;
    check.sink.report(preflight_authorization_not_allowed, [&] {
        const FieldLine& asked = *request->first(KnownField::access_control_request_headers);
        return concat({"the preflight asks for Authorization (Access-Control-Request-Headers ",
                       quote(asked.value), ") and Access-Control-Allow-Headers ",
                       quote(head.first(KnownField::access_control_allow_headers)->value),
                       " only has *, which never covers Authorization; the actual request will be "
                       "blocked: list authorization in Access-Control-Allow-Headers"});
    });
}

void check_list_wildcards(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!credentials_true(head)) return;
    const auto is_star = [](std::string_view element) { return element == "*"; };
    const bool methods = any_element(head, KnownField::access_control_allow_methods, is_star);
    const bool headers = any_element(head, KnownField::access_control_allow_headers, is_star);
    const bool exposed = any_element(head, KnownField::access_control_expose_headers, is_star);
    if (!methods && !headers && !exposed) return;
    check.sink.report(list_wildcard_with_credentials, [&] {
        std::string fields;
        for (auto [has, name] : {std::pair{methods, "Access-Control-Allow-Methods"},
                                 std::pair{headers, "Access-Control-Allow-Headers"},
                                 std::pair{exposed, "Access-Control-Expose-Headers"}}) {
            if (!has) continue;
            if (!fields.empty()) fields += ", ";
            fields += name;
        }
        return concat({fields, " lists * while Access-Control-Allow-Credentials is true; with "
                               "credentials * is a literal name, not a wildcard, so the grant "
                               "does not do what it says: list the methods and header names "
                               "explicitly"});
    });
}

}  // namespace

static void check_cors(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::access_control_allow_origin) &&
        !head.has(KnownField::access_control_allow_credentials) &&
        !head.has(KnownField::access_control_allow_methods) &&
        !head.has(KnownField::access_control_allow_headers) &&
        !head.has(KnownField::access_control_expose_headers) &&
        !head.has(KnownField::access_control_max_age))
        return;
    if (head.status_class() == 1) return;  // final responses only
    check_allow_origin(check);
    check_credentials(check);
    check_origin_echo(check);
    check_token_list(check, KnownField::access_control_allow_methods, allow_methods_syntax,
                     "Access-Control-Allow-Methods", "method token", "GET, POST");
    check_token_list(check, KnownField::access_control_allow_headers, allow_headers_syntax,
                     "Access-Control-Allow-Headers", "field name", "Content-Type, X-Token");
    check_token_list(check, KnownField::access_control_expose_headers, expose_headers_syntax,
                     "Access-Control-Expose-Headers", "field name", "X-Total-Count, X-Page");
    check_max_age(check);
    check_preflight(check);
    check_list_wildcards(check);
}

// Origin = "null" / serialized-origin *( SP serialized-origin ) (RFC 6454 §7.1), per line.
static void check_origin_request(const RequestCheck& check) {
    check.head.for_each(KnownField::origin, [&](const FieldLine& line) {
        const std::string_view value = line.value;
        if (value == "null") return;
        OriginProblem problem = OriginProblem::none;
        std::size_t start = 0;
        while (problem == OriginProblem::none) {
            const std::size_t space = value.find(' ', start);
            problem = parse_origin(value.substr(start, space - start)).problem;
            if (space == std::string_view::npos) break;
            start = space + 1;
        }
        if (problem == OriginProblem::none) return;
        check.sink.report(origin_syntax, [&] {
            if (value.empty())
                return std::string(
                    "request: Origin is empty; send the origin of the page (scheme://host[:port], "
                    "e.g. https://app.example) or null");
            return concat({"request: Origin ", quote(value), " ", describe(problem),
                           "; send null (lowercase) or scheme://host[:port] with no path, e.g. "
                           "https://app.example"});
        });
    });
}

namespace {
Rule* const cors_rules[] = {
    &allow_origin_multiple,        &allow_origin_syntax,
    &credentials_with_wildcard_origin, &allow_credentials_invalid,
    &origin_echo_without_vary,     &allow_methods_syntax,
    &allow_headers_syntax,         &expose_headers_syntax,
    &max_age_syntax,               &preflight_missing_allow_origin,
    &list_wildcard_with_credentials, &preflight_authorization_not_allowed,
    &origin_syntax,
};
}  // namespace

extern const Subject cors_subject{"cors", cors_rules, check_cors, nullptr, check_origin_request};

}  // namespace cproxy::check

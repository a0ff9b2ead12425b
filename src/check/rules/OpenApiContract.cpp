// Part C of RULES-v2: each exchange against the API's own description (--openapi FILE).
// The description is matched and read through check::Contract (contract.hpp); loading it, path
// matching and JSON Schema validation live in src/openapi. Without a contract nothing here runs.
#include <algorithm>
#include <string>
#include <vector>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/JsonContent.hpp"
#include "check/parse/ChallengeParser.hpp"
#include "check/rules/ContentCommon.hpp"
#include "conformance_proxy/check/contract.hpp"

namespace cproxy::check {
namespace {

constinit Rule undeclared_path{
    .id = "openapi-undeclared-path",
    .level = Level::warning,
    .reference = "OpenAPI 3.1 §4.8.8",
    .summary = "request path matches no path template of the API description",
    .example = "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 2\n\n{}",
    .example_request = "GET /v1/owners",
    .needs_contract = true,
};
constinit Rule undeclared_method{
    .id = "openapi-undeclared-method",
    .level = Level::warning,
    .reference = "OpenAPI 3.1 §4.8.9",
    .summary = "2xx to a method the matched path does not describe",
    .example = "HTTP/1.1 204 No Content\n",
    .example_request = "PATCH /v1/pets/7",
    .needs_contract = true,
};
constinit Rule undeclared_status{
    .id = "openapi-undeclared-status",
    .level = Level::warning,
    .reference = "OpenAPI 3.1 §4.8.16, §4.8.17",
    .summary = "status neither declared, nor covered by a range or default",
    .example = "HTTP/1.1 418 I'm a teapot\nContent-Length: 0\n",
    .example_request = "GET /v1/pets/7",
    .needs_contract = true,
};
constinit Rule undeclared_content_type{
    .id = "openapi-undeclared-content-type",
    .level = Level::warning,
    .reference = "OpenAPI 3.1 §4.8.17, §4.8.14",
    .summary = "Content-Type not among the response's declared media types",
    .example = "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 5\n\n<p>7</p>",
    .example_request = "GET /v1/pets/7",
    .needs_contract = true,
};
constinit Rule response_schema{
    .id = "openapi-response-schema",
    .level = Level::error,
    .reference = "OpenAPI 3.1 §4.8.14, §4.8.24 (JSON Schema 2020-12; 3.0: its Schema Object)",
    .summary = "JSON body does not validate against the declared schema",
    .example = "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 13\n\n{\"id\":\"seven\"}",
    .example_request = "GET /v1/pets/7",
    .needs_contract = true,
};
constinit Rule missing_response_header{
    .id = "openapi-missing-response-header",
    .level = Level::error,
    .reference = "OpenAPI 3.1 §4.8.21",
    .summary = "a header the response declares as required is missing",
    .example = "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 2\n\n[]",
    .example_request = "GET /v1/pets",
    .needs_contract = true,
};
constinit Rule allow_mismatch{
    .id = "openapi-allow-mismatch",
    .level = Level::warning,
    .reference = "RFC 9110 §10.2.1; OpenAPI 3.1 §4.8.9",
    .summary = "Allow differs from the operations the path describes",
    .example = "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0\n",
    .example_request = "PATCH /v1/pets/7",
    .needs_contract = true,
};
constinit Rule declared_method_refused{
    .id = "openapi-declared-method-refused",
    .level = Level::warning,
    .reference = "RFC 9110 §15.5.6; OpenAPI 3.1 §4.8.9",
    .summary = "405 to a method the path describes",
    .example = "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0\n",
    .example_request = "DELETE /v1/pets/7",
    .needs_contract = true,
};
constinit Rule challenge_scheme_mismatch{
    .id = "openapi-challenge-scheme-mismatch",
    .level = Level::warning,
    .reference = "RFC 9110 §11.6.1; OpenAPI 3.1 §4.8.27, §4.8.30",
    .summary = "401 challenge offers none of the declared HTTP security schemes",
    .example = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"pets\"\nContent-Length: 0\n",
    .example_request = "DELETE /v1/pets/7",
    .needs_contract = true,
};

using message::concat;
using message::quote;

// The exchange as the description sees it: the path item and operation it matched.
struct ContractMatch {
    const ContractPath* path = nullptr;
    const ContractOperation* operation = nullptr;  // null: the method is not described
    bool head_as_get = false;                      // a HEAD judged by the path's GET operation
};

std::optional<ContractMatch> match_exchange(const HeadCheck& check) {
    if (!check.contract || check.request.method.empty() || check.request.target.empty()) return std::nullopt;
    const std::string_view path = request_path(check.request.target);
    if (path.empty() || path.front() != '/') return std::nullopt;  // CONNECT, "*"
    ContractMatch match;
    match.path = check.contract->match(path);
    if (!match.path) return match;
    match.operation = match.path->operation(check.request.method);
    // HEAD is GET without content (RFC 9110 §9.3.2): servers answer it wherever GET is described.
    if (!match.operation && check.request.method == "HEAD") {
        match.operation = match.path->operation("GET");
        match.head_as_get = match.operation != nullptr;
    }
    return match;
}

bool has_field(const RawHead& head, std::string_view name) {
    for (const FieldLine& line : head.fields())
        if (grammar::iequals(line.name, name)) return true;
    return false;
}

// Content follows the head: a positive Content-Length, chunked framing, or (no length at all) a
// typed close-delimited body.
bool content_follows(const HeadCheck& check) {
    if (!content_may_come(check) && check.head.status() != 206) return false;
    if (check.is_head_request()) return false;
    if (const FieldLine* length = check.head.first(KnownField::content_length))
        return length->value.find_first_not_of("0 \t") != std::string_view::npos;
    return check.head.has(KnownField::transfer_encoding) || check.head.has(KnownField::content_type);
}

std::string method_list(const std::vector<std::string>& methods) {
    std::string text;
    for (const auto& method : methods) text += (text.empty() ? "" : ", ") + method;
    return text.empty() ? "none" : text;
}

// Allow (valid per allow-syntax) against the path item's operations, HEAD and OPTIONS left out.
void check_allow_against_paths(const HeadCheck& check, const ContractPath& path) {
    const RawHead& head = check.head;
    const int status = head.status();
    if (!head.has(KnownField::allow)) return;
    if (status != 405 && !(check.request.method == "OPTIONS" && head.status_class() == 2)) return;
    std::vector<std::string> allowed;
    bool valid = true;
    head.for_each(KnownField::allow, [&](const FieldLine& line) {
        if (line.value.empty()) return;
        grammar::for_each_list_element(line.value, [&](std::string_view method) {
            if (!grammar::is_token(method)) return valid = false;
            if (method != "HEAD" && method != "OPTIONS") allowed.emplace_back(method);
            return true;
        });
    });
    if (!valid) return;
    std::vector<std::string> declared;
    for (const auto& operation : path.operations)
        if (operation.method != "HEAD" && operation.method != "OPTIONS") declared.push_back(operation.method);
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    std::sort(declared.begin(), declared.end());
    if (allowed == declared) return;
    check.sink.report(allow_mismatch, [&] {
        std::vector<std::string> missing, extra;
        std::set_difference(declared.begin(), declared.end(), allowed.begin(), allowed.end(), std::back_inserter(missing));
        std::set_difference(allowed.begin(), allowed.end(), declared.begin(), declared.end(), std::back_inserter(extra));
        std::string text = concat({"Allow lists ", method_list(allowed), " but the description of ",
                                   path.path_template, " declares ", method_list(declared)});
        if (!missing.empty()) text += concat({"; missing from Allow: ", method_list(missing)});
        if (!extra.empty()) text += concat({"; not described: ", method_list(extra)});
        return text + "; make the two agree";
    });
}

void check_challenge(const HeadCheck& check, const ContractOperation& operation) {
    if (check.head.status() != 401 || operation.http_challenge_schemes.empty()) return;
    if (!check.head.has(KnownField::www_authenticate)) return;  // v1 401-missing-challenge owns it
    ChallengeParser parser;
    check.head.for_each(KnownField::www_authenticate, [&](const FieldLine& line) { parser.feed(line.value); });
    if (parser.error() || parser.challenges().empty()) return;
    for (const Challenge& challenge : parser.challenges())
        for (const auto& scheme : operation.http_challenge_schemes)
            if (grammar::iequals(challenge.scheme, scheme)) return;
    check.sink.report(challenge_scheme_mismatch, [&] {
        std::string offered;
        for (const Challenge& challenge : parser.challenges())
            offered += concat({offered.empty() ? "" : ", ", challenge.scheme});
        return concat({"401 challenges with ", offered, " but ", check.request.method, " ",
                       operation.pointer, " declares the HTTP security scheme(s) ",
                       method_list(operation.http_challenge_schemes),
                       "; challenge with the scheme the description tells clients to use"});
    });
}

void check_content_type(const HeadCheck& check, const ContractOperation& operation, const ContractResponse& response) {
    if (!content_follows(check)) return;
    if (!response.declares_content) {
        check.sink.report(undeclared_content_type, [&] {
            return concat({"response ", response.code, " of ", operation.pointer,
                           " is declared without content, yet this ", check.head.status_text(),
                           " carries content; declare its media type under `content` or send none"});
        });
        return;
    }
    const std::optional<MediaType>& media = check.media_type();
    if (!media || find_media_type(response, media->type, media->subtype)) return;
    check.sink.report(undeclared_content_type, [&] {
        std::string declared;
        for (const auto& item : response.content) declared += (declared.empty() ? "" : ", ") + item.range;
        return concat({"Content-Type ", quote(check.head.first(KnownField::content_type)->value),
                       " is not among the media types response ", response.code, " of ", operation.pointer,
                       " declares (", declared, "); send one of them or describe this one"});
    });
}

void check_contract_head(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!check.contract || !head.status_valid() || head.status_class() == 1) return;
    const std::optional<ContractMatch> match = match_exchange(check);
    if (!match) return;
    const std::string_view path = request_path(check.request.target);
    if (!match->path) {
        if (check.sink.wants(undeclared_path) && check.contract->first_sight_of_undeclared(path))
            check.sink.report(undeclared_path, [&] {
                return concat({"request path ", quote(path),
                               " matches no path template of the API description (after the servers base "
                               "path); describe it under `paths`, or stop serving it"});
            });
        return;
    }
    const int status = head.status();
    check_allow_against_paths(check, *match->path);
    if (status == 405 && match->path->operation(check.request.method)) {
        check.sink.report(declared_method_refused, [&] {
            return concat({"405 refuses ", check.request.method, " ", path, ", which the description declares as ",
                           match->path->operation(check.request.method)->pointer,
                           "; serve the operation or remove it from the description"});
        });
    }
    if (!match->operation) {
        if (head.status_class() == 2)
            check.sink.report(undeclared_method, [&] {
                std::vector<std::string> declared;
                for (const auto& operation : match->path->operations) declared.push_back(operation.method);
                return concat({check.request.method, " ", path, " got ", head.status_text(), " but ",
                               match->path->path_template, " describes only ", method_list(declared),
                               "; describe the operation, or answer 405 with Allow"});
            });
        return;
    }
    const ContractOperation& operation = *match->operation;
    if (operation.responses.empty()) return;
    const ContractResponse* response = find_response(operation, status);
    if (!response) {
        check.sink.report(undeclared_status, [&] {
            std::string declared;
            for (const auto& item : operation.responses) declared += (declared.empty() ? "" : ", ") + item.code;
            return concat({"status ", head.status_text(), " is not declared for ", operation.pointer,
                           " (declared: ", declared, "; no range or default covers it); describe it under `responses`"});
        });
        return;
    }
    std::vector<std::string_view> missing;
    for (const auto& name : response->required_headers)
        if (!has_field(head, name)) missing.push_back(name);
    if (!missing.empty()) {
        check.sink.report(missing_response_header, [&] {
            std::string names;
            for (const auto name : missing) names += concat({names.empty() ? "" : ", ", name});
            return concat({"response ", response->code, " of ", operation.pointer, " requires the header(s) ", names,
                           ", which this ", head.status_text(), " lacks; send them"});
        });
    }
    if (!match->head_as_get) check_content_type(check, operation, *response);
    check_challenge(check, operation);
}

struct SchemaTarget {
    const ContractOperation* operation = nullptr;
    const ContractResponse* response = nullptr;
    int schema = -1;
};

// The declared schema a JSON response's body is held to, if any.
std::optional<SchemaTarget> schema_for(const HeadCheck& check) {
    if (!check.contract || !content_may_come(check) || !check.sink.wants(response_schema)) return std::nullopt;
    const std::optional<MediaType>& media = check.media_type();
    if (!media || !is_json_media_type(*media) || !identity_coded(check.head)) return std::nullopt;
    const std::optional<ContractMatch> match = match_exchange(check);
    if (!match || !match->operation || match->head_as_get) return std::nullopt;
    const ContractResponse* response = find_response(*match->operation, check.head.status());
    if (!response) return std::nullopt;
    const ContractMediaType* declared = find_media_type(*response, media->type, media->subtype);
    if (!declared || declared->schema < 0) return std::nullopt;
    return SchemaTarget{match->operation, response, declared->schema};
}

bool contract_content_wanted(const HeadCheck& check) { return schema_for(check).has_value(); }

void check_contract_body(const HeadCheck& check, const BodyOutcome& outcome) {
    if (!content_may_be_judged(check, outcome) || !outcome.content_whole || !outcome.complete) return;
    const std::optional<SchemaTarget> target = schema_for(check);
    if (!target) return;
    std::string_view content = outcome.content;
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // json-bom reports it
    const std::optional<std::string> problem = check.contract->validate(target->schema, content);
    if (!problem) return;
    check.sink.report(response_schema, [&] {
        return concat({"body of this ", check.head.status_text(), " does not match the schema of response ",
                       target->response->code, " of ", target->operation->pointer, ": ", *problem});
    });
}

Rule* const contract_rules[] = {&undeclared_path,         &undeclared_method,     &undeclared_status,
                                &undeclared_content_type, &response_schema,       &missing_response_header,
                                &allow_mismatch,          &declared_method_refused, &challenge_scheme_mismatch};

}  // namespace

extern const Subject openapi_contract_subject{"openapi-contract", contract_rules, check_contract_head,
                                              check_contract_body, nullptr, contract_content_wanted};

}  // namespace cproxy::check

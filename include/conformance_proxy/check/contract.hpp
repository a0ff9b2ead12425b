#pragma once
// The API's own description (--openapi FILE) as the checker reads it: paths, operations,
// responses, media types, required headers, HTTP security schemes. Plain data, built once by
// src/openapi (which keeps YAML and the JSON Schema validator out of the checker); the
// checker only matches and reads it. See docs/openapi.md.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cproxy::check {

struct ContractMediaType {
    std::string range;  // the `content` key as written: "application/json", "image/*", "*/*"
    int schema = -1;    // the validator's handle of its schema; -1 when none is declared
};

struct ContractResponse {
    std::string code;  // "200", "4XX" or "default", as in the document
    bool declares_content = false;
    std::vector<ContractMediaType> content;
    std::vector<std::string> required_headers;  // `required: true` headers (Content-Type left out)
};

struct ContractOperation {
    std::string method;  // upper case: "GET"
    std::string operation_id;
    std::string pointer;  // JSON pointer of the operation, for messages
    std::vector<ContractResponse> responses;
    // The `scheme` values of the effective `security` when every scheme it names is of type
    // http (and no requirement is empty, i.e. anonymous); empty otherwise.
    std::vector<std::string> http_challenge_schemes;
};

struct ContractPath {
    std::string path_template;  // "/pets/{petId}"
    std::vector<ContractOperation> operations;

    const ContractOperation* operation(std::string_view method) const noexcept {
        for (const auto& operation : operations)
            if (operation.method == method) return &operation;
        return nullptr;
    }
};

// How a response code is looked up: the exact code, then its class range ("4XX"), then
// "default" (OpenAPI 3.1 §4.8.16). Null when none is declared.
const ContractResponse* find_response(const ContractOperation& operation, int status) noexcept;
// The declared media type that covers a response's type/subtype (case-insensitive): an exact
// key first, then "type/*", then "*/*". Null when none covers it.
const ContractMediaType* find_media_type(const ContractResponse& response, std::string_view type,
                                         std::string_view subtype) noexcept;

class Contract {
public:
    virtual ~Contract() = default;
    // Every declared path, in document order.
    virtual std::span<const ContractPath> paths() const noexcept = 0;
    // The path item a request path (no query) matches after the servers base path, or null.
    // A literal template wins over a templated one.
    virtual const ContractPath* match(std::string_view request_path) const = 0;
    // Validates a JSON text against a declared schema; nullopt when it conforms, else a message
    // naming the first failing JSON pointer and keyword. Thread-safe.
    virtual std::optional<std::string> validate(int schema, std::string_view json) const = 0;
    // openapi-undeclared-path is reported once per distinct path: true only the first time a
    // path is offered (bounded memory; thread-safe).
    virtual bool first_sight_of_undeclared(std::string_view request_path) const = 0;
};

}  // namespace cproxy::check

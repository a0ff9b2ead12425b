#pragma once
// Concrete requests for each operation of an API description, built only from what the document
// gives: parameter `example`/`examples`, schema `example`/`examples`/`default`, and request body
// examples. For `probe --openapi FILE`: an operation with a path parameter that has no such value
// is listed as skipped (with the reason), never guessed. Pure.
#include <string>
#include <utility>
#include <vector>

#include "conformance_proxy/openapi/OpenApiDocument.hpp"

namespace cproxy::openapi {

struct ExampleRequest {
    std::string method;         // "GET"
    std::string path_template;  // "/pets/{petId}"
    std::string operation_id;
    std::string target;         // origin-form, servers base path included: "/v1/pets/7?limit=20"
    std::vector<std::pair<std::string, std::string>> headers;  // required header parameters
    std::string content_type;   // of `body`; empty when there is none
    std::string body;           // JSON text of the request body example
};

struct SkippedOperation {
    std::string method;
    std::string path_template;
    std::string reason;  // "path parameter {petId} has no example, examples or default"
};

struct ExampleListing {
    std::vector<ExampleRequest> requests;  // document order
    std::vector<SkippedOperation> skipped;
};

ExampleListing example_requests(const OpenApiDocument& document);

}  // namespace cproxy::openapi

// The example requests `probe --openapi` sends: only values the document gives.
#include <doctest/doctest.h>

#include "OpenApiTestSupport.hpp"
#include "conformance_proxy/openapi/ExampleRequests.hpp"

using cproxy::openapi::example_requests;

TEST_CASE("example requests per operation from the document's examples; no example, skipped") {
    const auto listing = example_requests(cproxy::openapi::test::petstore());
    std::vector<std::string> requests;
    for (const auto& request : listing.requests)
        requests.push_back(request.method + " " + request.target + (request.body.empty() ? "" : " " + request.content_type + " " + request.body));
    CHECK(requests == std::vector<std::string>{
                          "GET /v1/pets",
                          R"(POST /v1/pets application/json {"id":12,"name":"Tom","kind":"cat","lives":9})",
                          "GET /v1/pets/mine",
                          "GET /v1/pets/7",     // the $ref'd path-item parameter's example
                          "DELETE /v1/pets/7",
                      });
    REQUIRE(listing.skipped.size() == 1);
    CHECK(listing.skipped[0].method == "GET");
    CHECK(listing.skipped[0].path_template == "/owners/{ownerId}/avatar.{format}");
    CHECK(listing.skipped[0].reason == "path parameter {ownerId} has no example, examples or default");
}

TEST_CASE("example requests: operation parameters override the path item's; query, header, schema default") {
    const auto document = cproxy::openapi::OpenApiDocument::load_text(R"(openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /files/{name}:
    parameters:
      - {name: name, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, default: "a b.txt"}}
        - {name: v, in: query, required: true, examples: {one: {value: 2}}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, example: t-1}}
        - {name: opt, in: query, schema: {type: string, default: x}}
      responses: {"200": {description: ok}}
)", "t.yaml");
    const auto listing = example_requests(*document);
    REQUIRE(listing.requests.size() == 1);
    CHECK(listing.requests[0].target == "/files/a%20b.txt?v=2");
    CHECK(listing.requests[0].headers == std::vector<std::pair<std::string, std::string>>{{"X-Trace", "t-1"}});
    CHECK(listing.skipped.empty());
}

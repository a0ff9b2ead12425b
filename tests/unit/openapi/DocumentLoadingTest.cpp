// Loading an OpenAPI document: versions, YAML and JSON, $refs, servers, path matching, and the
// errors a broken document gives (file, JSON pointer, problem).
#include <doctest/doctest.h>

#include "OpenApiTestSupport.hpp"

using cproxy::openapi::OpenApiDocument;
using cproxy::openapi::OpenApiError;
using cproxy::openapi::test::petstore;

namespace {
std::string error_of(const std::string& text) {
    try {
        OpenApiDocument::load_text(text, "api.yaml");
    } catch (const OpenApiError& e) {
        return e.what();
    }
    return "";
}
std::string matched(const OpenApiDocument& document, std::string_view path) {
    const auto* item = document.match(path);
    return item ? item->path_template : "";
}
}  // namespace

TEST_CASE("paths match after the servers base path, literal templates before templated ones") {
    const auto& doc = petstore();
    CHECK(doc.version() == "3.1.0");
    CHECK(doc.base_paths() == std::vector<std::string>{"/v1"});
    CHECK(matched(doc, "/v1/pets") == "/pets");
    CHECK(matched(doc, "/v1/pets/mine") == "/pets/mine");  // declared after /pets/{petId}? no: literal wins anyway
    CHECK(matched(doc, "/v1/pets/42") == "/pets/{petId}");
    CHECK(matched(doc, "/v1/owners/ann/avatar.jpeg") == "/owners/{ownerId}/avatar.{format}");
    CHECK(matched(doc, "/v1/owners/ann/avatar.") == "");  // a parameter is never empty
    CHECK(matched(doc, "/v1/pets//") == "");
    CHECK(matched(doc, "/v1") == "");
    const auto* pets = doc.match("/v1/pets");
    REQUIRE(pets);
    REQUIRE(pets->operations.size() == 2);
    CHECK(pets->operations[0].operation_id == "listPets");
    CHECK(pets->operations[1].http_challenge_schemes == std::vector<std::string>{"bearer"});
    CHECK(pets->operations[0].http_challenge_schemes.empty());  // security: [] (anonymous)
}

TEST_CASE("a literal path declared after a templated one still wins; servers without a path") {
    const auto doc = OpenApiDocument::load_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
servers: [{url: "{scheme}://api.example.test", variables: {scheme: {default: https}}}]
paths:
  /users/{id}: {get: {responses: {"200": {description: one}}}}
  /users/me: {get: {responses: {"200": {description: me}}}}
)", "api.yaml");
    CHECK(doc->base_paths() == std::vector<std::string>{""});
    CHECK(matched(*doc, "/users/me") == "/users/me");
    CHECK(matched(*doc, "/users/7") == "/users/{id}");
}

// (under a `default` response: there "default" is a response code, not a literal value)
TEST_CASE("OpenAPI 3.0 in JSON: nullable becomes a null type, exclusiveMaximum is draft 4's boolean") {
    const auto doc = OpenApiDocument::load_text(R"({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
      "paths": {"/n": {"get": {"responses": {"default": {"description": "n", "content": {"application/json":
        {"schema": {"type": "object", "required": ["v"], "properties": {
           "v": {"type": "integer", "nullable": true, "maximum": 10, "exclusiveMaximum": true}}}}}}}}}}})",
                                                "api.json");
    const auto& media = doc->match("/n")->operations.at(0).responses.at(0).content.at(0);
    REQUIRE(media.schema >= 0);
    CHECK_FALSE(doc->validate(media.schema, R"({"v": null})"));
    CHECK_FALSE(doc->validate(media.schema, R"({"v": 9})"));
    CHECK(doc->validate(media.schema, R"({"v": 10})"));
    CHECK(doc->validate(media.schema, R"({"v": "x"})"));
    CHECK(doc->validate(media.schema, R"({})"));
}

TEST_CASE("broken documents: the file, the JSON pointer and the problem") {
    CHECK(error_of("openapi: 3.1.0\npaths: {/a: [\n") .starts_with("api.yaml:"));
    CHECK(error_of("openapi: 3.1.0\npaths: {/a: [\n").find("not valid YAML or JSON") != std::string::npos);
    CHECK(error_of(R"(openapi: 3.1.0
paths:
  /a: {get: {responses: {"200": {$ref: "#/components/responses/Nope"}}}}
)") == "api.yaml: #/paths/~1a/get/responses/200/$ref: dangling $ref \"#/components/responses/Nope\": no such location "
       "in the document");
    CHECK(error_of("swagger: \"2.0\"\npaths: {}\n").starts_with("api.yaml: #/swagger: Swagger (OpenAPI 2.0) is not supported"));
    CHECK(error_of("openapi: 4.0.0\npaths: {}\n").starts_with("api.yaml: #/openapi: unsupported version \"4.0.0\""));
    CHECK(error_of("openapi: 3.1\npaths: {}\n").empty());
    CHECK(error_of("info: {title: t}\n").starts_with("api.yaml: #/openapi: missing"));
    CHECK(error_of("- a\n- b\n").starts_with("api.yaml: #: not an OpenAPI document"));
    CHECK(error_of("openapi: 3.1.0\npaths: {pets: {}}\n") == "api.yaml: #/paths/pets: a path must start with \"/\"");
    CHECK(error_of("openapi: 3.1.0\npaths: {/a: {get: {responses: {\"200\": {$ref: \"other.yaml#/x\"}}}}}\n")
              .starts_with("api.yaml: #/paths/~1a/get/responses/200/$ref: external $ref \"other.yaml#/x\" is not supported"));
    CHECK(error_of("openapi: 3.1.0\nservers: [{url: \"https://{host}/v1\"}]\npaths: {}\n")
              .starts_with("api.yaml: #/servers/0/variables/host: server variable {host} needs a `default`"));
    // a schema the validator cannot use: an error with its pointer, never an abort
    CHECK(error_of("openapi: 3.1.0\npaths: {/a: {get: {responses: {'200': {description: x, content: "
                   "{application/json: {schema: {type: 5}}}}}}}}\n")
              .starts_with("api.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema: schema not usable"));
    // a "$ref" member inside an example is data, not a reference; a dangling one under a
    // `default` response is found
    CHECK(error_of("openapi: 3.1.0\npaths: {/a: {get: {responses: {default: {$ref: '#/nope'}}}}}\n") ==
          "api.yaml: #/paths/~1a/get/responses/default/$ref: dangling $ref \"#/nope\": no such location in the document");
    CHECK(error_of("openapi: 3.1.0\ncomponents: {schemas: {A: {type: object, example: {$ref: nowhere}}}}\n").empty());
    try {
        OpenApiDocument::load_file("/nonexistent/api.yaml");
        FAIL("no error");
    } catch (const OpenApiError& e) {
        CHECK(std::string(e.what()).starts_with("/nonexistent/api.yaml: cannot read"));
    }
}

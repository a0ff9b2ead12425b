// Part C of RULES-v2: every OpenAPI rule fires on a mismatching exchange and stays silent on
// the tricky conformant ones, against the pet-store document (petstore.yaml).
#include <doctest/doctest.h>

#include "OpenApiTestSupport.hpp"

using cproxy::openapi::test::findings_of;
using cproxy::openapi::test::message_of;
using cproxy::openapi::test::petstore;
using Ids = std::vector<std::string>;

namespace {
const std::string cat = R"({"id":7,"name":"Tom","kind":"cat","lives":9})";
const std::string dog = R"({"id":8,"name":"Rex","kind":"dog","goodBoy":true})";
std::string json_response(std::string_view status, const std::string& body, std::string_view extra = "") {
    return "HTTP/1.1 " + std::string(status) + "\nContent-Type: application/json\n" + std::string(extra) +
           "Content-Length: " + std::to_string(body.size()) + "\n\n" + body;
}
}  // namespace

TEST_CASE("openapi-undeclared-path: once per distinct path, after the servers base path") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "GET", "/v1/owners", json_response("200 OK", "{}")) == Ids{"openapi-undeclared-path"});
    CHECK(findings_of(doc, "GET", "/v1/owners", json_response("200 OK", "{}")).empty());  // reported once
    CHECK(findings_of(doc, "GET", "/v1/pets/7/toys?x=1", json_response("200 OK", "{}")) == Ids{"openapi-undeclared-path"});
    // no server prefixes it: matched from "/" as it is (RULES-v2 Part C)
    CHECK(findings_of(doc, "GET", "/pets", json_response("200 OK", "[]", "X-Total-Count: 0\n")).empty());
    CHECK(findings_of(doc, "GET", "/v2/pets", json_response("200 OK", "[]", "X-Total-Count: 0\n")) ==
          Ids{"openapi-undeclared-path"});
    CHECK(findings_of(doc, "GET", "/v1/pets/", json_response("200 OK", "[]")) == Ids{"openapi-undeclared-path"});
    // declared: templated, literal, and a segment mixing literal and parameters
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", cat)).empty());
    CHECK(findings_of(doc, "GET", "/v1/pets/mine", json_response("200 OK", "[" + dog + "]")).empty());
    CHECK(findings_of(doc, "GET", "/v1/owners/ann/avatar.png", "HTTP/1.1 200 OK\nContent-Type: image/png\nContent-Length: 3\n\nPNG").empty());
    CHECK(findings_of(doc, "GET", "/v1/pets?limit=2", json_response("200 OK", "[" + cat + "]", "X-Total-Count: 9\n")).empty());
}

TEST_CASE("openapi-undeclared-method: a 2xx to an undescribed method") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 204 No Content\n") == Ids{"openapi-undeclared-method"});
    CHECK(findings_of(doc, "PUT", "/v1/pets", json_response("200 OK", "[]")) == Ids{"openapi-undeclared-method"});
    // 405 and 501 are the right answers; HEAD is GET without content
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, DELETE\nContent-Length: 0\n").empty());
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 501 Not Implemented\nContent-Length: 0\n").empty());
    CHECK(findings_of(doc, "HEAD", "/v1/pets/7", "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 44\n").empty());
}

TEST_CASE("openapi-undeclared-status: exact code, then its range, then default") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "GET", "/v1/pets/7", "HTTP/1.1 418 I'm a teapot\nContent-Length: 0\n") ==
          Ids{"openapi-undeclared-status"});
    CHECK(message_of(doc, "openapi-undeclared-status", "GET", "/v1/pets/7", "HTTP/1.1 500 Oops\nContent-Length: 0\n")
              .find("declared: 200, 404") != std::string::npos);
    CHECK(findings_of(doc, "GET", "/v1/pets", json_response("503 Unavailable", R"({"code":503,"message":"later"})")).empty());
    CHECK(findings_of(doc, "POST", "/v1/pets", json_response("409 Conflict", R"({"code":409,"message":"taken"})")).empty());
    CHECK(findings_of(doc, "POST", "/v1/pets", json_response("500 Oops", R"({"code":500,"message":"x"})")) ==
          Ids{"openapi-undeclared-status"});
}

TEST_CASE("openapi-undeclared-content-type: media types and ranges, parameters ignored") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "GET", "/v1/pets/7", "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 8\n\n<p>7</p>") ==
          Ids{"openapi-undeclared-content-type"});
    CHECK(findings_of(doc, "GET", "/v1/owners/ann/avatar.png", "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 3\n\nPNG") ==
          Ids{"openapi-undeclared-content-type"});
    // declared without content, yet content comes
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7",
                      "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"pets\"\nContent-Type: text/plain\nContent-Length: 6\n\nlog in") ==
          Ids{"openapi-undeclared-content-type"});
    CHECK(findings_of(doc, "GET", "/v1/pets/7", "HTTP/1.1 200 OK\nContent-Type: Application/XML; charset=utf-8\nContent-Length: 6\n\n<pet/>").empty());
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", cat).replace(30, 0, "; charset=utf-8")).empty());
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7", "HTTP/1.1 204 No Content\n").empty());
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7",
                      "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"pets\"\nContent-Length: 0\n").empty());
    CHECK(findings_of(doc, "HEAD", "/v1/pets/7", "HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 8\n").empty());
}

TEST_CASE("openapi-response-schema: the body against the declared schema, oneOf and $refs included") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", R"({"id":"seven","name":"Tom","kind":"cat"})")) ==
          Ids{"openapi-response-schema"});
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", R"({"id":7,"name":"Tweety","kind":"bird"})")) ==
          Ids{"openapi-response-schema"});
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", R"({"id":7,"name":"Tom","kind":"cat","lives":10})")) ==
          Ids{"openapi-response-schema"});
    const std::string message = message_of(doc, "openapi-response-schema", "GET", "/v1/pets",
                                           json_response("500 Oops", R"({"code":500})", "X-Total-Count: 1\n"));
    CHECK(message.find("response default of GET /pets") != std::string::npos);
    CHECK(message.find("message") != std::string::npos);
    // an array whose second item breaks the schema: the pointer names it
    const std::string deep = message_of(doc, "openapi-response-schema", "GET", "/v1/pets",
                                        json_response("200 OK", "[" + cat + R"(,{"id":0,"name":"Rex","kind":"dog"}])",
                                                      "X-Total-Count: 2\n"));
    CHECK(deep.find("at /1") != std::string::npos);
    // conformant: either branch of oneOf; problem+json by its own declaration
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", cat)).empty());
    CHECK(findings_of(doc, "GET", "/v1/pets/8", json_response("200 OK", dog)).empty());
    CHECK(findings_of(doc, "GET", "/v1/pets/7",
                      "HTTP/1.1 404 Not Found\nContent-Type: application/problem+json\nContent-Length: 34\n\n"
                      R"({"code":404,"message":"no pet 7"})" "\n").empty());
    // not judged: invalid JSON (json-invalid owns it), encoded content, a truncated capture
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", R"({"id":7,)")).empty());
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", R"({"id":"x"})", "Content-Encoding: gzip\n")).empty());
}

TEST_CASE("openapi-missing-response-header: required headers, $ref'd and case-insensitive") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "GET", "/v1/pets", json_response("200 OK", "[]")) == Ids{"openapi-missing-response-header"});
    CHECK(message_of(doc, "openapi-missing-response-header", "GET", "/v1/pets", json_response("200 OK", "[]"))
              .find("X-Total-Count") != std::string::npos);
    CHECK(findings_of(doc, "POST", "/v1/pets", json_response("201 Created", cat)) == Ids{"openapi-missing-response-header"});
    CHECK(findings_of(doc, "GET", "/v1/pets", json_response("200 OK", "[]", "x-total-count: 0\n")).empty());
    CHECK(findings_of(doc, "POST", "/v1/pets", json_response("201 Created", cat, "Location: /v1/pets/7\n")).empty());
}

TEST_CASE("openapi-allow-mismatch: Allow against the declared operations, HEAD and OPTIONS aside") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0\n") ==
          Ids{"openapi-allow-mismatch"});
    CHECK(findings_of(doc, "OPTIONS", "/v1/pets", "HTTP/1.1 204 No Content\nAllow: GET, POST, PUT\n") ==
          Ids{"openapi-allow-mismatch", "openapi-undeclared-method"});
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: DELETE, GET, HEAD, OPTIONS\nContent-Length: 0\n").empty());
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nAllow: DELETE\nContent-Length: 0\n").empty());
    // invalid Allow: allow-syntax owns it
    CHECK(findings_of(doc, "PATCH", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, [PUT]\nContent-Length: 0\n").empty());
    // a 200 to GET with Allow is not judged
    CHECK(findings_of(doc, "GET", "/v1/pets/7", json_response("200 OK", cat, "Allow: GET\n")).empty());
}

TEST_CASE("openapi-declared-method-refused: a 405 to a described method") {
    const auto& doc = petstore();
    // (405 is not among DELETE's declared responses either)
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, DELETE\nContent-Length: 0\n") ==
          Ids{"openapi-declared-method-refused", "openapi-undeclared-status"});
    CHECK(findings_of(doc, "TRACE", "/v1/pets/7", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, DELETE\nContent-Length: 0\n").empty());
}

TEST_CASE("openapi-challenge-scheme-mismatch: the 401 challenge against the http security schemes") {
    const auto& doc = petstore();
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"pets\"\nContent-Length: 0\n") ==
          Ids{"openapi-challenge-scheme-mismatch"});
    // root security (bearer) applies to POST /pets
    CHECK(findings_of(doc, "POST", "/v1/pets", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"pets\"\nContent-Length: 0\n") ==
          Ids{"openapi-challenge-scheme-mismatch"});
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: basic realm=\"pets\"\nContent-Length: 0\n").empty());
    CHECK(findings_of(doc, "POST", "/v1/pets",
                      "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"a\", Bearer realm=\"pets\"\nContent-Length: 0\n").empty());
    // an apiKey scheme has no challenge to compare; an invalid challenge is challenge-syntax's
    CHECK(findings_of(doc, "GET", "/v1/owners/ann/avatar.png", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"x\"\nContent-Length: 0\n") ==
          Ids{"openapi-undeclared-status"});
    CHECK(findings_of(doc, "DELETE", "/v1/pets/7", "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer; realm=x\nContent-Length: 0\n").empty());
}

TEST_CASE("without a contract the OpenAPI rules stay silent") {
    const cproxy::check::Checker checker;
    const cproxy::check::RequestContext context{"GET", "/nowhere", true, ""};
    cproxy::check::Findings findings;
    checker.check_head("HTTP/1.1 200 OK\nContent-Length: 0\n\n", context, findings);
    for (const auto& finding : findings) CHECK_FALSE(finding.rule->id.starts_with("openapi-"));
}

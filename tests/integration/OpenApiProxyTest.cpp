// --openapi through the real binary: an in-process upstream answers the pet-store API
// (tests/unit/openapi/petstore.yaml) conformantly and with one mismatch per OpenAPI rule; the
// findings file shows each rule on its exchange and none on the conformant ones, report.json
// (admin) carries the exact coverage, --fail-on-coverage turns it into the exit status, and
// broken documents stop the start with exit status 2 and the JSON pointer.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>

#include <boost/json.hpp>

#include "integration/support/FindingsFile.hpp"
#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/Process.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;
using namespace std::chrono_literals;

namespace {

std::string petstore_path() {
    const char* dir = std::getenv("CPROXY_SOURCE_DIR");
    return std::string(dir ? dir : ".") + "/tests/unit/openapi/petstore.yaml";
}

const std::string D = "Date: Sun, 22 Nov 2026 10:00:00 GMT\r\n";
const std::string cat = R"({"id":7,"name":"Tom","kind":"cat"})";

std::string json(int status, const std::string& reason, const std::string& body, const std::string& extra = "") {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + D + "Content-Type: application/json\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string chunked_json(const std::string& body) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx", body.size());
    return "HTTP/1.1 200 OK\r\n" + D + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
           "\r\n" + body + "\r\n0\r\n\r\n";
}

// "METHOD target" -> the upstream's answer, and the OpenAPI rule it must trigger ("" = clean).
struct Scripted {
    std::string reply;
    std::string rule;
};
std::map<std::string, Scripted> script() {
    const std::string empty = "Content-Length: 0\r\n\r\n";
    return {
        {"GET /v1/pets", {json(200, "OK", "[" + cat + "]", "X-Total-Count: 1\r\n"), ""}},
        {"GET /v1/pets/7", {json(200, "OK", cat), ""}},
        {"GET /v1/pets/8", {chunked_json(R"({"id":"eight","name":"Rex","kind":"dog"})"), "openapi-response-schema"}},
        {"GET /v1/pets/70", {"HTTP/1.1 200 OK\r\n" + D + "Content-Type: text/html\r\nContent-Length: 9\r\n\r\n<p>70</p>",
                             "openapi-undeclared-content-type"}},
        {"GET /v1/pets/9", {json(500, "Internal Server Error", R"({"code":500,"message":"x"})"), "openapi-undeclared-status"}},
        {"GET /v1/pets/mine", {"HTTP/1.1 401 Unauthorized\r\n" + D + "WWW-Authenticate: Basic realm=\"pets\"\r\n" + empty,
                               "openapi-challenge-scheme-mismatch"}},
        {"GET /v1/owners", {json(200, "OK", "[]"), "openapi-undeclared-path"}},
        {"PATCH /v1/pets/7", {"HTTP/1.1 204 No Content\r\n" + D + "\r\n", "openapi-undeclared-method"}},
        {"POST /v1/pets", {json(201, "Created", cat), "openapi-missing-response-header"}},
        {"PUT /v1/pets/7", {"HTTP/1.1 405 Method Not Allowed\r\n" + D + "Allow: GET\r\n" + empty, "openapi-allow-mismatch"}},
        {"DELETE /v1/pets/7",
         {"HTTP/1.1 405 Method Not Allowed\r\n" + D + "Allow: GET, DELETE\r\n" + empty, "openapi-declared-method-refused"}},
    };
}

std::string fetch(std::uint16_t port, const std::string& target) {
    RawClient client(port);
    client.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const auto response = client.read_response(10s);
    REQUIRE(response);
    return response->body.bytes;
}

}  // namespace

TEST_CASE("openapi: every rule fires on its mismatch through the live proxy; coverage in report.json; the floor") {
    const auto replies = script();
    ScriptedUpstream upstream([&](const ReceivedRequest& request) {
        const auto it = replies.find(request.method + " " + request.target);
        return Reply::bytes(it != replies.end() ? it->second.reply : http_response(404, "no script"));
    });
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    const std::uint16_t admin_port = free_port();
    ProxyProcess proxy({"--upstream", upstream.url(), "--openapi", petstore_path(), "--findings", findings_path.string(),
                        "--admin", "127.0.0.1:" + std::to_string(admin_port), "--fail-on-coverage", "90"});
    for (const auto& [request, scripted] : replies) {
        RawClient client(proxy.port());
        const auto space = request.find(' ');
        client.send(request.substr(0, space) + " " + request.substr(space + 1) +
                    " HTTP/1.1\r\nHost: api.example.test\r\nContent-Length: 0\r\n\r\n");
        const auto response = client.read_response(5s);
        REQUIRE_MESSAGE(response, request);
    }
    // The recorder counts an exchange once its last byte went out: wait for all of them.
    boost::json::value report;
    for (const auto deadline = std::chrono::steady_clock::now() + 10s;;) {
        report = boost::json::parse(fetch(admin_port, "/report.json"));
        if (report.at("exchanges").as_int64() >= std::int64_t(replies.size()) || std::chrono::steady_clock::now() > deadline)
            break;
        std::this_thread::sleep_for(50ms);
    }
    const auto& coverage = report.at("coverage");
    CHECK(coverage.at("declared").as_int64() == 6);
    CHECK(coverage.at("exercised").as_int64() == 5);
    CHECK(coverage.at("percent").as_double() == doctest::Approx(83.3));
    std::map<std::string, std::string> by_operation;  // "GET /pets" -> "exchanges seen unseen"
    for (const auto& operation : coverage.at("operations").as_array()) {
        const auto& o = operation.as_object();
        by_operation[std::string(o.at("method").as_string()) + " " + std::string(o.at("path").as_string())] =
            std::to_string(o.at("exchanges").as_int64()) + " " + boost::json::serialize(o.at("seen_statuses")) + " " +
            boost::json::serialize(o.at("unseen_statuses"));
    }
    CHECK(by_operation == std::map<std::string, std::string>{
                              {"GET /pets", R"(1 [200] ["default"])"},
                              {"POST /pets", R"(1 [201] ["401","4XX"])"},
                              {"GET /pets/mine", R"(1 [401] ["200"])"},
                              {"GET /pets/{petId}", R"(4 [200,500] ["404"])"},
                              {"DELETE /pets/{petId}", R"(1 [405] ["204","401"])"},
                              {"GET /owners/{ownerId}/avatar.{format}", R"(0 [] ["200"])"},
                          });
    // Routes are the document's templates; an undeclared path keeps the heuristic grouping.
    std::vector<std::string> routes;
    for (const auto& route : report.at("routes").as_array()) routes.emplace_back(route.at("route").as_string());
    CHECK(std::count(routes.begin(), routes.end(), "/pets/{petId}") == 1);
    CHECK(std::count(routes.begin(), routes.end(), "/v1/owners") == 1);

    // 83.3% < 90%: exit status 1 (--fail-on is never), the reason on stderr.
    CHECK(proxy.stop() == 1);
    CHECK(proxy.stderr_text().find("coverage 83.3% (5 of 6 operations") != std::string::npos);
    const auto findings = read_findings(findings_path);
    for (const auto& [request, scripted] : replies) {
        CAPTURE(request);
        const auto target = request.substr(request.find(' ') + 1);
        std::vector<std::string> openapi_rules;
        for (const auto& finding : findings_for_target(findings, target))
            if (finding.rule.starts_with("openapi-") && finding.method == request.substr(0, request.find(' ')))
                openapi_rules.push_back(finding.rule);
        if (scripted.rule.empty()) CHECK(openapi_rules.empty());
        else CHECK(std::count(openapi_rules.begin(), openapi_rules.end(), scripted.rule) == 1);
    }
}

TEST_CASE("openapi: a broken document stops the start with exit status 2, naming the file and the pointer") {
    TempDir dir;
    const auto write = [&](const std::string& name, const std::string& text) {
        const auto path = dir.file(name);
        std::ofstream(path) << text;
        return path.string();
    };
    const std::vector<std::pair<std::string, std::string>> documents{
        {write("syntax.yaml", "openapi: 3.1.0\npaths: {/a: [\n"), "syntax.yaml:"},
        {write("dangling.yaml", "openapi: 3.1.0\npaths:\n  /a: {get: {responses: {'200': {$ref: '#/components/responses/Gone'}}}}\n"),
         "dangling.yaml: #/paths/~1a/get/responses/200/$ref: dangling $ref"},
        {write("version.json", R"({"openapi": "2.0", "paths": {}})"), "version.json: #/openapi: unsupported version \"2.0\""},
        {dir.file("missing.yaml").string(), "missing.yaml: cannot read"},
    };
    for (const auto& [path, expected] : documents) {
        CAPTURE(path);
        const auto result = run_command({proxy_binary(), "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9",
                                         "--openapi", path},
                                        10s);
        CHECK(result.exit_status == 2);
        CHECK_MESSAGE(result.err.find(expected) != std::string::npos, result.err);
        CHECK(result.err.find("listening on") == std::string::npos);
        const auto lint = run_command({proxy_binary(), "lint", "-", "--openapi", path}, 10s, "HTTP/1.1 200 OK\r\n\r\n");
        CHECK(lint.exit_status == 2);
        CHECK_MESSAGE(lint.err.find(expected) != std::string::npos, lint.err);
    }
    const auto floor_alone = run_command({proxy_binary(), "--fail-on-coverage", "50"}, 10s);
    CHECK(floor_alone.exit_status == 2);
    CHECK(floor_alone.err.find("--fail-on-coverage needs") != std::string::npos);
}

TEST_CASE("openapi: lint holds a recorded exchange to the document too") {
    const std::string body = R"({"id":"seven","name":"Tom","kind":"cat"})";
    const std::string capture = "GET /v1/pets/7 HTTP/1.1\r\nHost: api.example.test\r\n\r\n"
                                "HTTP/1.1 200 OK\r\n" + D + "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    const auto lint = run_command({proxy_binary(), "lint", "-", "--openapi", petstore_path(), "--fail-on", "never"}, 10s,
                                  capture);
    CHECK(lint.exit_status == 0);
    CHECK_MESSAGE(lint.out.find("openapi-response-schema") != std::string::npos, std::string(lint.out + lint.err));
    CHECK(lint.out.find("does not match the schema of response 200 of GET /pets/{petId}") != std::string::npos);
    const auto without = run_command({proxy_binary(), "lint", "-", "--fail-on", "never"}, 10s, capture);
    CHECK(without.out.find("openapi-") == std::string::npos);
}

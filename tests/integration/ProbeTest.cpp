// `conformance-proxy probe` against real servers: the built-in demo (its broken routes found by
// probing a plain route list, nothing replayed), nginx from Debian (auth_basic on one location,
// static files) and Python's http.server. Each server logs every method it saw, so the test
// proves that without --unsafe-methods no PUT, PATCH or DELETE left the process.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "integration/support/Clients.hpp"
#include "integration/support/FindingsFile.hpp"
#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/Process.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;
using namespace std::chrono_literals;

namespace {

void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool has_program(const std::string& name) {
    return run_command({"sh", "-c", "command -v " + name}, 5s).exit_status == 0;
}

std::set<std::string> rules_on(const std::vector<FindingLine>& findings, std::string_view target) {
    std::set<std::string> out;
    for (const auto& f : findings_for_target(findings, target)) out.insert(f.rule);
    return out;
}

std::string describe(const std::vector<FindingLine>& findings) {
    std::string out;
    for (const auto& f : findings) out += "  " + f.method + " " + f.target + " " + std::to_string(f.status) + " " + f.rule + "\n";
    return out;
}

// The rules no probe of a conformant conditional/range implementation may trigger.
constexpr std::string_view conditional_and_range_rules[] = {
    "304-content-length-differs", "304-missing-200-field", "304-missing-etag", "206-missing-content-range",
    "416-missing-content-range", "head-content-length-differs", "head-field-differs", "strong-etag-reused",
    "206-after-accept-ranges-none", "content-range-syntax"};

}  // namespace

TEST_SUITE("probe") {

TEST_CASE("probe --demo: finds the 405 without Allow and the 401 without a challenge from a plain route list") {
    TempDir dir;
    write(dir / "routes.txt", "# the demo's routes, as a newcomer would list them\n/\n/api/items\n/api/items/7\n/admin\n/health\n");
    const auto findings_path = dir.file("findings.jsonl");
    const auto result = run_command({proxy_binary(), "probe", "--demo", "--routes", (dir / "routes.txt").string(),
                                     "--rate", "200", "--findings", findings_path.string(), "--junit",
                                     dir.file("junit.xml").string(), "--sarif", dir.file("r.sarif").string(),
                                     "--html", dir.file("r.html").string()},
                                    60s);
    const auto findings = read_findings(findings_path);
    INFO("stderr: " << result.err << "\nfindings:\n" << describe(findings));
    CHECK(result.exit_status == 1);  // probe is a CI gate: error findings fail it
    // Only GET was ever asked of /api/items/7 by the route list; the 405 came from a probe.
    const auto items = findings_for_target(findings, "/api/items/7");
    const bool missing_allow = std::any_of(items.begin(), items.end(), [](const FindingLine& f) {
        return f.rule == "405-missing-allow" && (f.method == "OPTIONS" || f.method == "CONFORMANCE-PROBE");
    });
    CHECK(missing_allow);
    CHECK(rules_on(findings, "/admin").count("401-missing-www-authenticate") == 1);
    CHECK(rules_on(findings, "/health").empty());
    for (const char* report : {"junit.xml", "r.sarif", "r.html"}) CHECK(std::filesystem::file_size(dir / report) > 0);
}

TEST_CASE("probe --openapi: the routes come from the document's examples, and the answers are held to it") {
    TempDir dir;
    const char* source = std::getenv("CPROXY_SOURCE_DIR");
    const std::string document = std::string(source ? source : ".") + "/config/demo-openapi.yaml";
    const auto findings_path = dir.file("findings.jsonl");
    const auto result = run_command({proxy_binary(), "probe", "--demo", "--openapi", document, "--rate", "200",
                                     "--findings", findings_path.string()},
                                    60s);
    const auto findings = read_findings(findings_path);
    INFO("stderr: " << result.err << "\nfindings:\n" << describe(findings));
    CHECK(result.exit_status == 1);
    // /api/items/{id} has `example: 7`: probed as /api/items/7, where the demo's item lacks the
    // price the document requires, and OPTIONS gets a 405 without Allow.
    const auto item = rules_on(findings, "/api/items/7");
    CHECK(item.count("openapi-response-schema") == 1);
    CHECK(item.count("405-missing-allow") == 1);
    CHECK(rules_on(findings, "/admin").count("401-missing-www-authenticate") == 1);
    // Nothing outside the document was sent: every probed target is one of its examples.
    for (const auto& f : findings) CHECK_MESSAGE(f.target.rfind("/", 0) == 0, f.target);
    CHECK(rules_on(findings, "/api/items/{id}").empty());  // a template is never sent as a target
}

TEST_CASE("probe --from-admin: the routes a running proxy has seen, from its /routes.json") {
    const auto admin_port = free_port();
    ProxyProcess proxy({"--demo", "--admin", "127.0.0.1:" + std::to_string(admin_port)});
    for (const char* target : {"/api/items/7", "/api/items/8", "/health"}) {
        RawClient client(proxy.port());
        client.send(std::string("GET ") + target + " HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n");
        REQUIRE(client.read_response(5s));
    }
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    const auto result = run_command({proxy_binary(), "probe", "--demo", "--from-admin",
                                     "http://127.0.0.1:" + std::to_string(admin_port), "--rate", "200", "--fail-on",
                                     "never", "--findings", findings_path.string()},
                                    60s);
    REQUIRE(proxy.stop() == 0);
    const auto findings = read_findings(findings_path);
    INFO("stderr: " << result.err << "\nfindings:\n" << describe(findings));
    CHECK(result.exit_status == 0);
    // /api/items/7 was seen through the proxy as a GET only; the probe found its 405 without Allow.
    CHECK(rules_on(findings, "/api/items/7").count("405-missing-allow") == 1);
    const auto bad = run_command({proxy_binary(), "probe", "--demo", "--from-admin", "http://127.0.0.1:9"}, 20s);
    CHECK(bad.exit_status == 2);
    CHECK(bad.err.find("--from-admin") != std::string::npos);
}

TEST_CASE("probe: bad input is a clear usage error") {
    TempDir dir;
    write(dir / "bad.txt", "/ok\nnot-a-target\n");
    const auto no_routes = run_command({proxy_binary(), "probe", "--upstream", "http://127.0.0.1:9"}, 10s);
    CHECK(no_routes.exit_status == 2);
    CHECK(no_routes.err.find("--routes") != std::string::npos);
    const auto bad = run_command({proxy_binary(), "probe", "--upstream", "http://127.0.0.1:9", "--routes",
                                  (dir / "bad.txt").string()}, 10s);
    CHECK(bad.exit_status == 2);
    CHECK(bad.err.find("line 2") != std::string::npos);
    const auto header = run_command({proxy_binary(), "probe", "--upstream", "http://127.0.0.1:9", "--routes",
                                     (dir / "bad.txt").string(), "--header", "no colon s3cret"}, 10s);
    CHECK(header.exit_status == 2);
    CHECK(header.err.find("s3cret") == std::string::npos);
    const auto rate = run_command({proxy_binary(), "probe", "--upstream", "http://127.0.0.1:9", "--routes",
                                   (dir / "bad.txt").string(), "--rate", "0"}, 10s);
    CHECK(rate.exit_status == 2);
    CHECK(rate.err.find("--rate") != std::string::npos);
}

TEST_CASE("probe against nginx: auth_basic and static files; conditional and range probes clean; safe methods only") {
    if (!has_program("nginx") || !has_program("htpasswd")) {
        MESSAGE("skipped: nginx or htpasswd is not installed (scripts/install-deps.sh --with-tests)");
        return;
    }
    TempDir dir{"cproxy-probe"};
    const std::string d = dir.path().string();
    std::filesystem::create_directories(dir / "www/private");
    std::filesystem::create_directories(dir / "nginx-temp");
    write(dir / "www/hello.txt", "hello, world\n");
    write(dir / "www/private/secret.txt", "secret\n");
    REQUIRE(run_command({"htpasswd", "-b", "-c", d + "/htpasswd", "alice", "wonderland"}, 10s).exit_status == 0);
    const auto port = free_port();
    write(dir / "nginx.conf",
          "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d + "/nginx.pid;\n"
          "error_log " + d + "/nginx-error.log info;\nevents { worker_connections 64; }\n"
          "http {\n include /etc/nginx/mime.types;\n log_format methods '$request_method $uri $status';\n"
          " access_log " + d + "/access.log methods;\n"
          " client_body_temp_path " + d + "/nginx-temp/body;\n proxy_temp_path " + d + "/nginx-temp/proxy;\n"
          " fastcgi_temp_path " + d + "/nginx-temp/fastcgi;\n uwsgi_temp_path " + d + "/nginx-temp/uwsgi;\n"
          " scgi_temp_path " + d + "/nginx-temp/scgi;\n"
          " server {\n  listen 127.0.0.1:" + std::to_string(port) + ";\n  root " + d + "/www;\n"
          "  location /private/ { auth_basic \"restricted\"; auth_basic_user_file " + d + "/htpasswd; }\n }\n}\n");
    ChildProcess nginx({"nginx", "-p", d, "-e", d + "/nginx-error.log", "-c", d + "/nginx.conf"}, dir / "nginx.out",
                       dir / "nginx.err");
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0 || !nginx.running(); }, 10s),
                    slurp(dir / "nginx-error.log"));
    write(dir / "routes.txt", "/hello.txt\n/private/secret.txt\n");
    write(dir / "headers.txt", "Authorization: Basic YWxpY2U6d29uZGVybGFuZA==\n");  // alice:wonderland
    const auto findings_path = dir.file("findings.jsonl");
    const auto result = run_command({proxy_binary(), "probe", "--upstream", loopback_url(port), "--routes",
                                     (dir / "routes.txt").string(), "--header-file", (dir / "headers.txt").string(),
                                     "--rate", "200", "--fail-on", "never", "--findings", findings_path.string(),
                                     "--html", dir.file("r.html").string(), "--sarif", dir.file("r.sarif").string()},
                                    60s);
    CHECK(nginx.stop(5s) == 0);
    const auto findings = read_findings(findings_path);
    const std::string log = slurp(dir / "access.log");
    INFO("stderr: " << result.err << "\nfindings:\n" << describe(findings) << "access log:\n" << log);
    REQUIRE(result.exit_status == 0);
    // Every probe arrived: the conditional and range ones too, and the secret without credentials.
    for (const char* line : {"GET /hello.txt 200", "HEAD /hello.txt 200", "GET /hello.txt 304", "GET /hello.txt 206",
                             "GET /hello.txt 416", "GET /private/secret.txt 200", "GET /private/secret.txt 401",
                             "OPTIONS /hello.txt 405", "CONFORMANCE-PROBE /hello.txt 405"})
        CHECK_MESSAGE(log.find(line) != std::string::npos, line);
    for (const char* method : {"PUT ", "PATCH ", "DELETE ", "POST "}) CHECK(log.find(method) == std::string::npos);
    std::set<std::string> seen;
    for (const auto& f : findings) seen.insert(f.rule);
    for (const auto rule : conditional_and_range_rules) CHECK_MESSAGE(seen.count(std::string(rule)) == 0, rule);
    // The unknown method, judged by the rules: nginx's 405 has no Allow.
    CHECK(seen.count("405-missing-allow") == 1);
    // The 401 without credentials carries a Basic challenge: no challenge rule fires.
    CHECK(seen.count("401-missing-www-authenticate") == 0);
    // The credential never reaches any output.
    for (const auto& path : {findings_path, dir.file("r.html"), dir.file("r.sarif")})
        CHECK(slurp(path).find("YWxpY2U6d29uZGVybGFuZA") == std::string::npos);
    CHECK(result.err.find("YWxpY2U6d29uZGVybGFuZA") == std::string::npos);
}

TEST_CASE("probe against Python's http.server: no ranges, 501 for unknown methods, methods logged; --unsafe-methods adds them") {
    TempDir dir{"cproxy-probe-py"};
    std::filesystem::create_directories(dir / "www");
    write(dir / "www/hello.txt", "hello, world\n");
    write(dir / "routes.txt", "/hello.txt\n/missing\n");
    const auto port = free_port();
    ChildProcess server({python_interpreter(), "-m", "http.server", "--bind", "127.0.0.1", std::to_string(port),
                         "--directory", (dir / "www").string()},
                        dir / "server.out", dir / "server.err");
    REQUIRE(eventually([&] { return RawClient::connect_error(port) == 0 || !server.running(); }, 10s));
    const auto findings_path = dir.file("findings.jsonl");
    const auto safe = run_command({proxy_binary(), "probe", "--upstream", loopback_url(port), "--routes",
                                   (dir / "routes.txt").string(), "--rate", "200", "--fail-on", "never",
                                   "--findings", findings_path.string()},
                                  60s);
    REQUIRE_MESSAGE(safe.exit_status == 0, safe.err);
    CHECK(eventually([&] { return slurp(dir / "server.err").find("CONFORMANCE-PROBE /missing") != std::string::npos; }, 5s));
    std::string log = slurp(dir / "server.err");
    INFO("server log:\n" << log << "findings:\n" << describe(read_findings(findings_path)));
    CHECK(log.find("\"GET /hello.txt HTTP/1.1\" 304") != std::string::npos);  // the conditional probe
    CHECK(log.find("\"OPTIONS /hello.txt HTTP/1.1\" 501") != std::string::npos);
    for (const char* method : {"\"PUT ", "\"PATCH ", "\"DELETE ", "\"POST "}) CHECK(log.find(method) == std::string::npos);
    std::set<std::string> seen;
    for (const auto& f : read_findings(findings_path)) seen.insert(f.rule);
    for (const auto rule : conditional_and_range_rules) CHECK_MESSAGE(seen.count(std::string(rule)) == 0, rule);

    const auto unsafe = run_command({proxy_binary(), "probe", "--upstream", loopback_url(port), "--routes",
                                     (dir / "routes.txt").string(), "--rate", "200", "--fail-on", "never",
                                     "--unsafe-methods"},
                                    60s);
    CHECK(unsafe.exit_status == 0);
    CHECK(eventually([&] { return slurp(dir / "server.err").find("\"DELETE /missing") != std::string::npos; }, 5s));
    server.send_signal(SIGTERM);
    CHECK(server.wait_for_exit(5s).has_value());
}

}  // TEST_SUITE

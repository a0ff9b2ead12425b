// Real servers from Debian behind the proxy: nginx (static files, ETag, Last-Modified, 304,
// single and multipart ranges, 416, auth_basic; gzip and its 304), Apache (the same, from its own modules),
// Flask on Werkzeug's dev server (send_from_directory: validators and single ranges) and
// Python's http.server (HTTP/1.0, 304 on If-Modified-Since, no ranges). Each answers the same requests, made by curl through the proxy
// and sent again straight to the server to make a raw capture for `lint` (request head
// included, so the request-dependent rules run too). The findings of both paths must be
// exactly the expected set: the rules must stay silent on conformant answers, and the few
// real non-conformances of these servers are named below with the reason.
#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "integration/support/Clients.hpp"
#include "integration/support/Digest.hpp"
#include "integration/support/FindingsFile.hpp"
#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"

using namespace it;
using namespace std::chrono_literals;

namespace {

bool have_program(const std::string& name) {
    return run_command({"sh", "-c", "command -v " + name}, 5s).exit_status == 0;
}

// One exchange. Its target carries "?<name>" so each exchange's findings are told apart
// (both servers ignore the query of a static file).
struct Request {
    std::string name;
    std::string method = "GET";
    std::string path = "/hello.txt";
    std::vector<std::pair<std::string, std::string>> fields;
    std::string body;
    std::string target() const { return path + "?" + name; }
};

// The requests of the brief; `etag` and `last_modified` are what the server sent for hello.txt.
std::vector<Request> requests(const std::string& etag, const std::string& last_modified) {
    return {
        {"get"},
        {"get-json", "GET", "/data.json"},
        {"get-binary", "GET", "/blob.bin"},
        {"head", "HEAD"},
        {"if-none-match", "GET", "/hello.txt", {{"If-None-Match", etag}}},
        {"if-modified-since", "GET", "/hello.txt", {{"If-Modified-Since", last_modified}}},
        {"range-first-ten", "GET", "/blob.bin", {{"Range", "bytes=0-9"}}},
        {"range-suffix", "GET", "/hello.txt", {{"Range", "bytes=-5"}}},
        {"range-two", "GET", "/hello.txt", {{"Range", "bytes=0-1,5-6"}}},
        {"range-unsatisfiable", "GET", "/hello.txt", {{"Range", "bytes=500000-"}}},
        {"if-range-current", "GET", "/hello.txt", {{"Range", "bytes=0-9"}, {"If-Range", etag}}},
        {"if-range-stale", "GET", "/hello.txt", {{"Range", "bytes=0-9"}, {"If-Range", "\"stale-tag\""}}},
        {"unknown-method", "FROB"},
        {"options", "OPTIONS"},
        {"post", "POST", "/hello.txt", {{"Content-Type", "application/x-www-form-urlencoded"}}, "a=b"},
        {"auth-none", "GET", "/private/secret.txt"},
        {"auth-good", "GET", "/private/secret.txt", {{"Authorization", "Basic YWxpY2U6d29uZGVybGFuZA=="}}},  // alice:wonderland
        {"auth-wrong", "GET", "/private/secret.txt", {{"Authorization", "Basic YWxpY2U6d3Jvbmc="}}},  // alice:wrong
        {"missing", "GET", "/no-such-file.txt"},
    };
}

std::vector<std::string> curl_args(const Request& r, const std::string& base) {
    std::vector<std::string> args;
    if (r.method == "HEAD") args.push_back("--head");
    else if (r.method != "GET" && r.method != "POST") args.insert(args.end(), {"-X", r.method});
    for (const auto& [name, value] : r.fields) args.push_back("-H" + name + ": " + value);
    if (!r.body.empty()) args.insert(args.end(), {"--data-binary", r.body});
    args.push_back(base + r.target());
    return args;
}

std::string raw_request(const Request& r, std::uint16_t port) {
    std::string head = r.method + " " + r.target() + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                       "\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n";
    for (const auto& [name, value] : r.fields) head += name + ": " + value + "\r\n";
    if (!r.body.empty()) head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    return head + "\r\n" + r.body;
}

// "rule target" for every finding, e.g. "405-missing-allow /hello.txt?options".
std::multiset<std::string> rule_and_target(const std::vector<FindingLine>& findings) {
    std::multiset<std::string> out;
    for (const auto& f : findings) out.insert(f.rule + " " + f.target);
    return out;
}

std::string lines_of(const std::multiset<std::string>& set) {
    std::string out;
    for (const auto& line : set) out += "  " + line + "\n";
    return out.empty() ? "  (none)\n" : out;
}

// What the test expects of one server: rules on every exchange, and rules on named exchanges.
struct Expected {
    std::vector<std::string> on_every_exchange;
    std::multimap<std::string, std::string> by_exchange;  // request name -> rule
    std::multiset<std::string> for_requests(const std::vector<Request>& list) const {
        std::multiset<std::string> out;
        for (const auto& r : list) {
            for (const auto& rule : on_every_exchange) out.insert(rule + " " + r.target());
            const auto [first, last] = by_exchange.equal_range(r.name);
            for (auto entry = first; entry != last; ++entry) out.insert(entry->second + " " + r.target());
        }
        return out;
    }
};

// The served tree: a text file, a JSON file, 100 KB of binary, and /private/ behind auth_basic.
struct ServedTree {
    TempDir dir{"cproxy-real"};
    ServedTree() {
        std::filesystem::create_directories(dir / "www/private");
        std::filesystem::create_directories(dir / "nginx-temp");
        write_file(dir / "www/hello.txt", "hello, world\nsecond line\n");
        write_file(dir / "www/data.json", "{\"name\":\"conformance\",\"ok\":true}\n");
        std::string blob(100 * 1024, '\0');
        PatternBytes(7).fill(blob.data(), blob.size());
        write_file(dir / "www/blob.bin", blob);
        write_file(dir / "www/private/secret.txt", "secret\n");
        // A day old: Apache makes the ETag of a file changed within the last second weak (it
        // might change again within the second), and an If-Range with a weak tag is the
        // client's fault (if-range-weak-etag).
        const auto yesterday = std::filesystem::file_time_type::clock::now() - std::chrono::hours(24);
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "www"))
            std::filesystem::last_write_time(entry.path(), yesterday);
    }
    std::string www() const { return (dir / "www").string(); }
};

// Apache's children drop root for www-data: the tree (a mkdtemp directory, 0700) and the
// htpasswd file must be readable by others.
void open_to_others(const std::filesystem::path& root) {
    using std::filesystem::perms;
    std::filesystem::permissions(root, perms::others_read | perms::others_exec | perms::group_read | perms::group_exec,
                                 std::filesystem::perm_options::add);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        auto add = perms::others_read | perms::group_read;
        if (entry.is_directory()) add |= perms::others_exec | perms::group_exec;
        std::filesystem::permissions(entry.path(), add, std::filesystem::perm_options::add);
    }
}

// One response straight from the server, for the capture and for the validators.
HttpResponse ask_directly(std::uint16_t port, const std::string& request, bool head) {
    RawClient client(port);
    client.send(request);
    auto response = client.read_response(5s, head);
    REQUIRE_MESSAGE(response, "no response from the server to:\n" << request);
    return std::move(*response);
}

// Every request through the proxy with curl, then every request straight to the server and
// its capture through `lint`; both findings sets must equal `expected`.
void check_server(const std::string& label, std::uint16_t server_port, const Expected& expected, TempDir& work) {
    const auto hello = ask_directly(server_port, raw_request({"validators"}, server_port), false);
    REQUIRE(hello.status == 200);
    const std::string etag = hello.head.field("ETag").value_or("\"no-etag-sent\"");
    const std::string last_modified = hello.head.value("Last-Modified");
    REQUIRE_MESSAGE(!last_modified.empty(), label << " sent no Last-Modified: " << hello.head.raw);
    const auto list = requests(etag, last_modified);
    const auto wanted = expected.for_requests(list);

    // 1. Live, through the proxy.
    const auto findings_path = work.file(label + "-findings.jsonl");
    ProxyProcess proxy({"--upstream", loopback_url(server_port), "--findings", findings_path.string()});
    std::string transcript;
    for (const auto& r : list) {
        const auto result = curl(curl_args(r, proxy.url()), 10s);
        REQUIRE_MESSAGE(result.ok(), r.name << ": " << result.command.err);
        transcript += "> " + r.method + " " + r.target() + "\n" + result.final_response().head.raw;
    }
    REQUIRE(proxy.stop() == 0);
    const auto live = read_findings(findings_path);
    for (const auto& f : live) CHECK_MESSAGE(!f.rule.empty(), "unreadable findings line: " << f.raw);
    CHECK_MESSAGE(rule_and_target(live) == wanted, label << " through the proxy\nexpected:\n" << lines_of(wanted)
                                                          << "seen:\n" << lines_of(rule_and_target(live))
                                                          << "responses:\n" << transcript);

    // 2. Offline: the same requests straight to the server, each capture through lint.
    std::multiset<std::string> offline;
    for (const auto& r : list) {
        const std::string request = raw_request(r, server_port);
        const auto response = ask_directly(server_port, request, r.method == "HEAD");
        const std::string capture = request + response.head.raw + response.body.wire;
        const auto lint_findings = work.file(label + "-lint-" + r.name + ".jsonl");
        const auto lint = run_command({proxy_binary(), "lint", "-", "--fail-on", "never", "--findings",
                                       lint_findings.string()}, 10s, capture);
        INFO(r.name << " capture head:\n" << request.substr(0, request.find("\r\n\r\n")) << "\n" << response.head.raw);
        REQUIRE_MESSAGE(lint.exit_status == 0, lint.err);
        for (const auto& f : read_findings(lint_findings)) offline.insert(f.rule + " " + f.target);
    }
    CHECK_MESSAGE(offline == wanted, label << " through lint\nexpected:\n" << lines_of(wanted) << "seen:\n"
                                           << lines_of(offline));
}

}  // namespace

TEST_SUITE("real servers") {

// Whether `server` (a program name or path; empty when absent) and htpasswd are installed; if
// not, says which Debian package scripts/install-deps.sh --with-tests installs.
bool servers_installed(const std::string& server, const std::string& package) {
    if (!server.empty() && have_program(server) && have_program("htpasswd")) return true;
    MESSAGE("skipped: " << (server.empty() ? package : server) << " or htpasswd is not installed "
            "(scripts/install-deps.sh --with-tests installs " << package << " and apache2-utils)");
    return false;
}

// nginx serving `tree` on `port` with /private/ behind auth_basic (alice:wonderland); `extra`
// goes into its http block.
std::unique_ptr<ChildProcess> start_nginx(ServedTree& tree, std::uint16_t port, const std::string& extra = "") {
    const std::string d = tree.dir.path().string();
    const auto made = run_command({"htpasswd", "-b", "-c", d + "/htpasswd", "alice", "wonderland"}, 10s);
    REQUIRE_MESSAGE(made.exit_status == 0, made.err);
    write_file(tree.dir / "nginx.conf",
               "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d + "/nginx.pid;\n"
               "error_log " + d + "/nginx-error.log info;\nevents { worker_connections 64; }\n"
               "http {\n include /etc/nginx/mime.types;\n access_log " + d + "/nginx-access.log;\n"
               " client_body_temp_path " + d + "/nginx-temp/body;\n proxy_temp_path " + d + "/nginx-temp/proxy;\n"
               " fastcgi_temp_path " + d + "/nginx-temp/fastcgi;\n uwsgi_temp_path " + d + "/nginx-temp/uwsgi;\n"
               " scgi_temp_path " + d + "/nginx-temp/scgi;\n" + extra +
               " server {\n  listen 127.0.0.1:" + std::to_string(port) + ";\n  root " + tree.www() + ";\n"
               "  location /private/ { auth_basic \"restricted\"; auth_basic_user_file " + d + "/htpasswd; }\n }\n}\n");
    auto nginx = std::make_unique<ChildProcess>(
        std::vector<std::string>{"nginx", "-p", d, "-e", d + "/nginx-error.log", "-c", d + "/nginx.conf"},
        tree.dir / "nginx.out", tree.dir / "nginx.err");
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0 || !nginx->running(); }, 10s),
                    read_file(tree.dir / "nginx.err") << read_file(tree.dir / "nginx-error.log"));
    REQUIRE_MESSAGE(nginx->running(), read_file(tree.dir / "nginx.err") << read_file(tree.dir / "nginx-error.log"));
    return nginx;
}

TEST_CASE("nginx from Debian: static files, validators, 304, ranges, 416, auth_basic; only its known faults") {
    if (!servers_installed("nginx", "nginx-light")) return;
    ServedTree tree;
    const auto port = free_port();
    auto nginx = start_nginx(tree, port);

    Expected expected;
    // Real, kept: `Server: nginx/1.22.1` names its version (RFC 9110 §10.2.4 SHOULD NOT; info).
    expected.on_every_exchange = {"server-version-disclosed"};
    // Real, kept: nginx answers a method it does not serve on a static file with 405 and no
    // Allow field (RFC 9110 §15.5.6: the origin server MUST generate Allow in a 405).
    for (const char* name : {"unknown-method", "options", "post"}) expected.by_exchange.emplace(name, "405-missing-allow");
    // Real, kept: nginx's own error pages are text/html without a charset (info).
    for (const char* name : {"unknown-method", "options", "post", "range-unsatisfiable", "auth-none", "auth-wrong", "missing"})
        expected.by_exchange.emplace(name, "content-type-html-missing-charset");
    check_server("nginx", port, expected, tree.dir);

    CHECK(nginx->stop(5s) == 0);
}

// With gzip_vary nginx sends `Vary: Accept-Encoding` on every 200 of a compressible type, but
// its 304 (answered before the gzip filter runs) leaves it out: RFC 9110 §15.4.5 asks a 304 for
// the Vary the 200 would carry. A stateful rule: the 304 is judged against the 200 seen before.
// Without gzip_vary neither carries Vary, and the same revalidation is silent.
TEST_CASE("nginx with gzip_vary: its 304 lacks the Vary its 200 carried; without it, silent") {
    if (!servers_installed("nginx", "nginx-light")) return;
    for (const bool vary : {true, false}) {
        CAPTURE(vary);
        ServedTree tree;
        const auto port = free_port();
        // gzip_proxied: nginx compresses nothing for a request with Via (ours) by default.
        auto nginx = start_nginx(tree, port, std::string(" gzip on;\n gzip_proxied any;\n gzip_types text/plain;\n"
                                                         " gzip_min_length 10;\n") +
                                                 (vary ? " gzip_vary on;\n" : ""));
        const auto findings_path = tree.dir / "findings.jsonl";
        ProxyProcess proxy({"--upstream", loopback_url(port), "--findings", findings_path.string()});
        const auto first = curl({"--compressed", proxy.url() + "/hello.txt?first"}, 10s);
        REQUIRE_MESSAGE(first.ok(), first.command.err);
        CHECK(first.final_response().head.value("Content-Encoding") == "gzip");
        CHECK(first.final_response().head.field("Vary").has_value() == vary);
        const std::string etag = first.final_response().head.value("ETag");
        REQUIRE(etag.starts_with("W/\""));  // nginx weakens the tag of what it compresses
        // The same target, so the 304 pairs with that 200 (same route).
        const auto again = curl({"--compressed", "-H", "If-None-Match: " + etag, proxy.url() + "/hello.txt?first"}, 10s);
        REQUIRE_MESSAGE(again.ok(), again.command.err);
        CHECK(again.final_response().status == 304);
        REQUIRE(proxy.stop() == 0);

        std::vector<std::string> seen;
        for (const auto& f : read_findings(findings_path)) {
            if (f.rule == "server-version-disclosed") continue;
            seen.push_back(f.rule + " " + std::to_string(f.status));
            CHECK_MESSAGE(f.message.find("Vary") != std::string::npos, f.message);  // names the field
        }
        const std::vector<std::string> wanted =
            vary ? std::vector<std::string>{"304-missing-200-field 304"} : std::vector<std::string>{};
        CHECK(seen == wanted);
        CHECK(nginx->stop(5s) == 0);
    }
}

TEST_CASE("Python's http.server: HTTP/1.0, 304 on If-Modified-Since, no ranges, 501 for other methods") {
    ServedTree tree;
    const auto port = free_port();
    ChildProcess server({python_interpreter(), "-m", "http.server", "--bind", "127.0.0.1", std::to_string(port),
                         "--directory", tree.www()},
                        tree.dir / "server.out", tree.dir / "server.err");
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0 || !server.running(); }, 10s),
                    read_file(tree.dir / "server.err"));
    REQUIRE(server.running());

    Expected expected;
    // Real, kept: `Server: SimpleHTTP/0.6 Python/3.11.2` names versions (info).
    expected.on_every_exchange = {"server-version-disclosed"};
    check_server("http.server", port, expected, tree.dir);

    server.send_signal(SIGTERM);
    CHECK(server.wait_for_exit(5s).has_value());
}

std::string apache_binary() {
    if (have_program("apache2")) return "apache2";
    return std::filesystem::exists("/usr/sbin/apache2") ? "/usr/sbin/apache2" : "";
}

// Apache serving `tree` on `port` with /private/ behind Basic auth (alice:wonderland);
// `extra` is appended to its configuration (more modules and directives).
std::unique_ptr<ChildProcess> start_apache(ServedTree& tree, std::uint16_t port, const std::string& extra = "") {
    const std::string d = tree.dir.path().string();
    const auto made = run_command({"htpasswd", "-b", "-c", d + "/htpasswd", "alice", "wonderland"}, 10s);
    REQUIRE_MESSAGE(made.exit_status == 0, made.err);
    open_to_others(tree.dir.path());
    const std::string modules = "/usr/lib/apache2/modules/";
    std::string conf = "ServerRoot " + d + "\nDefaultRuntimeDir " + d + "\nPidFile " + d + "/apache.pid\n"
                       "Listen 127.0.0.1:" + std::to_string(port) + "\nServerName 127.0.0.1\n"
                       "ErrorLog " + d + "/apache-error.log\nLogLevel warn\n";
    for (const char* module : {"mpm_event", "authz_core", "authz_user", "authn_core", "authn_file", "auth_basic", "mime"})
        conf += std::string("LoadModule ") + module + "_module " + modules + "mod_" + module + ".so\n";
    // The types of the served tree named here: apache2-bin alone has no mime.types.
    conf += "TypesConfig /dev/null\nAddType text/plain .txt\nAddType application/json .json\n"
            "AddType application/octet-stream .bin\nUser www-data\nGroup www-data\nDocumentRoot " + tree.www() + "\n"
            "<Directory " + tree.www() + ">\n Require all granted\n</Directory>\n"
            "<Location /private/>\n AuthType Basic\n AuthName restricted\n AuthUserFile " + d + "/htpasswd\n"
            " Require valid-user\n</Location>\n" + extra;
    write_file(tree.dir / "apache.conf", conf);
    auto server = std::make_unique<ChildProcess>(
        std::vector<std::string>{apache_binary(), "-d", d, "-f", d + "/apache.conf", "-DFOREGROUND"},
        tree.dir / "apache.out", tree.dir / "apache.err");
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0 || !server->running(); }, 10s),
                    read_file(tree.dir / "apache.err") << read_file(tree.dir / "apache-error.log"));
    REQUIRE_MESSAGE(server->running(), read_file(tree.dir / "apache.err") << read_file(tree.dir / "apache-error.log"));
    return server;
}

TEST_CASE("Apache from Debian: static files, validators, 304, ranges, 416, Basic auth; only its known faults") {
    if (!servers_installed(apache_binary(), "apache2-bin")) return;
    ServedTree tree;
    const auto port = free_port();
    auto server = start_apache(tree, port);

    Expected expected;
    // Real, kept: `Server: Apache/2.4.71 (Debian)` names its version (info).
    expected.on_every_exchange = {"server-version-disclosed"};
    // Real, kept: Apache's 416 is its error page without Content-Range (RFC 9110 §15.5.17: a
    // server SHOULD send `Content-Range: bytes */<length>`, so the client learns the length).
    expected.by_exchange.emplace("range-unsatisfiable", "416-missing-content-range");
    check_server("apache", port, expected, tree.dir);

    server->send_signal(SIGTERM);
    CHECK(server->wait_for_exit(10s).has_value());
}

// mod_deflate appends "-gzip" to the ETag of what it compresses, then compares a request's
// If-None-Match with the file's own tag: the client's revalidation never matches and gets the
// whole body again with a 200 (Apache bug 45023). DeflateAlterETag NoChange is the fix.
TEST_CASE("Apache's mod_deflate: a 200 to the If-None-Match of its own -gzip ETag; with the fix, a silent 304") {
    if (!servers_installed(apache_binary(), "apache2-bin")) return;
    const std::string deflate = "LoadModule filter_module /usr/lib/apache2/modules/mod_filter.so\n"
                                "LoadModule deflate_module /usr/lib/apache2/modules/mod_deflate.so\n"
                                "AddOutputFilterByType DEFLATE text/plain\n";
    for (const bool fixed : {false, true}) {
        CAPTURE(fixed);
        ServedTree tree;
        // mod_deflate leaves hello.txt's 25 bytes alone; a page of text it compresses.
        std::string notes;
        for (int i = 0; i < 200; ++i) notes += "line " + std::to_string(i) + " of the notes\n";
        write_file(tree.dir / "www/notes.txt", notes);
        std::filesystem::last_write_time(tree.dir / "www/notes.txt",
                                         std::filesystem::file_time_type::clock::now() - std::chrono::hours(24));
        const auto port = free_port();
        auto server = start_apache(tree, port, deflate + (fixed ? "DeflateAlterETag NoChange\n" : ""));
        const auto findings_path = tree.dir / "findings.jsonl";
        ProxyProcess proxy({"--upstream", loopback_url(port), "--findings", findings_path.string()});
        const auto first = curl({"--compressed", proxy.url() + "/notes.txt?first"}, 10s);
        REQUIRE_MESSAGE(first.ok(), first.command.err);
        REQUIRE(first.final_response().head.value("Content-Encoding") == "gzip");
        const std::string etag = first.final_response().head.value("ETag");
        CHECK(etag.ends_with("-gzip\"") == !fixed);
        const auto again = curl({"--compressed", "-H", "If-None-Match: " + etag, proxy.url() + "/notes.txt?again"}, 10s);
        REQUIRE_MESSAGE(again.ok(), again.command.err);
        CHECK(again.final_response().status == (fixed ? 304 : 200));
        REQUIRE(proxy.stop() == 0);

        std::multiset<std::string> seen;
        for (const auto& f : read_findings(findings_path))
            if (f.rule != "server-version-disclosed") seen.insert(f.rule + " " + f.target);
        const std::multiset<std::string> wanted =
            fixed ? std::multiset<std::string>{} : std::multiset<std::string>{"if-none-match-ignored /notes.txt?again"};
        CHECK_MESSAGE(seen == wanted, "expected:\n" << lines_of(wanted) << "seen:\n" << lines_of(seen));

        server->send_signal(SIGTERM);
        CHECK(server->wait_for_exit(10s).has_value());
    }
}

TEST_CASE("Flask from Debian (Werkzeug's dev server): send_from_directory, validators, ranges, 405 with Allow") {
    if (run_command({python_interpreter(), "-c", "import flask"}, 10s).exit_status != 0) {
        MESSAGE("skipped: Python's flask is not installed (scripts/install-deps.sh --with-tests installs python3-flask)");
        return;
    }
    ServedTree tree;
    const auto port = free_port();
    // The same tree as the other servers: static files through Flask's send_from_directory
    // (conditional and range requests handled by Werkzeug), /private/ behind Basic auth.
    write_file(tree.dir / "app.py",
               "import sys\n"
               "from flask import Flask, Response, request, send_from_directory\n"
               "www = sys.argv[2]\n"
               "app = Flask(__name__)\n"
               "@app.route('/<path:name>')\n"
               "def served(name):\n"
               "    if name.startswith('private/'):\n"
               "        auth = request.authorization\n"
               "        if not auth or (auth.username, auth.password) != ('alice', 'wonderland'):\n"
               "            return Response('authentication required\\n', 401, {'WWW-Authenticate': 'Basic realm=\"restricted\"'},\n"
               "                            mimetype='text/plain')\n"
               "    return send_from_directory(www, name)\n"
               "app.run(host='127.0.0.1', port=int(sys.argv[1]), threaded=True)\n");
    ChildProcess server({python_interpreter(), (tree.dir / "app.py").string(), std::to_string(port), tree.www()},
                        tree.dir / "flask.out", tree.dir / "flask.err");
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0 || !server.running(); }, 15s),
                    read_file(tree.dir / "flask.err"));
    REQUIRE_MESSAGE(server.running(), read_file(tree.dir / "flask.err"));

    Expected expected;
    // Real, kept: `Server: Werkzeug/2.2.2 Python/3.11.2` names versions (info).
    expected.on_every_exchange = {"server-version-disclosed"};
    // Real, kept: every answer of send_from_directory carries Date twice, once from the dev
    // server and once from Werkzeug's make_conditional (pallets/werkzeug#2500; nginx in front
    // logs "upstream sent duplicate header line"). Its error pages (4xx) carry it once.
    for (const char* name : {"get", "get-json", "get-binary", "head", "if-none-match", "if-modified-since",
                             "range-first-ten", "range-suffix", "if-range-current", "if-range-stale", "auth-good"})
        expected.by_exchange.emplace(name, "field-repeated-singleton");
    check_server("flask", port, expected, tree.dir);

    server.send_signal(SIGTERM);
    CHECK(server.wait_for_exit(10s).has_value());
}

}  // TEST_SUITE

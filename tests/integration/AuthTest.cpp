// HTTP Basic proxy authentication with real clients and real htpasswd files: curl -x
// -U in forward-proxy mode and with -H Proxy-Authorization in reverse mode, Python urllib's
// ProxyHandler, CONNECT tunnels carrying plain HTTP and TLS end to end, every hash format
// Debian's htpasswd (apache2-utils) and openssl write, the throttle, SIGHUP reload, and the
// password never leaving the client: not upstream, not in logs, findings or reports.
#include <doctest/doctest.h>

#include <signal.h>

#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/Clients.hpp"
#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/ProblemChecks.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"
#include "integration/support/TempDir.hpp"

using namespace it;

namespace {

// Distinctive, so a grep over logs and reports cannot miss it; '!' keeps it out of base64.
constexpr std::string_view kUser = "alice";
constexpr std::string_view kPassword = "T3st-Pa55w0rd!q7";
constexpr std::string_view kRealm = "it realm";
constexpr std::string_view kChallenge = R"(Basic realm="it realm", charset="UTF-8")";

std::string base64(std::string_view text) {
    namespace b64 = boost::beast::detail::base64;
    std::string out(b64::encoded_size(text.size()), '\0');
    out.resize(b64::encode(out.data(), text.data(), text.size()));
    return out;
}

std::string basic(std::string_view user, std::string_view password) {
    return "Basic " + base64(std::string(user) + ":" + std::string(password));
}

std::string credentials(std::string_view user, std::string_view password) {
    return std::string(user) + ":" + std::string(password);
}

// Adds (or, the first time, creates) `user` in `file` with Debian's htpasswd; `format` is
// htpasswd's flags for the hash, e.g. {"-B", "-C", "5"}.
void htpasswd(const std::filesystem::path& file, std::string_view user, std::string_view password,
              std::vector<std::string> format = {"-B", "-C", "5"}) {
    std::vector<std::string> argv{"htpasswd", std::filesystem::exists(file) ? "-b" : "-cb"};
    argv.insert(argv.end(), format.begin(), format.end());
    argv.insert(argv.end(), {file.string(), std::string(user), std::string(password)});
    const auto result = run_command(argv, std::chrono::seconds(10));
    REQUIRE_MESSAGE(result.exit_status == 0, "htpasswd failed: " << result.err);
}

void append_line(const std::filesystem::path& file, std::string_view line) {
    write_file(file, read_file(file) + std::string(line) + "\n");
}

// curl through a proxy: like it::curl, but without its `--noproxy '*'` (which would switch -x
// off) and with `--noproxy ""` so no NO_PROXY in the environment bypasses the proxy either.
CurlResult curl_via(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    std::vector<std::string> argv{"curl", "-sS", "--include", "--noproxy", "", "--max-time",
                                  std::to_string(timeout.count())};
    argv.insert(argv.end(), args.begin(), args.end());
    CurlResult result;
    result.command = run_command(argv, timeout + std::chrono::seconds(5));
    result.responses = parse_curl_include_output(result.command.out);
    return result;
}

int status_via(const std::vector<std::string>& args) {
    const auto result = curl_via(args);
    INFO("curl stderr: " << result.command.err);
    return result.responses.empty() ? 0 : result.final_response().status;
}

// curl -p prints the proxy's "200 Connection Established" head and then what came through the
// tunnel: the tunnelled response, parsed out of the first one's "body".
std::optional<HttpResponse> through_tunnel(const CurlResult& result) {
    if (result.responses.size() != 1 || result.responses[0].status != 200) return std::nullopt;
    auto inner = parse_curl_include_output(result.responses[0].body.bytes);
    if (inner.empty()) return std::nullopt;
    return inner.back();
}

// An upstream that answers every request with the exact head it received as the body.
ScriptedUpstream::Script echo_head() {
    return [](const ReceivedRequest& request) {
        return Reply::bytes(http_response(200, request.head.raw, "", "text/plain"));
    };
}

bool saw_proxy_authorization(const ScriptedUpstream& upstream) {
    for (const auto& request : upstream.requests()) {
        if (request.head.has("Proxy-Authorization")) return true;
        std::string lower = request.head.raw;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower.find("proxy-authorization") != std::string::npos) return true;
    }
    return false;
}

void check_challenge(const HttpResponse& response) {
    check_problem_response(response, 407);
    CHECK(response.head.value("Proxy-Authenticate") == kChallenge);
    CHECK(response.head.count("Proxy-Authenticate") == 1);
}

void check_malformed(const HttpResponse& response, std::string_view named_problem) {
    check_problem_response(response, 400);
    CHECK_FALSE(response.head.has("Proxy-Authenticate"));
    INFO("body: " << response.body.bytes);
    CHECK(response.body.bytes.find(named_problem) != std::string::npos);
}

// An htpasswd file with alice (bcrypt, cost 5) in a directory of its own.
struct Users {
    TempDir dir;
    std::filesystem::path file = dir.file("users.htpasswd");
    Users() { htpasswd(file, kUser, kPassword); }
};

std::vector<std::string> auth_args(const Users& users, std::vector<std::string> more = {}) {
    std::vector<std::string> args{"--auth-htpasswd", users.file.string(), "--auth-realm", std::string(kRealm)};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_SUITE("auth") {

TEST_CASE("proxy auth, forward mode, curl -x -U: good 200, wrong and none 407 with the challenge, malformed 400") {
    Users users;
    ScriptedUpstream upstream(echo_head());
    ProxyProcess proxy(auth_args(users));
    const std::string target = upstream.url() + "/resource?q=1";
    const std::string via = proxy.url();

    SUBCASE("good credentials: 200, and Proxy-Authorization never reaches the upstream") {
        const auto result = curl_via({"-x", via, "-U", credentials(kUser, kPassword), target});
        REQUIRE_MESSAGE(result.ok(), result.command.err);
        CHECK(result.final_response().status == 200);
        REQUIRE(upstream.requests().size() == 1);
        CHECK(upstream.requests()[0].head.start_line == "GET /resource?q=1 HTTP/1.1");
        CHECK_FALSE(saw_proxy_authorization(upstream));
        CHECK_FALSE(contains(result.final_response().body.bytes, base64(credentials(kUser, kPassword))));
        CHECK(proxy.wait_for_stderr("user=alice", std::chrono::seconds(3)));
    }
    SUBCASE("wrong password: 407, and nothing reaches the upstream") {
        const auto result = curl_via({"-x", via, "-U", credentials(kUser, "wrong"), target});
        REQUIRE(!result.responses.empty());
        check_challenge(result.final_response());
        CHECK(upstream.requests().empty());
    }
    SUBCASE("unknown user: 407 like a wrong password") {
        const auto result = curl_via({"-x", via, "-U", credentials("mallory", kPassword), target});
        REQUIRE(!result.responses.empty());
        check_challenge(result.final_response());
        CHECK(upstream.requests().empty());
    }
    SUBCASE("no credentials: 407") {
        const auto result = curl_via({"-x", via, target});
        REQUIRE(!result.responses.empty());
        check_challenge(result.final_response());
        CHECK(contains(result.final_response().body.bytes, "Proxy-Authorization"));
        CHECK(upstream.requests().empty());
    }
    SUBCASE("malformed: bad base64, not Basic, no colon: 400 naming the problem") {
        auto sent = [&](const std::string& value) {
            const auto result = curl_via({"-x", via, "-H", "Proxy-Authorization: " + value, target});
            REQUIRE_MESSAGE(!result.responses.empty(), result.command.err);
            return result.final_response();
        };
        check_malformed(sent("Basic !!!"), "base64");
        check_malformed(sent("Bearer x"), "not Basic");
        check_malformed(sent("Basic " + base64("alice")), "no colon");
        CHECK(upstream.requests().empty());
    }
    CHECK(proxy.stop() == 0);
}

TEST_CASE("proxy auth, reverse mode (--upstream), curl -H Proxy-Authorization: 200, 407, 400; the 407 passes lint") {
    Users users;
    ScriptedUpstream upstream(echo_head());
    ProxyProcess proxy(auth_args(users, {"--upstream", upstream.url()}));
    const std::string url = proxy.url() + "/api/items";

    const auto good = curl_via({url, "-H", "Proxy-Authorization: " + basic(kUser, kPassword)});
    REQUIRE_MESSAGE(good.ok(), good.command.err);
    CHECK(good.final_response().status == 200);
    REQUIRE(upstream.requests().size() == 1);
    CHECK(upstream.requests()[0].head.start_line == "GET /api/items HTTP/1.1");
    CHECK_FALSE(saw_proxy_authorization(upstream));

    const auto wrong = curl_via({url, "-H", "Proxy-Authorization: " + basic(kUser, "Wrong-Pw")});
    REQUIRE(!wrong.responses.empty());
    check_challenge(wrong.final_response());
    const auto none = curl_via({url});
    REQUIRE(!none.responses.empty());
    check_challenge(none.final_response());
    const auto malformed = curl_via({url, "-H", "Proxy-Authorization: Basic !!!"});
    REQUIRE(!malformed.responses.empty());
    check_malformed(malformed.final_response(), "base64");
    CHECK(upstream.requests().size() == 1);

    // The proxy's own 407, captured byte for byte, passes its own checker.
    const std::string request = "GET /api/items HTTP/1.1\r\nHost: example.test\r\n\r\n";
    RawClient client(proxy.port());
    client.send(request);
    const auto challenge = client.read_response(std::chrono::seconds(5));
    REQUIRE(challenge);
    check_challenge(*challenge);
    const std::string capture = "GET /api/items HTTP/1.1\r\n\r\n" + challenge->head.raw + challenge->body.wire;
    const auto lint = run_command({proxy_binary(), "lint", "-", "--fail-on", "info"}, std::chrono::seconds(10), capture);
    INFO("capture:\n" << capture << "\nlint stdout:\n" << lint.out << "\nlint stderr:\n" << lint.err);
    CHECK(lint.exit_status == 0);
    CHECK(proxy.stop() == 0);
}

TEST_CASE("proxy auth, Python urllib: ProxyHandler with user:pass in the proxy URL, and ProxyBasicAuthHandler") {
    Users users;
    ScriptedUpstream upstream(echo_head());
    ProxyProcess proxy(auth_args(users));
    // mode "url": credentials in the proxy URL (urllib sends them preemptively);
    // mode "handler": ProxyBasicAuthHandler answers the 407 challenge with them.
    static constexpr std::string_view script = R"PY(
import os, sys, urllib.error, urllib.request
for name in ("no_proxy", "NO_PROXY"):
    os.environ.pop(name, None)
mode, proxy, target, user, password = sys.argv[1:6]
if mode == "url":
    host = proxy.split("://", 1)[1]
    handlers = [urllib.request.ProxyHandler({"http": "http://%s:%s@%s" % (user, password, host)})]
else:
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, proxy, user, password)
    handlers = [urllib.request.ProxyHandler({"http": proxy}), urllib.request.ProxyBasicAuthHandler(manager)]
try:
    with urllib.request.build_opener(*handlers).open(target, timeout=10) as response:
        print(response.status)
        print(response.read().decode())
except urllib.error.HTTPError as error:
    print(error.code)
    print(error.headers.get("Proxy-Authenticate"))
)PY";
    auto run = [&](const char* mode, std::string_view password) {
        const auto result = run_python(script, {mode, proxy.url(), upstream.url() + "/py", std::string(kUser),
                                                std::string(password)});
        INFO("python stderr: " << result.err);
        CHECK(result.exit_status == 0);
        return result.out;
    };
    for (const char* mode : {"url", "handler"}) {
        CAPTURE(mode);
        const auto before = upstream.requests().size();
        const auto good = run(mode, kPassword);
        CHECK(good.rfind("200\n", 0) == 0);
        CHECK(upstream.requests().size() == before + 1);
        const auto wrong = run(mode, "Wrong-Pw");
        CHECK(wrong == "407\n" + std::string(kChallenge) + "\n");
        CHECK(upstream.requests().size() == before + 1);
    }
    CHECK_FALSE(saw_proxy_authorization(upstream));
    CHECK(proxy.stop() == 0);
}

TEST_CASE("proxy auth, CONNECT tunnel with curl -p -U carries a plain HTTP exchange end to end") {
    Users users;
    ScriptedUpstream upstream(echo_head());
    ProxyProcess proxy(auth_args(users));

    const auto result = curl_via({"-p", "-x", proxy.url(), "-U", credentials(kUser, kPassword), upstream.url() + "/tunnelled"});
    REQUIRE_MESSAGE(result.ok(), result.command.err);
    CHECK(result.responses[0].head.start_line.find("200") != std::string::npos);
    const auto inner = through_tunnel(result);
    REQUIRE_MESSAGE(inner, result.command.out);
    CHECK(inner->status == 200);
    // The upstream got curl's own request as sent, with no proxy fields added or leaked.
    const auto requests = upstream.requests();  // a copy: the reference below must outlive the call
    REQUIRE(requests.size() == 1);
    const auto& seen = requests[0].head;
    CHECK(seen.start_line == "GET /tunnelled HTTP/1.1");
    CHECK_FALSE(seen.has("Via"));
    CHECK_FALSE(saw_proxy_authorization(upstream));
    CHECK(inner->body.bytes == seen.raw);
    CHECK(proxy.wait_for_stderr("user=alice", std::chrono::seconds(3)));

    const auto wrong = curl_via({"-p", "-x", proxy.url(), "-U", credentials(kUser, "Wrong-Pw"), upstream.url() + "/no"});
    CHECK(wrong.command.exit_status != 0);
    REQUIRE_MESSAGE(!wrong.responses.empty(), wrong.command.err);
    CHECK(wrong.responses[0].status == 407);
    CHECK(wrong.responses[0].head.value("Proxy-Authenticate") == kChallenge);
    const auto none = curl_via({"-p", "-x", proxy.url(), upstream.url() + "/no"});
    REQUIRE_MESSAGE(!none.responses.empty(), none.command.err);
    CHECK(none.responses[0].status == 407);
    CHECK(upstream.requests().size() == 1);
    CHECK(proxy.stop() == 0);
}

TEST_CASE("proxy auth, CONNECT tunnel carries TLS end to end: curl verifies openssl s_server's own certificate") {
    Users users;
    TempDir tls;
    const auto cert = tls.file("cert.pem"), key = tls.file("key.pem");
    const auto made = run_command({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                   "-nodes", "-keyout", key.string(), "-out", cert.string(), "-days", "1", "-subj",
                                   "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"},
                                  std::chrono::seconds(10));
    REQUIRE_MESSAGE(made.exit_status == 0, made.err);
    const auto port = free_port();
    ChildProcess server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert", cert.string(),
                         "-key", key.string(), "-www", "-quiet"},
                        tls.file("s_server.out"), tls.file("s_server.err"));
    REQUIRE_MESSAGE(eventually([&] { return RawClient::connect_error(port) == 0; }, std::chrono::seconds(5)),
                    read_file(tls.file("s_server.err")));
    ProxyProcess proxy(auth_args(users));

    // --cacert, not --insecure: the handshake can only succeed with s_server itself, so the
    // proxy relayed the TLS bytes untouched.
    const auto result = curl_via({"-p", "-x", proxy.url(), "-U", credentials(kUser, kPassword), "--cacert",
                                  cert.string(), "https://localhost:" + std::to_string(port) + "/"});
    REQUIRE_MESSAGE(result.ok(), result.command.err);
    const auto inner = through_tunnel(result);
    REQUIRE_MESSAGE(inner, result.command.out);
    CHECK(inner->status == 200);
    CHECK(contains(inner->body.bytes, "Cipher"));  // s_server -www describes the session
    CHECK(proxy.wait_for_stderr("\"CONNECT localhost:" + std::to_string(port) + "\" 200", std::chrono::seconds(3)));

    const auto wrong = curl_via({"-p", "-x", proxy.url(), "-U", credentials(kUser, "Wrong-Pw"), "--cacert",
                                 cert.string(), "https://localhost:" + std::to_string(port) + "/"});
    REQUIRE_MESSAGE(!wrong.responses.empty(), wrong.command.err);
    CHECK(wrong.responses[0].status == 407);
    CHECK(proxy.stop() == 0);
    server.send_signal(SIGTERM);
    CHECK(server.wait_for_exit(std::chrono::seconds(5)).has_value());
}

TEST_CASE("proxy auth with --allow-destination: a destination off the list gets 403, after authentication") {
    Users users;
    ScriptedUpstream upstream(echo_head());
    const std::string allowed = "127.0.0.1:" + std::to_string(upstream.port());
    ProxyProcess proxy(auth_args(users, {"--allow-destination", allowed}));
    const std::string refused_url = "http://localhost:" + std::to_string(upstream.port()) + "/";
    const auto user = credentials(kUser, kPassword);

    CHECK(status_via({"-x", proxy.url(), "-U", user, upstream.url() + "/ok"}) == 200);
    const auto refused = curl_via({"-x", proxy.url(), "-U", user, refused_url});
    REQUIRE_MESSAGE(!refused.responses.empty(), refused.command.err);
    check_problem_response(refused.final_response(), 403);
    CHECK(contains(refused.final_response().body.bytes, "localhost"));
    const auto tunnel = curl_via({"-p", "-x", proxy.url(), "-U", user, refused_url});
    REQUIRE_MESSAGE(!tunnel.responses.empty(), tunnel.command.err);
    CHECK(tunnel.responses[0].status == 403);
    // Without credentials the allow-list is not even consulted: 407 first.
    CHECK(status_via({"-x", proxy.url(), refused_url}) == 407);
    CHECK(upstream.requests().size() == 1);
    CHECK(proxy.stop() == 0);
}

TEST_CASE("proxy auth, htpasswd in every format: bcrypt ($2y$ $2b$ $2a$), apr1, {SHA}, SHA-256/512 crypt") {
    TempDir dir;
    const auto file = dir.file("formats.htpasswd");
    struct Format {
        std::string user;
        std::string prefix;  // what the hash must start with
    };
    const std::vector<Format> formats{
        {"bcrypt", "$2y$05$"}, {"bcrypt2b", "$2b$05$"}, {"bcrypt2a", "$2a$05$"}, {"apr1", "$apr1$"},
        {"sha1", "{SHA}"},     {"sha256", "$5$"},       {"sha512", "$6$"},       {"ossl256", "$5$"},
        {"ossl512", "$6$"},
    };
    auto password = [](const std::string& user) { return "pw-" + user + "-T3st!"; };
    htpasswd(file, "bcrypt", password("bcrypt"), {"-B", "-C", "5"});
    // htpasswd writes $2y$; $2b$ and $2a$ name the same algorithm for these passwords.
    for (const char* variant : {"bcrypt2b", "bcrypt2a"}) {
        const auto line = run_command({"htpasswd", "-nbB", "-C", "5", variant, password(variant)}, std::chrono::seconds(10));
        REQUIRE(line.exit_status == 0);
        std::string entry = line.out.substr(0, line.out.find('\n'));
        entry.replace(entry.find("$2y$"), 4, variant == std::string_view("bcrypt2b") ? "$2b$" : "$2a$");
        append_line(file, entry);
    }
    htpasswd(file, "apr1", password("apr1"), {"-m"});
    htpasswd(file, "sha1", password("sha1"), {"-s"});
    htpasswd(file, "sha256", password("sha256"), {"-2"});
    htpasswd(file, "sha512", password("sha512"), {"-5"});
    for (const auto& [user, flag] : {std::pair{std::string("ossl256"), "-5"}, std::pair{std::string("ossl512"), "-6"}}) {
        const auto hash = run_command({"openssl", "passwd", flag, password(user)}, std::chrono::seconds(10));
        REQUIRE(hash.exit_status == 0);
        append_line(file, user + ":" + hash.out.substr(0, hash.out.find('\n')));
    }
    const auto written = read_file(file);
    INFO("htpasswd file:\n" << written);
    for (const auto& format : formats) CHECK(contains(written, format.user + ":" + format.prefix));

    ScriptedUpstream upstream(http_response(200, "ok\n"));
    // Throttle off: this test makes one wrong attempt per format on purpose.
    ProxyProcess proxy({"--auth-htpasswd", file.string(), "--auth-throttle-failures", "0"});
    CHECK(proxy.wait_for_stderr(std::to_string(formats.size()) + " user(s)", std::chrono::seconds(2)));
    for (const auto& format : formats) {
        CAPTURE(format.user);
        CHECK(status_via({"-x", proxy.url(), "-U", credentials(format.user, password(format.user)), upstream.url()}) == 200);
        CHECK(status_via({"-x", proxy.url(), "-U", credentials(format.user, password(format.user) + "x"), upstream.url()}) ==
              407);
    }
    CHECK(upstream.requests().size() == formats.size());
    CHECK(proxy.stop() == 0);
}

TEST_CASE("proxy auth: the password is in no log line, finding or report; the user name is in the access log") {
    Users users;
    // A non-conformant upstream, so there are findings and report entries to search.
    ScriptedUpstream upstream("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
    TempDir out;
    const auto findings = out.file("findings.jsonl"), html = out.file("report.html"), junit = out.file("junit.xml"),
               sarif = out.file("report.sarif");
    ProxyProcess proxy(auth_args(users, {"--findings", findings.string(), "--html", html.string(), "--junit",
                                         junit.string(), "--sarif", sarif.string()}));
    const std::string target = upstream.url() + "/secret-area";
    const std::string encoded = base64(credentials(kUser, kPassword));

    // Good credentials, with the password also in Authorization and Cookie (end to end: those
    // go upstream, but the proxy must not write them anywhere).
    const auto good = curl_via({"-x", proxy.url(), "-U", credentials(kUser, kPassword), "-H",
                                "Authorization: " + basic(kUser, kPassword), "-H",
                                "Cookie: session=" + std::string(kPassword), target});
    REQUIRE_MESSAGE(good.ok(), good.command.err);
    CHECK(good.final_response().status == 401);
    CHECK(status_via({"-x", proxy.url(), "-U", credentials(kUser, std::string(kPassword) + "-typo"), target}) == 407);
    // Malformed, with the password in clear in the field value.
    CHECK(status_via({"-x", proxy.url(), "-H", "Proxy-Authorization: Basic " + credentials(kUser, kPassword), target}) ==
          400);
    CHECK(status_via({"-x", proxy.url(), "-H", "Proxy-Authorization: Digest " + std::string(kPassword), target}) == 400);
    REQUIRE(proxy.stop() == 0);

    const auto log = proxy.stderr_text();
    CHECK(contains(log, "user=alice"));
    CHECK(contains(log, "wrong credentials"));
    CHECK(contains(log, "malformed Proxy-Authorization"));
    REQUIRE_MESSAGE(!read_file(findings).empty(), "no findings: the search below would prove nothing");
    for (const auto& [name, text] : {std::pair{"stderr", log}, std::pair{"stdout", read_file(proxy.dir().file("stdout.log"))},
                                     std::pair{"findings", read_file(findings)}, std::pair{"html", read_file(html)},
                                     std::pair{"junit", read_file(junit)}, std::pair{"sarif", read_file(sarif)}}) {
        CAPTURE(name);
        CHECK_FALSE(contains(text, kPassword));
        CHECK_FALSE(contains(text, encoded));
        CHECK_FALSE(contains(text, "-typo"));
    }
    CHECK_FALSE(read_file(html).empty());
    CHECK_FALSE(read_file(junit).empty());
}

TEST_CASE("proxy auth throttle: 3 wrong passwords give 429 with Retry-After, and it lifts after 2 s") {
    Users users;
    ScriptedUpstream upstream(http_response(200, "ok\n"));
    ProxyProcess proxy(auth_args(users, {"--auth-throttle-failures", "3", "--auth-throttle-window", "30",
                                         "--auth-throttle-period", "2"}));
    const std::string target = upstream.url() + "/";
    const auto good = credentials(kUser, kPassword);

    CHECK(status_via({"-x", proxy.url(), "-U", good, target}) == 200);
    for (int attempt = 0; attempt < 3; ++attempt)
        CHECK(status_via({"-x", proxy.url(), "-U", credentials(kUser, "guess-" + std::to_string(attempt)), target}) == 407);
    // Throttled: even the right password gets 429 now, and the upstream sees nothing.
    const auto throttled = curl_via({"-x", proxy.url(), "-U", good, target});
    REQUIRE_MESSAGE(!throttled.responses.empty(), throttled.command.err);
    check_problem_response(throttled.final_response(), 429);
    const auto retry_after = throttled.final_response().head.value("Retry-After");
    REQUIRE_MESSAGE(!retry_after.empty(), throttled.final_response().head.raw);
    const int seconds = std::stoi(retry_after);
    CHECK(seconds >= 1);
    CHECK(seconds <= 2);
    CHECK(upstream.requests().size() == 1);
    CHECK(proxy.wait_for_stderr("throttled", std::chrono::seconds(2)));

    // Waiting Retry-After seconds is enough (the proxy rounds it up).
    std::this_thread::sleep_for(std::chrono::seconds(seconds) + std::chrono::milliseconds(100));
    CHECK(status_via({"-x", proxy.url(), "-U", good, target}) == 200);
    CHECK(upstream.requests().size() == 2);
    CHECK(proxy.stop() == 0);
    CHECK_FALSE(contains(proxy.stderr_text(), kPassword));
}

TEST_CASE("proxy auth SIGHUP reload: a new user gets in without a restart, keep-alive survives, a broken file keeps the old users") {
    Users users;
    ScriptedUpstream upstream(http_response(200, "ok\n"));
    ProxyProcess proxy(auth_args(users));
    const std::string target = upstream.url() + "/";
    auto request = [&](std::string_view user, std::string_view password) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(upstream.port()) +
               "\r\nProxy-Authorization: " + basic(user, password) + "\r\n\r\n";
    };
    RawClient kept(proxy.port());  // one keep-alive connection across both reloads
    auto on_kept = [&](std::string_view user, std::string_view password) {
        REQUIRE(kept.send(request(user, password)));
        const auto response = kept.read_response(std::chrono::seconds(5));
        REQUIRE_MESSAGE(response, "the kept connection gave no response");
        return response->status;
    };
    CHECK(on_kept(kUser, kPassword) == 200);
    CHECK(status_via({"-x", proxy.url(), "-U", credentials("bob", "B0b-Pw!"), target}) == 407);

    htpasswd(users.file, "bob", "B0b-Pw!", {"-5"});
    proxy.send_signal(SIGHUP);
    REQUIRE(proxy.wait_for_stderr("SIGHUP: reloaded", std::chrono::seconds(5)));
    CHECK(contains(proxy.stderr_text(), "(2 user(s))"));
    CHECK(status_via({"-x", proxy.url(), "-U", credentials("bob", "B0b-Pw!"), target}) == 200);
    CHECK(on_kept("bob", "B0b-Pw!") == 200);
    CHECK(on_kept(kUser, kPassword) == 200);

    // A line htpasswd -p writes (plaintext) is not a supported hash: the reload fails as a whole.
    htpasswd(users.file, "mallory", "M4llory!", {"-p"});
    proxy.send_signal(SIGHUP);
    REQUIRE(proxy.wait_for_stderr("SIGHUP: reload failed", std::chrono::seconds(5)));
    const auto log = proxy.stderr_text();
    CHECK(contains(log, "users.htpasswd:3:"));
    CHECK(contains(log, "keeping the previous users"));
    CHECK(status_via({"-x", proxy.url(), "-U", credentials("bob", "B0b-Pw!"), target}) == 200);
    CHECK(status_via({"-x", proxy.url(), "-U", credentials("mallory", "M4llory!"), target}) == 407);
    CHECK(on_kept(kUser, kPassword) == 200);
    CHECK(proxy.running());
    CHECK(proxy.stop() == 0);
    CHECK_FALSE(contains(proxy.stderr_text(), "M4llory!"));
}

TEST_CASE("proxy auth: an htpasswd line in an unknown format fails start-up with exit 2, naming the file and line") {
    TempDir dir;
    struct Case {
        const char* name;
        std::vector<std::string> line;  // a command printing "user:hash"
    };
    const std::vector<Case> cases{
        {"plaintext (htpasswd -p)", {"htpasswd", "-nbp", "carol", "Car0l!"}},
        {"DES crypt (htpasswd -d)", {"htpasswd", "-nbd", "carol", "Car0l!"}},
        {"MD5 crypt $1$ (openssl passwd -1)", {"openssl", "passwd", "-1", "Car0l!"}},
        {"no colon", {"echo", "carol"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const auto printed = run_command(c.line, std::chrono::seconds(10));
        REQUIRE(printed.exit_status == 0);
        std::string line = printed.out.substr(0, printed.out.find('\n'));
        if (c.line[0] == "openssl") line = "carol:" + line;
        const auto file = dir.file("bad.htpasswd");
        write_file(file, "alice:{SHA}" + std::string("UWuXg/ylF+7L0dBk2i0WUxCxl1k=") + "\n" + line + "\n");
        const auto result = run_command({proxy_binary(), "--listen", "127.0.0.1:0", "--auth-htpasswd", file.string()},
                                        std::chrono::seconds(10));
        INFO("stderr: " << result.err);
        CHECK(result.exit_status == 2);
        CHECK(contains(result.err, file.string() + ":2:"));
        CHECK_FALSE(contains(result.err, "listening on"));
        CHECK_FALSE(contains(result.err, "Car0l!"));
    }
}

}  // TEST_SUITE

// TLS end to end, with real peers only: a throwaway PKI made by the openssl command line
// (tests/tls/make-certs.sh), nginx from Debian as the HTTPS upstream with one server per
// certificate, the conformance-proxy binary, and curl / openssl s_client as clients.
//   upstream side: a good exchange (SNI, pooled connection), each verification failure as its
//                  502 problem+json naming the cause, --upstream-insecure, https:// default port
//   listener side: curl through --tls-cert/--tls-key, ALPN http/1.1, TLS 1.1 refused
//   configuration: the same keys from the environment and the YAML file, bad files refused
#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>

#include "tls/TlsSupport.hpp"

namespace tlstest {
namespace {

// The PKI and one nginx serving it, made once for the whole binary (nginx starts in ~50 ms,
// the certificates take ~1 s). Stopped by the destructor at exit.
struct TlsWorld {
    TempDir dir{"cproxy-tls"};
    fs::path certs = dir / "certs";
    unsigned short good = 0, expired = 0, wronghost = 0, selfsigned = 0, plain = 0, brief = 0;
    std::string big_sha256;  // of files/big.bin, served by every TLS server
    std::unique_ptr<ChildProcess> nginx;

    TlsWorld() {
        const auto made = run_command({"bash", (source_dir() / "tests/tls/make-certs.sh").string(), certs.string()}, 60s);
        if (made.exit_status != 0) throw std::runtime_error("make-certs.sh failed: " + made.err);
        good = free_port();
        expired = free_port();
        wronghost = free_port();
        selfsigned = free_port();
        plain = free_port();
        brief = free_port();
        fs::create_directories(dir / "nginx-temp");
        fs::create_directories(dir / "files");
        const auto made_file = run_command({"bash", "-c", "head -c 12000000 /dev/urandom >'" + (dir / "files/big.bin").string() +
                                            "' && sha256sum '" + (dir / "files/big.bin").string() + "'"});
        if (made_file.exit_status != 0) throw std::runtime_error("cannot make big.bin: " + made_file.err);
        big_sha256 = made_file.out.substr(0, 64);
        const std::string d = dir.path().string();
        // Each answer tells what the upstream saw: the SNI name and the forwarded scheme.
        const std::string answer =
            "location / { return 200 \"hello over tls sni=$ssl_server_name proto=$http_x_forwarded_proto\\n\"; }\n"
            "location /plain { return 200 \"hello over tcp proto=$http_x_forwarded_proto\\n\"; }\n"
            "location /files/ { root " + d + "; }\n";
        auto tls_server = [&](unsigned short port, const std::string& name, const std::string& extra = "") {
            return "server { listen 127.0.0.1:" + std::to_string(port) + " ssl;\n ssl_certificate " + certs.string() +
                   "/" + name + ".pem;\n ssl_certificate_key " + certs.string() + "/" + name + ".key;\n" + extra +
                   answer + "}\n";
        };
        write_file(dir / "nginx.conf",
                   "daemon off;\nmaster_process off;\nworker_processes 1;\npid " + d + "/nginx.pid;\n"
                   "error_log " + d + "/nginx-error.log info;\n"
                   "events { worker_connections 128; }\n"
                   "http {\n default_type text/plain;\n sendfile on;\n tcp_nodelay on;\n"
                   " log_format conn '$connection $request';\n access_log " + d + "/nginx-access.log conn;\n"
                   " client_body_temp_path " + d + "/nginx-temp/body;\n proxy_temp_path " + d + "/nginx-temp/proxy;\n"
                   " fastcgi_temp_path " + d + "/nginx-temp/fastcgi;\n uwsgi_temp_path " + d + "/nginx-temp/uwsgi;\n"
                   " scgi_temp_path " + d + "/nginx-temp/scgi;\n keepalive_requests 1000;\n" +
                   tls_server(good, "server") + tls_server(expired, "expired") + tls_server(wronghost, "wronghost") +
                   tls_server(selfsigned, "selfsigned") +
                   // Closes idle keep-alive connections after 1 s: pooled TLS connections go stale.
                   tls_server(brief, "server", " keepalive_timeout 1s;\n") + "server { listen 127.0.0.1:" + std::to_string(plain) +
                   ";\n" + answer + "}\n}\n");
        nginx = std::make_unique<ChildProcess>(
            std::vector<std::string>{"nginx", "-p", d, "-e", d + "/nginx-error.log", "-c", d + "/nginx.conf"},
            dir / "nginx.out", dir / "nginx.err");
        for (auto port : {good, expired, wronghost, selfsigned, plain, brief})
            if (!wait_for_port(port, 10s))
                throw std::runtime_error("nginx did not listen on " + std::to_string(port) + ": " +
                                         read_file(dir / "nginx.err") + read_file(dir / "nginx-error.log"));
    }
    ~TlsWorld() {
        if (nginx) nginx->stop(5s);
    }

    std::string cert(std::string_view name) const { return (certs / name).string(); }
    std::string https(unsigned short port, std::string_view host = "localhost") const {
        return "https://" + std::string(host) + ":" + std::to_string(port);
    }
};

TlsWorld& world() {
    static TlsWorld instance;
    return instance;
}

// The proxy in front of `upstream` with extra flags; REQUIREs that it started.
std::unique_ptr<ProxyProcess> start_proxy(const std::vector<std::string>& args,
                                          const std::map<std::string, std::string>& env = {}) {
    auto proxy = std::make_unique<ProxyProcess>(world().dir.path(), args, env);
    INFO("proxy log:\n" << proxy->log());
    REQUIRE(proxy->started());
    return proxy;
}

// A 502 problem+json from the proxy whose detail contains `cause`.
void check_tls_problem(const HttpResult& response, std::string_view cause) {
    INFO("headers:\n" << response.headers << "\nbody:\n" << response.body);
    CHECK(response.status == 502);
    CHECK(response.header("Content-Type").starts_with("application/problem+json"));
    CHECK(!response.header("Date").empty());
    CHECK(response.body.find("\"detail\"") != std::string::npos);
    CHECK(response.body.find(cause) != std::string::npos);
}

// curl to the proxy's TLS listener as https://localhost:PORT, trusting the test CA; `extra`
// options (e.g. -v) come first.
HttpResult curl_tls(const ProxyProcess& proxy, std::string_view path, std::vector<std::string> extra = {}) {
    const std::string port = std::to_string(proxy.port());
    extra.insert(extra.end(), {"--cacert", world().cert("ca.pem"), "--resolve", "localhost:" + port + ":127.0.0.1"});
    return curl("https://localhost:" + port + std::string(path), extra);
}

}  // namespace

TEST_CASE("https upstream: a good exchange with SNI, verification against --upstream-ca, pooled connection") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.good), "--upstream-ca", w.cert("ca.pem")});
    CHECK(proxy->log().find("https://localhost:" + std::to_string(w.good)) != std::string::npos);

    const auto response = curl(proxy->url("/"));
    INFO(response.verbose);
    CHECK(response.status == 200);
    CHECK(response.body == "hello over tls sni=localhost proto=http\n");

    // Two requests on one client connection: the second reuses the pooled TLS connection, so
    // nginx logs both with the same connection number.
    const std::string access_log = (w.dir / "nginx-access.log").string();
    const auto before = read_file(access_log).size();
    const auto twice = run_command({"curl", "-sS", "--max-time", "10", proxy->url("/one"), proxy->url("/two")});
    CHECK(twice.exit_status == 0);
    CHECK(twice.out == "hello over tls sni=localhost proto=http\nhello over tls sni=localhost proto=http\n");
    std::string lines;
    REQUIRE(eventually(
        [&] {
            lines = read_file(access_log).substr(before);
            return lines.find("GET /two") != std::string::npos;
        },
        5s));
    const auto one = lines.find(" GET /one");
    const auto two = lines.find(" GET /two");
    REQUIRE(one != std::string::npos);
    const auto start_of = [&](std::size_t at) { return lines.rfind('\n', at) == std::string::npos ? 0 : lines.rfind('\n', at) + 1; };
    CHECK(lines.substr(start_of(one), one - start_of(one)) == lines.substr(start_of(two), two - start_of(two)));
    CHECK(proxy->stop() == 0);
}

TEST_CASE("https upstream: a pooled TLS connection the upstream closed is replaced for an idempotent request") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.brief), "--upstream-ca", w.cert("ca.pem"), "--threads", "1"});
    CHECK(curl(proxy->url("/")).status == 200);
    std::this_thread::sleep_for(1800ms);  // nginx drops the idle connection after 1 s
    const auto again = curl(proxy->url("/"));
    INFO(proxy->log());
    CHECK(again.status == 200);
    CHECK(again.body == "hello over tls sni=localhost proto=http\n");
    CHECK(proxy->stop() == 0);
}

TEST_CASE("TLS listener, plain upstream: large bodies arrive whole, twice on one connection") {
    // The head and the first 64 KiB of body leave in one write. (Over TLS, a two-buffer write
    // of head + body once garbled the response with an nginx upstream using sendfile; this
    // set-up has not reproduced that, but covers the large-body path of a TLS listener.)
    auto& w = world();
    auto proxy = start_proxy({"--upstream", "http://127.0.0.1:" + std::to_string(w.plain), "--tls-cert",
                              w.cert("server.pem"), "--tls-key", w.cert("server.key")});
    const std::string port = std::to_string(proxy->port());
    const std::string url = "https://localhost:" + port + "/files/big.bin";
    const auto sums = run_command({"bash", "-c", "curl -sS --max-time 30 --cacert '" + w.cert("ca.pem") +
                                                     "' --resolve localhost:" + port + ":127.0.0.1 '" + url + "' '" +
                                                     url + "' | head -c 12000000 | sha256sum"},
                                  40s);
    INFO(sums.err);
    CHECK(sums.out.substr(0, 64) == w.big_sha256);
    const auto both = run_command({"bash", "-c", "curl -sS --max-time 30 --cacert '" + w.cert("ca.pem") +
                                                     "' --resolve localhost:" + port + ":127.0.0.1 '" + url + "' '" +
                                                     url + "' | wc -c"},
                                  40s);
    CHECK(both.out.substr(0, both.out.find('\n')) == "24000000");
    // 64 KiB: head and whole body in the first write, three times on one connection.
    std::string body(65536, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
    write_file(w.dir / "files/64k.txt", body);
    const std::string small_url = "https://localhost:" + port + "/files/64k.txt";
    const auto three = run_command({"bash", "-c", "curl -sS --max-time 10 --cacert '" + w.cert("ca.pem") +
                                                      "' --resolve localhost:" + port + ":127.0.0.1 '" + small_url +
                                                      "' '" + small_url + "' '" + small_url + "'"},
                                   20s);
    INFO(three.err);
    CHECK(three.out == body + body + body);
    CHECK(proxy->stop() == 0);
}

TEST_CASE("https upstream and TLS listener: 12 MB streamed through both, byte for byte") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.good), "--upstream-ca", w.cert("ca.pem"), "--tls-cert",
                              w.cert("server.pem"), "--tls-key", w.cert("server.key")});
    const std::string port = std::to_string(proxy->port());
    const auto sum = run_command({"bash", "-c", "curl -sS --max-time 30 --cacert '" + w.cert("ca.pem") +
                                                    "' --resolve localhost:" + port + ":127.0.0.1 https://localhost:" +
                                                    port + "/files/big.bin | sha256sum"},
                                 40s);
    INFO(sum.err);
    CHECK(sum.out.substr(0, 64) == w.big_sha256);
    CHECK(proxy->stop() == 0);
}

TEST_CASE("https upstream by IP address: verified against the certificate's IP SAN, no SNI") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.good, "127.0.0.1"), "--upstream-ca", w.cert("ca.pem")});
    const auto response = curl(proxy->url("/"));
    CHECK(response.status == 200);
    CHECK(response.body == "hello over tls sni= proto=http\n");  // RFC 6066 §3: no SNI for an IP
    CHECK(proxy->stop() == 0);
}

TEST_CASE("https upstream: an expired certificate becomes a 502 naming the cause") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.expired), "--upstream-ca", w.cert("ca.pem")});
    check_tls_problem(curl(proxy->url("/")), "the upstream's certificate has expired");
    CHECK(proxy->stop() == 0);
}

TEST_CASE("https upstream: a certificate for another host becomes a 502 naming the cause") {
    auto& w = world();
    SUBCASE("by name") {
        auto proxy = start_proxy({"--upstream", w.https(w.wronghost), "--upstream-ca", w.cert("ca.pem")});
        check_tls_problem(curl(proxy->url("/")), "is for another host (wrong host)");
        CHECK(proxy->stop() == 0);
    }
    SUBCASE("by IP address") {
        auto proxy = start_proxy({"--upstream", w.https(w.wronghost, "127.0.0.1"), "--upstream-ca", w.cert("ca.pem")});
        check_tls_problem(curl(proxy->url("/")), "is for another host (wrong host)");
        CHECK(proxy->stop() == 0);
    }
}

TEST_CASE("https upstream: an unknown CA becomes a 502 that says to pass --upstream-ca") {
    auto& w = world();
    SUBCASE("a self-signed certificate") {
        auto proxy = start_proxy({"--upstream", w.https(w.selfsigned), "--upstream-ca", w.cert("ca.pem")});
        check_tls_problem(curl(proxy->url("/")), "signed by an unknown CA");
        check_tls_problem(curl(proxy->url("/")), "pass its CA with --upstream-ca");
        CHECK(proxy->stop() == 0);
    }
    SUBCASE("the private CA's certificate without --upstream-ca (system store only)") {
        auto proxy = start_proxy({"--upstream", w.https(w.good)});
        check_tls_problem(curl(proxy->url("/")), "signed by an unknown CA");
        CHECK(proxy->stop() == 0);
    }
}

TEST_CASE("--upstream-insecure lets an unverifiable upstream through, with a warning at start-up and in the summary") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.selfsigned), "--upstream-insecure"});
    const auto response = curl(proxy->url("/"));
    CHECK(response.status == 200);
    CHECK(response.body == "hello over tls sni=localhost proto=http\n");
    // Even an expired or wrong-host certificate: verification is off altogether.
    auto wrong_host = start_proxy({"--upstream", w.https(w.wronghost), "--upstream-insecure"});
    CHECK(curl(wrong_host->url("/")).status == 200);
    CHECK(wrong_host->stop() == 0);

    CHECK(proxy->stop() == 0);
    const auto log = proxy->log();
    INFO(log);
    const auto warning = log.find("--upstream-insecure");
    REQUIRE(warning != std::string::npos);
    CHECK(log.find("NOT verified") != std::string::npos);
    // The shutdown summary repeats it (after the "stopped after" line).
    const auto stopped = log.find("stopped after");
    REQUIRE(stopped != std::string::npos);
    CHECK(log.find("NOT verified", stopped) != std::string::npos);
}

TEST_CASE("https:// without a port means port 443") {
    // Nothing listens on 443 here (or something does): only the resolved target is checked.
    auto proxy = start_proxy({"--upstream", "https://localhost"});
    CHECK(proxy->log().find("https://localhost:443") != std::string::npos);
    CHECK(proxy->stop() == 0);
}

TEST_CASE("TLS listener: curl over https with the test CA, ALPN http/1.1, forwarded as https") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", "http://127.0.0.1:" + std::to_string(w.plain), "--tls-cert",
                              w.cert("server.pem"), "--tls-key", w.cert("server.key")});
    const std::string port = std::to_string(proxy->port());
    const auto response = curl_tls(*proxy, "/plain", {"-v"});
    INFO(response.verbose);
    CHECK(response.curl_exit == 0);
    CHECK(response.status == 200);
    CHECK(response.body == "hello over tcp proto=https\n");
    CHECK(response.verbose.find("ALPN: server accepted http/1.1") != std::string::npos);
    CHECK(response.verbose.find("SSL certificate verify ok") != std::string::npos);

    // Without the CA, curl refuses the proxy's certificate: the listener serves the real one.
    const auto unverified = curl("https://localhost:" + port + "/plain", {"--resolve", "localhost:" + port + ":127.0.0.1"});
    CHECK(unverified.curl_exit == 60);

    // openssl s_client: ALPN and verification seen from a second client implementation.
    const auto alpn = run_command({"openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                                   "-alpn", "http/1.1", "-CAfile", w.cert("ca.pem"), "-verify_return_error"},
                                  15s);
    INFO(alpn.out << alpn.err);
    CHECK(alpn.out.find("ALPN protocol: http/1.1") != std::string::npos);
    CHECK(alpn.out.find("Verify return code: 0 (ok)") != std::string::npos);

    CHECK(proxy->stop() == 0);
}

TEST_CASE("TLS listener: TLS 1.1 is refused, TLS 1.2 and 1.3 are accepted") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", "http://127.0.0.1:" + std::to_string(w.plain), "--tls-cert",
                              w.cert("server.pem"), "--tls-key", w.cert("server.key")});
    const std::string address = "127.0.0.1:" + std::to_string(proxy->port());
    auto handshake = [&](std::string_view version) {
        // SECLEVEL=0 lets this client offer TLS 1.1 at all (OpenSSL 3 refuses it by default),
        // so a failure is the proxy's refusal, not the client's.
        return run_command({"openssl", "s_client", "-connect", address, "-servername", "localhost",
                            std::string(version), "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", w.cert("ca.pem")},
                           15s);
    };
    const auto old = handshake("-tls1_1");
    INFO(old.out << old.err);
    CHECK(old.exit_status != 0);
    CHECK(old.err.find("alert protocol version") != std::string::npos);

    const auto tls12 = handshake("-tls1_2");
    CHECK(tls12.exit_status == 0);
    CHECK(tls12.out.find("Protocol  : TLSv1.2") != std::string::npos);
    const auto tls13 = handshake("-tls1_3");
    CHECK(tls13.exit_status == 0);
    CHECK(tls13.out.find("TLSv1.3") != std::string::npos);

    // The proxy is unharmed by the refused handshake.
    const auto response = curl_tls(*proxy, "/plain");
    CHECK(response.status == 200);
    CHECK(proxy->stop() == 0);
}

TEST_CASE("TLS on both sides: https client -> proxy -> https upstream") {
    auto& w = world();
    auto proxy = start_proxy({"--upstream", w.https(w.good), "--upstream-ca", w.cert("ca.pem"), "--tls-cert",
                              w.cert("server.pem"), "--tls-key", w.cert("server.key")});
    const auto response = curl_tls(*proxy, "/");
    CHECK(response.status == 200);
    CHECK(response.body == "hello over tls sni=localhost proto=https\n");
    CHECK(proxy->stop() == 0);
}

TEST_CASE("TLS settings from the environment and from the YAML file") {
    auto& w = world();
    SUBCASE("CONFORMANCE_PROXY_* variables") {
        auto proxy = start_proxy({}, {{"CONFORMANCE_PROXY_UPSTREAM", w.https(w.good)},
                                      {"CONFORMANCE_PROXY_UPSTREAM_CA", w.cert("ca.pem")},
                                      {"CONFORMANCE_PROXY_TLS_CERT", w.cert("server.pem")},
                                      {"CONFORMANCE_PROXY_TLS_KEY", w.cert("server.key")}});
        const auto response = curl_tls(*proxy, "/");
        CHECK(response.status == 200);
        CHECK(response.body == "hello over tls sni=localhost proto=https\n");
        CHECK(proxy->stop() == 0);
    }
    SUBCASE("CONFORMANCE_PROXY_UPSTREAM_INSECURE=true") {
        auto proxy = start_proxy({"--upstream", w.https(w.selfsigned)}, {{"CONFORMANCE_PROXY_UPSTREAM_INSECURE", "true"}});
        CHECK(curl(proxy->url("/")).status == 200);
        CHECK(proxy->log().find("NOT verified") != std::string::npos);
        CHECK(proxy->stop() == 0);
    }
    SUBCASE("the YAML file") {
        const auto config = w.dir / "tls.yaml";
        write_file(config, "upstream: " + w.https(w.good) + "\nupstream_ca: " + w.cert("ca.pem") +
                               "\nupstream_insecure: false\ntls:\n  cert: " + w.cert("server.pem") +
                               "\n  key: " + w.cert("server.key") + "\n");
        auto proxy = start_proxy({"--config", config.string()});
        const auto response = curl_tls(*proxy, "/");
        CHECK(response.status == 200);
        CHECK(proxy->stop() == 0);
    }
}

TEST_CASE("bad TLS configuration is refused at start-up with exit status 2, naming the flag") {
    auto& w = world();
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases{
        {{"--upstream", w.https(w.good), "--upstream-ca", (w.dir / "missing-ca.pem").string()}, "--upstream-ca"},
        {{"--upstream", w.https(w.good), "--upstream-ca", w.cert("server.key")}, "--upstream-ca"},
        {{"--tls-cert", w.cert("server.pem")}, "--tls-key"},
        {{"--tls-cert", (w.dir / "missing.pem").string(), "--tls-key", w.cert("server.key")}, "--tls-cert"},
        {{"--tls-cert", w.cert("server.pem"), "--tls-key", w.cert("expired.key")}, "--tls-key"},
        {{"--upstream", "ftp://localhost:21"}, "scheme must be http or https"},
    };
    for (const auto& c : cases) {
        const auto run = run_proxy(c.args);
        INFO(c.args.back() << " -> " << run.err);
        CHECK(run.exit_status == 2);
        CHECK(run.err.find(c.says) != std::string::npos);
    }
}

}  // namespace tlstest

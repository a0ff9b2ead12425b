// Nothing lost under load: a bounded stream of POSTs with bodies goes through the live proxy on
// several parallel keep-alive connections to an in-process upstream that checks every body's
// SHA-256 and answers a known mix of conformant and non-conformant responses. Every response
// must arrive whole, the upstream must see every body intact, and after SIGTERM the findings
// file must hold exactly the expected findings, rule by rule: no more and no fewer.
//
// CI runs 5,000 requests. The long variant is one command:
//   CPROXY_LOAD_REQUESTS=50000 CPROXY_BINARY=build/conformance-proxy build/integration_tests -ts='load'
// The second case opens 2,000 connections at once (each does one request).
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/ChecksumUpstream.hpp"
#include "integration/support/FindingsFile.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"

using namespace it;

namespace {

const std::string date = "Date: Sun, 22 Nov 2026 10:00:00 GMT\r\n";

// The known set of upstream responses, picked by the request path "/k<kind>/<n>".
struct Kind {
    const char* name;
    int status;
    std::map<std::string, std::size_t> findings;  // per response
};

const std::vector<Kind>& kinds() {
    static const std::vector<Kind> all = {
        {"clean 200 Content-Length", 200, {}},
        {"clean 200 chunked", 200, {}},
        {"200 without Date", 200, {{"date-missing", 1}}},
        {"405 without Allow", 405, {{"405-missing-allow", 1}}},
        {"401 without a challenge", 401, {{"401-missing-www-authenticate", 1}}},
        {"503 without Retry-After", 503, {{"retry-after-missing", 1}}},
        {"200 without Date or Content-Type", 200, {{"date-missing", 1}, {"content-type-missing", 1}}},
    };
    return all;
}

std::string pattern(std::uint64_t seed, std::size_t size) {
    std::string out(size, '\0');
    PatternBytes(seed).fill(out.data(), size);
    return out;
}

// Request n's body: 1 to 4096 bytes; response n's body: 1 to 3000 bytes.
std::string request_body(std::uint64_t n) { return pattern(n + 1, 1 + (n * 7919) % 4096); }
std::string response_body(std::uint64_t n) { return pattern(n + 1'000'003, 1 + (n * 104'729) % 3000); }

std::string respond(const HttpHead& head, const std::string& request_sha) {
    // start line "POST /k<kind>/<n> HTTP/1.1"
    const auto& line = head.start_line;
    const auto slash = line.find('/', 7);
    const std::size_t kind = std::strtoul(line.c_str() + 7, nullptr, 10);
    const std::uint64_t n = std::strtoull(line.c_str() + slash + 1, nullptr, 10);
    const auto body = response_body(n);
    const std::string sums = "X-Request-Sha256: " + request_sha + "\r\nX-Response-Sha256: " + sha256_hex(body) + "\r\n";
    const std::string text = "Content-Type: application/octet-stream\r\n";
    const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    switch (kind) {
    case 0: return "HTTP/1.1 200 OK\r\n" + date + text + sums + length + body;
    case 1: {
        const auto half = body.size() / 2;
        std::string chunked;
        for (const auto& piece : {body.substr(0, half), body.substr(half)}) {
            if (piece.empty()) continue;
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
            chunked += size + piece + "\r\n";
        }
        return "HTTP/1.1 200 OK\r\n" + date + text + sums + "Transfer-Encoding: chunked\r\n\r\n" + chunked + "0\r\n\r\n";
    }
    case 2: return "HTTP/1.1 200 OK\r\n" + text + sums + length + body;
    case 3: return "HTTP/1.1 405 Method Not Allowed\r\n" + date + text + sums + length + body;
    case 4: return "HTTP/1.1 401 Unauthorized\r\n" + date + text + sums + length + body;
    case 5: return "HTTP/1.1 503 Service Unavailable\r\n" + date + text + sums + length + body;
    default: return "HTTP/1.1 200 OK\r\n" + sums + length + body;
    }
}

std::uint64_t requested_count() {
    if (const char* value = std::getenv("CPROXY_LOAD_REQUESTS"); value && *value) {
        const auto n = std::strtoull(value, nullptr, 10);
        if (n > 0) return n;
    }
    return 5000;
}

// Raises the soft RLIMIT_NOFILE to `wanted` (or the hard limit); children inherit it.
rlim_t raise_fd_limit(rlim_t wanted) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = std::min(wanted, limit.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

std::size_t open_fds(pid_t pid) {
    std::error_code ec;
    std::size_t count = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++count;
    return count;
}

struct Tally {
    std::atomic<std::uint64_t> sent{0}, answered_whole{0}, wrong{0}, reconnects{0};
    std::mutex mutex;
    std::string first_problem;
    void problem(const std::string& what) {
        ++wrong;
        std::lock_guard lock(mutex);
        if (first_problem.empty()) first_problem = what;
    }
};

// One keep-alive connection sending requests first, first + step, ... below total.
void client_loop(std::uint16_t port, std::uint64_t first, std::uint64_t step, std::uint64_t total, Clock::time_point deadline,
                 Tally& tally) {
    std::unique_ptr<RawClient> client;
    for (std::uint64_t n = first; n < total && Clock::now() < deadline; n += step) {
        if (!client) client = std::make_unique<RawClient>(port);
        const auto kind = n % kinds().size();
        const auto body = request_body(n);
        const auto sha = sha256_hex(body);
        const std::string target = "/k" + std::to_string(kind) + "/" + std::to_string(n);
        ++tally.sent;
        client->send("POST " + target + " HTTP/1.1\r\nHost: load.test\r\nContent-Type: application/octet-stream\r\n"
                     "X-Body-Sha256: " + sha + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        const auto response = client->read_response(std::chrono::seconds(10));
        if (!response) {
            tally.problem(target + ": no response");
            client.reset();
            ++tally.reconnects;
            continue;
        }
        const bool whole = response->status == kinds()[kind].status && response->body.complete &&
                           response->body.sha256 == response->head.value("X-Response-Sha256") &&
                           response->body.sha256 == sha256_hex(response_body(n)) &&
                           response->head.value("X-Request-Sha256") == sha;
        if (whole)
            ++tally.answered_whole;
        else
            tally.problem(target + ": damaged response " + response->head.start_line);
        if (response->head.tokens("Connection") == std::vector<std::string>{"close"}) {
            client.reset();
            ++tally.reconnects;
        }
    }
}

}  // namespace

TEST_SUITE("load") {

TEST_CASE("nothing lost: every request answered whole, every body intact, exactly the expected findings") {
    const std::uint64_t total = requested_count();
    constexpr std::uint64_t connections = 8;
    ChecksumUpstream upstream(respond);
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy({"--upstream", upstream.url(), "--findings", findings_path.string()});

    const auto started = Clock::now();
    const auto deadline = started + std::chrono::seconds(30) + std::chrono::milliseconds(total * 4);
    Tally tally;
    {
        std::vector<std::jthread> clients;
        for (std::uint64_t c = 0; c < connections; ++c)
            clients.emplace_back([&, c] { client_loop(proxy.port(), c, connections, total, deadline, tally); });
    }
    const auto elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    REQUIRE(proxy.stop() == 0);
    const auto stopped = std::chrono::duration<double>(Clock::now() - started).count() - elapsed;
    upstream.stop();

    std::map<std::string, std::size_t> expected;
    std::size_t expected_total = 0;
    for (std::uint64_t n = 0; n < total; ++n)
        for (const auto& [rule, count] : kinds()[n % kinds().size()].findings) {
            expected[rule] += count;
            expected_total += count;
        }
    const auto findings = read_findings(findings_path);
    const auto recorded = count_by_rule(findings);

    MESSAGE("requests sent " << tally.sent.load() << ", answered whole " << tally.answered_whole.load()
                             << ", damaged or missing " << tally.wrong.load() << "; upstream read " << upstream.requests() << " requests ("
                             << upstream.bodies_intact() << " bodies intact, " << upstream.bodies_damaged()
                             << " damaged) on " << upstream.connections() << " connections; findings expected "
                             << expected_total << ", recorded " << findings.size() << "; " << elapsed
                             << " s for the requests (" << static_cast<std::uint64_t>(total / elapsed)
                             << " req/s over " << connections << " connections), " << stopped << " s to stop");
    INFO("first problem: " << tally.first_problem);
    CHECK(tally.sent == total);
    CHECK(tally.answered_whole == total);
    CHECK(tally.wrong == 0);
    CHECK(tally.reconnects == 0);
    CHECK(upstream.requests() == total);
    CHECK(upstream.bodies_intact() == total);
    CHECK(upstream.bodies_damaged() == 0);
    CHECK_MESSAGE(recorded == expected, "expected ", describe_counts(expected), "; recorded ", describe_counts(recorded));
    CHECK(findings.size() == expected_total);
    std::set<std::int64_t> exchanges;
    for (const auto& finding : findings) exchanges.insert(finding.exchange);
    std::size_t non_conformant = 0;
    for (std::uint64_t n = 0; n < total; ++n) non_conformant += kinds()[n % kinds().size()].findings.empty() ? 0 : 1;
    CHECK(exchanges.size() == non_conformant);  // each non-conformant exchange once, under its own number
}

TEST_CASE("2,000 concurrent connections: all open at once, each answered, and the proxy keeps serving") {
    constexpr std::size_t count = 2000;
    // This process holds the 2,000 client sockets and the upstream's server side of up to as
    // many proxy connections; the proxy (which inherits the limit) holds both sides.
    const auto limit = raise_fd_limit(4 * count + 1024);
    REQUIRE_MESSAGE(limit >= 2 * count + 256, "RLIMIT_NOFILE cannot be raised enough: ", limit);
    ChecksumUpstream upstream([](const HttpHead& head, const std::string& sha) {
        return "HTTP/1.1 200 OK\r\n" + date + "Content-Type: text/plain\r\nX-Request-Sha256: " + sha +
               "\r\nContent-Length: " + std::to_string(head.start_line.size()) + "\r\n\r\n" + head.start_line;
    });
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    ProxyProcess proxy({"--upstream", upstream.url(), "--findings", findings_path.string()});

    const auto started = Clock::now();
    std::vector<std::unique_ptr<RawClient>> clients;
    clients.reserve(count);
    for (std::size_t i = 0; i < count; ++i) clients.push_back(std::make_unique<RawClient>(proxy.port()));
    // All accepted by the proxy at once: it holds a descriptor for each.
    CHECK_MESSAGE(eventually([&] { return open_fds(proxy.pid()) >= count; }, std::chrono::seconds(10)),
                  "the proxy holds ", open_fds(proxy.pid()), " descriptors");
    const auto opened = std::chrono::duration<double>(Clock::now() - started).count();

    for (std::size_t i = 0; i < count; ++i)
        CHECK(clients[i]->send("GET /c/" + std::to_string(i) + " HTTP/1.1\r\nHost: many.test\r\n\r\n"));
    std::size_t answered = 0;
    std::string first_problem;
    for (std::size_t i = 0; i < count; ++i) {
        const auto response = clients[i]->read_response(std::chrono::seconds(20));
        const std::string expected = "GET /c/" + std::to_string(i) + " HTTP/1.1";
        if (response && response->status == 200 && response->body.bytes == expected)
            ++answered;
        else if (first_problem.empty())
            first_problem = "connection " + std::to_string(i) + ": " + (response ? response->head.start_line : "no response");
    }
    const auto elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const auto peak_upstream = upstream.connections();
    clients.clear();

    // Still serving: a new connection gets a normal answer.
    RawClient after(proxy.port());
    after.send("GET /after HTTP/1.1\r\nHost: many.test\r\n\r\n");
    const auto last = after.read_response(std::chrono::seconds(5));
    REQUIRE(last);
    CHECK(last->status == 200);
    CHECK(proxy.stop() == 0);
    upstream.stop();

    MESSAGE(count << " connections opened in " << opened << " s, " << answered << " answered, all done in " << elapsed
                  << " s; the upstream accepted " << peak_upstream << " connections; RLIMIT_NOFILE " << limit);
    INFO("first problem: " << first_problem);
    CHECK(answered == count);
    CHECK(upstream.requests() == count + 1);
    CHECK(read_findings(findings_path).empty());
}

}  // TEST_SUITE

// New connections go to the I/O thread with the fewest open ones, not where the kernel's
// SO_REUSEPORT hash puts them: with the hash alone, busy threads kept their surplus of
// keep-alive clients and those clients waited (bench/load.sh, WORKERS=2). Observed through
// the proxy's debug lines: "served by I/O thread N (K open there)" and "closed".
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;

namespace {

struct Assignment {
    int thread;
    int open_there;
};

// The thread assignments logged so far, in order.
std::vector<Assignment> assignments(const ProxyProcess& proxy) {
    static const std::regex served(R"(served by I/O thread (\d+) \((\d+) open there\))");
    const auto text = proxy.stderr_text();
    std::vector<Assignment> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), served); it != std::sregex_iterator(); ++it)
        out.push_back({std::stoi((*it)[1]), std::stoi((*it)[2])});
    return out;
}

void open_clients(std::vector<std::unique_ptr<RawClient>>& clients, std::uint16_t port, int count) {
    for (int i = 0; i < count; ++i) {
        auto& client = *clients.emplace_back(std::make_unique<RawClient>(port));
        client.send("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");
        const auto response = client.read_response();
        REQUIRE(response);
        CHECK(response->status == 200);
    }
}

}  // namespace

TEST_SUITE("thread balance") {

TEST_CASE("--threads 4: eight keep-alive clients are served two per I/O thread; closed ones make room") {
    ScriptedUpstream upstream(http_response(200, "ok"));
    ProxyProcess proxy({"--upstream", upstream.url(), "--threads", "4", "--log-level", "debug"});
    std::vector<std::unique_ptr<RawClient>> clients;
    open_clients(clients, proxy.port(), 8);  // one after the other: each sees the counts of the last

    // Logging runs off the I/O threads: a line can reach stderr after its response.
    REQUIRE(eventually([&] { return assignments(proxy).size() >= 8; }, std::chrono::seconds(10)));
    auto first = assignments(proxy);
    REQUIRE(first.size() == 8);
    std::map<int, int> per_thread;
    for (const auto& assignment : first) ++per_thread[assignment.thread];
    INFO(proxy.stderr_text());
    CHECK(per_thread.size() == 4);
    for (const auto& [thread, count] : per_thread) CHECK_MESSAGE(count == 2, "I/O thread " << thread);

    // The eight close; their sessions count down, so four new clients land one per thread.
    clients.clear();
    REQUIRE(eventually(
        [&] {
            const auto text = proxy.stderr_text();
            std::size_t closed = 0;
            for (auto at = text.find(" closed\n"); at != std::string::npos; at = text.find(" closed\n", at + 1)) ++closed;
            return closed >= 8;
        },
        std::chrono::seconds(10)));
    open_clients(clients, proxy.port(), 4);
    REQUIRE(eventually([&] { return assignments(proxy).size() >= 12; }, std::chrono::seconds(10)));
    const auto all = assignments(proxy);
    REQUIRE(all.size() == 12);
    std::map<int, int> second;
    for (std::size_t i = 8; i < all.size(); ++i) {
        ++second[all[i].thread];
        CHECK(all[i].open_there == 1);
    }
    CHECK(second.size() == 4);
    CHECK(proxy.stop() == 0);
}

}  // TEST_SUITE

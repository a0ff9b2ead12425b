// Memory of the stateful rules' history under a million distinct URLs: the store is bounded
// by its capacity (least recently used out), so resident memory after 1,000,000 URLs must stay
// at the capacity's cost plus a few MiB, however many URLs pass.
//   build/history_memory_bench [URLS] [CAPACITY]
// Prints resident memory before, after filling to the capacity, and after all URLs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "conformance_proxy/check/history.hpp"

namespace {

double resident_mib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * 4096 / (1024 * 1024);
}

}  // namespace

int main(int argc, char** argv) {
    const long urls = argc > 1 ? std::atol(argv[1]) : 1'000'000;
    const long capacity = argc > 2 ? std::atol(argv[2]) : 10'000;
    cproxy::check::History history(static_cast<std::size_t>(capacity));
    const cproxy::check::RulePolicy policy;
    cproxy::check::Findings findings;
    // A realistic response: validators, caching fields, Vary, so each summary holds strings.
    const std::string response =
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nETag: \"5f3a-1c2b3d4e\"\r\n"
        "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\nCache-Control: max-age=60\r\n"
        "Content-Type: application/json; charset=utf-8\r\nVary: Accept-Encoding\r\nContent-Length: 120\r\n\r\n";
    const double before = resident_mib();
    double at_capacity = 0;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < urls; ++i) {
        const std::string request = "GET /api/items/" + std::to_string(i) +
                                    "?page=1 HTTP/1.1\r\nHost: api.example\r\nAccept-Encoding: gzip\r\n"
                                    "User-Agent: bench\r\n\r\n";
        cproxy::check::ObservedExchange exchange;
        exchange.number = static_cast<std::uint64_t>(i + 1);
        exchange.time = std::chrono::system_clock::now();
        exchange.now = std::chrono::steady_clock::now();
        exchange.origin = "http://api.example:80";
        exchange.client = "10.0.0.1";
        exchange.raw_request_head = request;
        exchange.raw_response_head = response;
        exchange.complete = true;
        exchange.content_octets = 120;
        history.observe(exchange, policy, findings);
        if (i + 1 == capacity) at_capacity = resident_mib();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double after = resident_mib();
    std::printf("urls=%ld capacity=%ld held=%zu findings=%zu\n", urls, capacity, history.resources(), findings.size());
    std::printf("resident MiB: start %.1f, at capacity %.1f, after all %.1f (growth after capacity %.1f)\n", before,
                at_capacity, after, after - at_capacity);
    std::printf("%.0f exchanges/s on one thread\n", static_cast<double>(urls) / seconds);
    return 0;
}

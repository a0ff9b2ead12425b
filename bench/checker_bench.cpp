// Micro-benchmark of Checker::check_head over a realistic mix of response heads: the cost the
// proxy adds to every response. Reports ns per head for each kind and for the mix.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "conformance_proxy/check/checker.hpp"

namespace {

using cproxy::check::Checker;
using cproxy::check::Findings;
using cproxy::check::RequestContext;

struct SampleHead {
    const char* name;
    RequestContext request;
    std::string head;
};

const std::vector<SampleHead>& sample_heads() {
    static const std::vector<SampleHead> heads{
        {"200_json", {"GET", "/api/items/7", true},
         "HTTP/1.1 200 OK\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "Server: nginx\r\n"
         "Content-Type: application/json\r\n"
         "Content-Length: 1432\r\n"
         "Connection: keep-alive\r\n"
         "Cache-Control: private, max-age=60\r\n"
         "ETag: \"33a64df551425fcc55e4d42a148795d9f25f89d4\"\r\n"
         "Last-Modified: Sat, 05 Nov 1994 08:49:37 GMT\r\n"
         "Vary: Accept-Encoding\r\n"
         "X-Request-Id: 4f3c2e1a-9b8d-4c7e-a6f5-0123456789ab\r\n\r\n"},
        {"304", {"GET", "/static/app.js", true},
         "HTTP/1.1 304 Not Modified\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "ETag: \"5e1f-5a2b\"\r\n"
         "Cache-Control: public, max-age=31536000\r\n"
         "Vary: Accept-Encoding\r\n\r\n"},
        {"401_challenge", {"GET", "/api/me", true},
         "HTTP/1.1 401 Unauthorized\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", "
         "error_description=\"The access token expired\"\r\n"
         "WWW-Authenticate: Basic realm=\"api\", charset=\"UTF-8\"\r\n"
         "Content-Type: application/problem+json\r\n"
         "Content-Length: 97\r\n\r\n"},
        {"404_html", {"GET", "/nope", true},
         "HTTP/1.1 404 Not Found\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "Server: Apache\r\n"
         "Content-Type: text/html; charset=iso-8859-1\r\n"
         "Content-Length: 196\r\n"
         "Connection: close\r\n\r\n"},
        {"301_location", {"GET", "/old", true},
         "HTTP/1.1 301 Moved Permanently\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "Location: https://www.example.com/new/place?from=old#top\r\n"
         "Content-Type: text/html; charset=utf-8\r\n"
         "Content-Length: 162\r\n\r\n"},
        {"206_range", {"GET", "/video.mp4", true},
         "HTTP/1.1 206 Partial Content\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "Accept-Ranges: bytes\r\n"
         "Content-Type: video/mp4\r\n"
         "Content-Range: bytes 1048576-2097151/73400320\r\n"
         "Content-Length: 1048576\r\n"
         "ETag: \"a1b2c3\"\r\n\r\n"},
        {"200_chunked", {"GET", "/stream", true},
         "HTTP/1.1 200 OK\r\n"
         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
         "Content-Type: text/event-stream\r\n"
         "Transfer-Encoding: chunked\r\n"
         "Cache-Control: no-cache\r\n"
         "X-Accel-Buffering: no\r\n\r\n"},
    };
    return heads;
}

void check_one_head(benchmark::State& state, std::size_t index) {
    const Checker checker;
    const SampleHead& sample = sample_heads()[index];
    Findings findings;
    for (auto _ : state) {
        findings.clear();
        checker.check_head(sample.head, sample.request, findings);
        benchmark::DoNotOptimize(findings.data());
    }
    if (!findings.empty()) state.SkipWithError("a sample head is not clean");
    state.SetItemsProcessed(state.iterations());
}

void check_mix(benchmark::State& state) {
    const Checker checker;
    const auto& heads = sample_heads();
    Findings findings;
    for (auto _ : state) {
        for (const SampleHead& sample : heads) {
            findings.clear();
            checker.check_head(sample.head, sample.request, findings);
            benchmark::DoNotOptimize(findings.data());
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(heads.size()));
    state.counters["ns_per_head"] = benchmark::Counter(
        static_cast<double>(state.iterations() * heads.size()),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

const bool registered = [] {
    for (std::size_t i = 0; i < sample_heads().size(); ++i)
        benchmark::RegisterBenchmark((std::string("check_head/") + sample_heads()[i].name).c_str(),
                                     check_one_head, i);
    benchmark::RegisterBenchmark("check_head/mix", check_mix);
    return true;
}();

}  // namespace

BENCHMARK_MAIN();

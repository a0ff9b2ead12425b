#pragma once
// `conformance-proxy probe`: an active client at the edge, like the proxy. It sends probes to
// an upstream's routes and hands every exchange to the same checker (and the same history of
// stateful rules) as the proxy and `lint`. Kept free of Beast and Asio: the I/O lives in
// src/probe/HttpClient.cpp.
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/history.hpp"

namespace cproxy::probe {

// A bad route source or header; what() names the source and what to do, ready to print.
class ProbeInputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Upstream {
    std::string scheme = "http";
    std::string host;
    std::uint16_t port = 80;
    std::string origin() const;     // "http://host:port"
    std::string host_field() const; // Host: the port left out when it is the scheme's default
};

struct HeaderField {
    std::string name;
    std::string value;
};

// "Name: value" -> field; throws ProbeInputError naming `source` when it is not one.
HeaderField parse_header_field(std::string_view text, std::string_view source);
std::vector<HeaderField> parse_header_file(std::string_view text, std::string_view source);

// Route sources: text in, origin-form targets out (deduplicated, in order of appearance).
// A route on another origin than `upstream` is left out: probes only go to the upstream.
std::vector<std::string> routes_from_list(std::string_view text, std::string_view source);
std::vector<std::string> routes_from_har(std::string_view text, std::string_view source, const Upstream& upstream);
// An earlier run's report.json: the example target of each rule and route it lists.
std::vector<std::string> routes_from_report(std::string_view text, std::string_view source);
// A running proxy's admin /routes.json: each route's concrete example.
std::vector<std::string> routes_from_admin(std::string_view text, std::string_view source);
// (The OpenAPI route source, `probe --openapi FILE`, adds the example requests per operation
// that src/openapi lists; it plugs in beside these.)

// One request the prober sends, and why.
struct ProbeRequest {
    std::string method;
    std::string target;
    std::vector<HeaderField> fields;  // besides Host, User-Agent and Connection: close
    std::string purpose;              // for the debug log: "conditional GET (If-None-Match)"
};

// The probes that follow a route's first GET (pure): HEAD, OPTIONS, an unknown method, the
// request without credentials, conditional and range requests, and with `unsafe` PUT/PATCH/
// DELETE. raw_response_head: the first GET's response head ("" when it failed).
std::vector<ProbeRequest> follow_up_probes(const std::string& target, std::string_view raw_response_head,
                                           const std::vector<HeaderField>& headers, bool unsafe);

// The raw bytes of one request and its response(s) over a fresh connection.
struct RawExchange {
    std::string request_head;  // as sent
    std::string response;      // every byte received: interim heads, the final head, its body
    std::string error;         // why no complete response came ("" when one did)
};
// Sends one request (Connection: close) and reads its response, bounded by `timeout` and
// `max_bytes`. Never throws for network trouble: the error says what happened.
RawExchange send_request(const Upstream& upstream, const ProbeRequest& request, std::chrono::milliseconds timeout,
                         std::size_t max_bytes = 8u << 20);

struct ProbeLimits {
    double rate = 10;                  // requests per second
    std::uint64_t max_requests = 10'000;
    std::chrono::milliseconds timeout{10'000};
    bool unsafe_methods = false;
};

// One checked exchange, handed to the caller (which records and reports it).
struct ProbedExchange {
    std::uint64_t number = 0;
    std::chrono::system_clock::time_point time{};
    const ProbeRequest* request = nullptr;
    std::string_view raw_response_head;  // the final response's head ("" when none)
    int status = 0;
    std::string_view error;
    check::Findings findings;
};

struct ProbeProgress {
    std::size_t routes_done = 0;
    std::size_t routes_total = 0;
    std::uint64_t requests = 0;
    std::uint64_t findings = 0;
};

// Probes every route in turn, checking each response with `checker` and `history`.
// Credentials in `headers` are sent only to `upstream` and scrubbed from every message.
void run_probes(const Upstream& upstream, const std::vector<std::string>& routes,
                const std::vector<HeaderField>& headers, const ProbeLimits& limits, const check::Checker& checker,
                check::History& history, const std::function<void(ProbedExchange&)>& on_exchange,
                const std::function<void(const ProbeProgress&)>& on_progress);

}  // namespace cproxy::probe

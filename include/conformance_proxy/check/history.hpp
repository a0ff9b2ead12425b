#pragma once
// The memory behind the stateful rules (RULES-v2 Part B, "Across exchanges"): what earlier
// exchanges said about each resource and what each client did, kept in a bounded, sharded
// least-recently-used store. The proxy and the prober own one; the rules themselves are pure
// functions over a summary and the current exchange (src/check/rules/AcrossExchanges.cpp).
// Thread-safe: exchanges on different resources take different locks.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/finding.hpp"

namespace cproxy::check {

// One finished exchange, as the stateful rules need it.
struct ObservedExchange {
    std::uint64_t number = 0;                        // the exchange number of the reports
    std::chrono::system_clock::time_point time{};    // when its response arrived (reports)
    std::chrono::steady_clock::time_point now{};     // the same instant, for time windows
    std::string_view origin;             // "http://host:port": the upstream the request went to
    std::string_view client;             // the client's address ("" when unknown)
    std::string_view raw_request_head;   // as the client sent it: request line and fields
    std::string_view raw_response_head;  // as the upstream wrote it ("": none arrived)
    bool complete = false;               // the response's framing completed
    std::uint64_t content_octets = 0;    // content received, transfer codings removed
    // The response head already parsed by the caller, or null: parsed here then. (The proxy
    // parsed it for the checker; a second parse was the largest cost of these rules.)
    const http::RawHead* response_head = nullptr;
    // The request head already parsed by the caller (StartLine::request), or null: parsed here
    // on first use, when a rule reads a request field.
    const http::RawHead* request_head = nullptr;
};

class History {
public:
    static constexpr std::size_t default_capacity = 10'000;

    // capacity: resources (and as many clients) remembered at most; the least recently used
    // go first.
    explicit History(std::size_t capacity = default_capacity);
    ~History();
    History(const History&) = delete;
    History& operator=(const History&) = delete;

    // Judges the exchange against what earlier exchanges said (findings appended to `out`,
    // through the policy's levels, disabled rules and ignores), then remembers it.
    void observe(const ObservedExchange& exchange, const RulePolicy& policy, Findings& out);

    std::size_t resources() const;  // entries held now (for tests and the benchmark)
    std::size_t capacity() const noexcept;

private:
    struct Stores;
    std::unique_ptr<Stores> stores_;
};

}  // namespace cproxy::check

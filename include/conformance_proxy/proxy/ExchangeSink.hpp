#pragma once
// Where the session hands each finished exchange: the access log, the findings recorder,
// metrics. Kept free of Beast so the report side builds without it.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "conformance_proxy/check/finding.hpp"

namespace cproxy::proxy {

struct ExchangeInfo {
    std::uint64_t number = 0;  // exchange counter since start
    std::chrono::system_clock::time_point started;
    std::string_view client_address;
    std::string_view method;
    std::string_view target;
    std::string_view user;            // authenticated proxy user, empty if none
    unsigned status = 0;              // status sent to the client (0: none, connection dropped)
    unsigned upstream_status = 0;     // status the upstream sent (0: none)
    std::uint64_t response_bytes = 0; // body bytes sent to the client
    std::chrono::microseconds duration{0};
    std::chrono::microseconds upstream_duration{0};  // request sent -> response head received
    std::string_view raw_response_head;  // the upstream's head as received (may be empty)
    std::string_view error;           // why the exchange failed (empty when it did not)
    // Findings of rules the request silenced (Conformance-Silence), not among `findings`, and
    // the ids it named that are no rule.
    const check::Findings* silenced = nullptr;
    std::span<const std::string> unknown_silence_ids{};
};

class ExchangeSink {
public:
    virtual ~ExchangeSink() = default;
    // Called on an I/O thread: must not block on file or network I/O. The exchange is over:
    // the sink takes its findings (moved, not copied: under load most exchanges have one).
    virtual void on_exchange(const ExchangeInfo& info, check::Findings&& findings) = 0;
};

}  // namespace cproxy::proxy

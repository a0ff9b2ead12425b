#pragma once
// One exchange end to end, for tests per rule id: a scripted upstream answers with exact
// bytes, the real proxy (with --findings) stands in front of it, a raw client sends the
// request; then the proxy is stopped (SIGTERM) so every finding is written, and the test
// gets what the client received, what the upstream received and the findings lines.
#include <optional>
#include <string>
#include <vector>

#include "integration/support/HttpWire.hpp"
#include "integration/support/ScriptedUpstream.hpp"

namespace it {

struct ExchangeResult {
    std::optional<HttpResponse> response;  // what the client got (nullopt: nothing in time)
    std::vector<ReceivedRequest> upstream_requests;
    std::vector<std::string> findings;     // --findings JSON Lines, one per finding
    std::string proxy_stderr;              // logs and the shutdown summary
    std::optional<int> proxy_exit;         // exit status after SIGTERM

    // Rule ids of the findings, in order.
    std::vector<std::string> rules() const;
    bool has_finding(std::string_view rule) const;
};

struct ExchangeOptions {
    std::vector<std::string> proxy_args;  // e.g. {"--mode", "enforce"}
    Reply::After after = Reply::After::close;  // what the upstream does after its bytes
    std::chrono::milliseconds response_timeout{10'000};
};

inline constexpr std::string_view default_request = "GET /resource HTTP/1.1\r\nHost: example.test\r\n\r\n";

ExchangeResult run_exchange_through_proxy(std::string raw_response, std::string request = std::string(default_request),
                                          const ExchangeOptions& options = {});

// The "rule" of one --findings line ("" if the line is not a JSON object with one).
std::string finding_rule(const std::string& line);

}  // namespace it

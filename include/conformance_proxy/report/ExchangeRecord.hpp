#pragma once
// What the proxy hands to the Recorder for one request/response pair.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/finding.hpp"
#include "conformance_proxy/report/Baseline.hpp"

namespace cproxy::report {

struct HeaderLine {
    std::string name;
    std::string value;
};

// Credential-bearing fields (Authorization, Proxy-Authorization, Cookie, Set-Cookie).
// Kept local to the report component so every sink redacts on its own, whatever the caller did.
bool is_credential_field(std::string_view name) noexcept;
// "[redacted]" for credential fields, the value otherwise.
std::string redact_field_value(std::string_view name, std::string_view value);
// Replaces the userinfo of an absolute-form target ("http://user:pw@host/") with "[redacted]";
// other targets come back unchanged. Also applied to request lines.
std::string redact_target(std::string_view target);

// Fields worth showing beside a finding in a report (challenges, Allow, framing, ...).
bool is_relevant_field(std::string_view name) noexcept;

// A small picture of one exchange for reports: request line, status line and a few
// response field lines. add_field() redacts credentials and truncates long values, so an
// ExampleExchange never holds a secret.
struct ExampleExchange {
    static constexpr std::size_t max_fields = 16;
    static constexpr std::size_t max_value_length = 240;

    std::string request_line;  // "DELETE /items/7 HTTP/1.1"
    std::string status_line;   // "HTTP/1.1 405 Method Not Allowed"
    std::vector<HeaderLine> fields;

    void set_request_line(std::string_view line);
    void add_field(std::string_view name, std::string_view value);
    // Re-applies redaction to everything (idempotent); the Recorder calls it on every record.
    void redact();
    bool empty() const noexcept { return request_line.empty() && status_line.empty() && fields.empty(); }
};

struct ExchangeRecord {
    std::uint64_t exchange = 0;  // numbers the exchanges since start
    std::chrono::system_clock::time_point time{};  // when the response head arrived
    std::string method;
    std::string target;  // request-target as the client sent it
    int status = 0;      // 0: no response (upstream error before a head arrived)
    std::uint64_t response_bytes = 0;
    std::chrono::nanoseconds duration{};           // client-observed: request head to last byte
    std::chrono::nanoseconds upstream_duration{};  // upstream: request sent to response complete
    std::string user;  // authenticated proxy user, empty when auth is off
    bool upstream_error = false;  // the upstream failed (connect/timeout/unusable): counts in metrics
    check::Findings findings;
    ExampleExchange example;
    // Findings of rules the request silenced (Conformance-Silence), and the ids it named that
    // are no rule: reported apart, they neither count as findings nor fail the run.
    check::Findings silenced;
    std::vector<std::string> unknown_silence_ids;
    // Parallel to findings when a baseline is loaded (the Recorder fills it); empty otherwise.
    std::vector<BaselineMark> baseline;
};

}  // namespace cproxy::report

#pragma once
// spdlog set-up (text or JSON lines on stderr, written by a background thread so the I/O
// threads never wait on the terminal) and the access-log / finding lines.
#include <string>
#include <string_view>

#include "conformance_proxy/check/finding.hpp"
#include "conformance_proxy/proxy/ExchangeSink.hpp"

namespace cproxy::proxy {

enum class LogFormat { text, json };

// level: trace|debug|info|warn|error|off. Throws std::invalid_argument on a bad level.
void setup_logging(std::string_view level, LogFormat format);
bool json_logging() noexcept;
bool debug_logging() noexcept;  // for messages that cost something to build

// A general event with a human message (escaped properly in JSON mode).
void log_debug(std::string_view message);
void log_info(std::string_view message);
void log_warn(std::string_view message);
void log_error(std::string_view message);

void log_access(const ExchangeInfo& info, std::size_t findings);
void log_finding(const ExchangeInfo& info, const check::Finding& finding);

}  // namespace cproxy::proxy

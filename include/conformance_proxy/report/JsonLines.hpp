#pragma once
// The --findings line format (INTERFACE.md): one JSON object per finding, keys in this order:
// time, exchange, rule, level, method, target, status, message, reference.
#include <chrono>
#include <string>

#include "conformance_proxy/check/finding.hpp"
#include "conformance_proxy/report/ExchangeRecord.hpp"

namespace cproxy::report {

// "2026-11-21T10:00:00.123Z"
std::string format_utc_millis(std::chrono::system_clock::time_point time);

// One line, with its trailing '\n'. Strings are made valid UTF-8 and JSON-escaped.
std::string format_finding_line(const ExchangeRecord& record, const check::Finding& finding);

// Appends the lines of every finding of record to out.
void append_finding_lines(std::string& out, const ExchangeRecord& record);

}  // namespace cproxy::report

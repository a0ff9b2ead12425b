#pragma once
#include <chrono>
#include <string>

namespace cproxy::proxy {

// IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT", for Date fields.
// Cached per second and per thread: formatting on every response would be wasted work.
const std::string& http_date_now();
std::string format_http_date(std::chrono::system_clock::time_point when);

}  // namespace cproxy::proxy

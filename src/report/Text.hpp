#pragma once
// Small text helpers shared by the report writers (internal to cp_report).
#include <cstdint>
#include <string>
#include <string_view>

#include "conformance_proxy/http/HttpGrammar.hpp"

namespace cproxy::report::text {

using http::grammar::iequals;  // the HTTP base layer's, for field names and keywords

// Whether every byte is below 0x80 (checked 8 bytes at a time): such text is valid UTF-8.
bool is_ascii(std::string_view in) noexcept;

// Replaces every byte sequence that is not valid UTF-8 with U+FFFD, so JSON and XML consumers
// never choke on obs-text an upstream sent.
std::string valid_utf8(std::string_view in);

// Escapes & < > " ' for HTML text and attributes; makes the text valid UTF-8 first.
std::string html_escape(std::string_view in);
// As html_escape, and replaces control characters XML 1.0 forbids (all but TAB, LF, CR)
// with U+FFFD, since not even a character reference may carry them.
std::string xml_escape(std::string_view in);

// At most max_bytes (on a UTF-8 boundary), with "..." appended when cut.
std::string truncate(std::string_view in, std::size_t max_bytes);

// 1234567 -> "1,234,567"
std::string group_digits(std::uint64_t n);

}  // namespace cproxy::report::text

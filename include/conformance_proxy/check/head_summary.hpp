#pragma once
// Helpers the proxy and the lint command need around the checker: where a raw response head
// ends, and how its body is framed, read with the same lenient reader the rules use (so the
// proxy and the checker never disagree about a head). Pure functions, no allocation unless
// they return a std::string.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "conformance_proxy/check/finding.hpp"
#include "conformance_proxy/http/RawHead.hpp"

namespace cproxy::check {

// Expects: the bytes read so far from the upstream, starting at the first byte of a
// response (the status line). Returns the length of the head including the empty line that
// ends it (CRLF CRLF or bare LF LF, mixtures allowed), or 0 while that empty line has not
// arrived yet. bytes.substr(0, result) is what check_head expects as raw_head.
std::size_t find_head_end(std::string_view bytes) noexcept;

struct HeadSummary {
    int status = -1;                 // the three-digit code (even 600 or 099 -> 99), else -1
    bool status_valid = false;       // 100..599
    bool has_content_length = false;
    bool content_length_valid = false;  // 1*DIGIT on every line, all lines identical
    std::uint64_t content_length = 0;   // meaningful when content_length_valid
    bool has_transfer_encoding = false;
    bool chunked = false;            // "chunked" is the final transfer coding
};

// Expects: a complete raw head (as returned by find_head_end), CRLF or bare LF endings.
// Never fails: unreadable parts leave the defaults above.
HeadSummary summarize_head(std::string_view raw_head) noexcept;
// The same over a head already parsed.
HeadSummary summarize_head(const http::RawHead& head) noexcept;

// How the response body is delimited (RFC 9112 §6.3), given the request method.
enum class BodyFraming {
    none,            // HEAD request, 1xx, 204, 304: no body whatever the fields say
    chunked,         // Transfer-Encoding ends with chunked
    content_length,  // exactly HeadSummary::content_length bytes
    until_close,     // Transfer-Encoding without final chunked, or no length at all
    invalid,         // Content-Length malformed or differing: the body cannot be framed
                     // reliably; a proxy should answer 502 rather than guess
};

// Expects: the summary of the response head and the request's method ("" when unknown).
// Transfer-Encoding wins over Content-Length, as RFC 9112 §6.3 says.
BodyFraming body_framing(const HeadSummary& summary, std::string_view request_method) noexcept;

// The distinct rule ids of findings, in first-seen order, joined by ", " (for the
// annotate mode's Conformance-Findings header). Empty string when there are none.
std::string rule_id_list(const Findings& findings);

}  // namespace cproxy::check

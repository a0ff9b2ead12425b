#pragma once
// Content-Length (RFC 9110 §8.6) and Transfer-Encoding (RFC 9112 §6.1) as read from the raw
// head: what the rules and the head summary need to reason about the message body.
#include <cstdint>

#include "check/HttpBase.hpp"
#include "conformance_proxy/check/head_summary.hpp"

namespace cproxy::check {

struct Framing {
    // Content-Length
    bool has_content_length = false;
    bool content_length_valid = false;  // every line 1*DIGIT (fits 64 bits), all identical
    std::uint64_t content_length = 0;   // meaningful when content_length_valid
    const FieldLine* first_malformed_length = nullptr;  // a line that is not 1*DIGIT
    const FieldLine* differing_length = nullptr;        // a line that differs from the first
    // Transfer-Encoding (all lines combined as one list)
    bool has_transfer_encoding = false;
    bool chunked_is_last = false;  // the final transfer coding is "chunked"
    std::string_view last_coding;  // the final transfer coding as written (with parameters)
};

Framing read_framing(const RawHead& head) noexcept;

// summarize_head of an already parsed head.
HeadSummary summarize(const RawHead& head) noexcept;
// The same from the head's framing, already read.
HeadSummary summarize(const Framing& framing, const RawHead& head) noexcept;

}  // namespace cproxy::check

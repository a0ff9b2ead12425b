#pragma once
// The rule subjects, one file each. Every function reads the already parsed head and reports
// through the sink; none allocates unless it emits a finding.
#include "check/FindingSink.hpp"
#include "check/RawHead.hpp"
#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

struct HeadCheck {
    const RawHead& head;
    const RequestContext& request;
    FindingSink& sink;

    bool is_head_request() const noexcept { return request.method == "HEAD"; }
};

// 1xx, 204 and 304 never have content (RFC 9110 §6.4.1).
constexpr bool status_has_no_content(int status) noexcept {
    return (status >= 100 && status <= 199) || status == 204 || status == 304;
}

void check_field_lines(const HeadCheck& check);     // FieldLineRules.cpp
void check_status_code(const HeadCheck& check);     // StatusCodeRules.cpp
void check_authentication(const HeadCheck& check);  // AuthenticationRules.cpp
void check_allow(const HeadCheck& check);           // AllowRules.cpp
void check_retry_after(const HeadCheck& check);     // RetryAfterRules.cpp
void check_location(const HeadCheck& check);        // LocationRules.cpp
void check_ranges(const HeadCheck& check);          // RangeRules.cpp
void check_framing(const HeadCheck& check);         // FramingRules.cpp
void check_body_framing(const HeadCheck& check, const BodyOutcome& outcome);  // FramingRules.cpp
void check_date(const HeadCheck& check);            // DateRules.cpp
void check_content_type(const HeadCheck& check);    // ContentTypeRules.cpp

}  // namespace cproxy::check

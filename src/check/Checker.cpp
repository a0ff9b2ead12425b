// Runs every rule subject over one response head. The head is parsed once, leniently, into
// a stack object; nothing is allocated unless a finding is emitted.
#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/RawHead.hpp"
#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

HeadSummary Checker::check_head(std::string_view raw_head, const RequestContext& request,
                                Findings& out) const {
    return check_head(RawHead(raw_head), request, out);
}

HeadSummary Checker::check_head(const RawHead& head, const RequestContext& request, Findings& out) const {
    FindingSink sink(policy_, request, out);
    const HeadCheck check{head, request, sink};
    check_status_code(check);
    check_field_lines(check);
    check_framing(check);
    check_date(check);
    check_content_type(check);
    check_authentication(check);
    check_allow(check);
    check_retry_after(check);
    check_location(check);
    check_ranges(check);
    return summarize(head);
}

void Checker::check_body(std::string_view raw_head, const RequestContext& request,
                         const BodyOutcome& outcome, Findings& out) const {
    const RawHead head(raw_head);
    FindingSink sink(policy_, request, out);
    check_body_framing(HeadCheck{head, request, sink}, outcome);
}

}  // namespace cproxy::check

// Runs every subject over one exchange. The head is parsed once, leniently, into a stack
// object; nothing is allocated unless a finding is emitted.
#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

HeadSummary Checker::check_head(std::string_view raw_head, const RequestContext& request,
                                Findings& out) const {
    return check_head(RawHead(raw_head), request, out);
}

HeadSummary Checker::check_head(const RawHead& head, const RequestContext& request, Findings& out) const {
    return check_head(head, request, out, nullptr);
}

HeadSummary Checker::check_head(const RawHead& head, const RequestContext& request, Findings& out,
                                bool* wants_content) const {
    FindingSink sink(policy_, request, out);
    const LazyRequestHead request_fields(request);
    const HeadCheck check{head, request, sink, request_fields, contract_};
    bool wanted = false;
    for (const Subject* subject : all_subjects()) {
        if (subject->check_head) subject->check_head(check);
        // The predicates report nothing, so sharing the sink adds no finding.
        if (wants_content && !wanted && subject->wants_content) wanted = subject->wants_content(check);
    }
    if (wants_content) *wants_content = wanted;
    return summarize(check.framing(), head);
}

void Checker::check_request(const RequestContext& request, Findings& out) const {
    if (request.parsed_head) return check_request(*request.parsed_head, request, out);
    if (request.raw_head.empty()) return;
    check_request(RawHead(request.raw_head, http::StartLine::request), request, out);
}

void Checker::check_request(const RawHead& head, const RequestContext& request, Findings& out) const {
    FindingSink sink(policy_, request, out);
    const RequestCheck check{head, request, sink};
    for (const Subject* subject : all_subjects())
        if (subject->check_request) subject->check_request(check);
}

void Checker::check_body(std::string_view raw_head, const RequestContext& request,
                         const BodyOutcome& outcome, Findings& out) const {
    const RawHead head(raw_head);
    FindingSink sink(policy_, request, out);
    const LazyRequestHead request_fields(request);
    const HeadCheck check{head, request, sink, request_fields, contract_};
    for (const Subject* subject : all_subjects())
        if (subject->check_body) subject->check_body(check, outcome);
}

bool Checker::wants_content(const RawHead& head, const RequestContext& request) const {
    Findings unused;  // wants_content predicates report nothing
    FindingSink sink(policy_, request, unused);
    const LazyRequestHead request_fields(request);
    const HeadCheck check{head, request, sink, request_fields, contract_};
    for (const Subject* subject : all_subjects())
        if (subject->wants_content && subject->wants_content(check)) return true;
    return false;
}

}  // namespace cproxy::check

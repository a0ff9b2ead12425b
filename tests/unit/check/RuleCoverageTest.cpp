// Every rule of the registry declares an example (beside its check) that triggers it at its
// catalogue level, so a rule added without its check, or a check that went silent, fails here.
#include <string>

#include "CheckTestSupport.hpp"
#include "support/RuleExample.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;

namespace {

// The framing facts the proxy would learn while streaming the example's body.
BodyOutcome outcome_of(std::string_view head, std::string_view body) {
    const HeadSummary summary = summarize_head(head);
    BodyOutcome outcome;
    outcome.bytes_after_head = body.size();
    if (summary.chunked)
        outcome.complete = body.ends_with("0\r\n\r\n");
    else if (summary.content_length_valid)
        outcome.complete = body.size() >= summary.content_length;
    return outcome;
}

}  // namespace

TEST_CASE("every registered rule's example triggers it at its catalogue level") {
    const Checker checker;
    for (const Rule* rule : all_rules()) {
        CAPTURE(rule->id);
        REQUIRE_FALSE(rule->example.empty());
        const std::string bytes = cproxy::test::example_response(*rule);
        const std::size_t head_end = find_head_end(bytes);
        REQUIRE(head_end > 0);
        const std::string_view head = std::string_view(bytes).substr(0, head_end);
        const auto request_example = cproxy::test::example_request(*rule);
        RequestContext context{request_example.method, request_example.target, true, request_example.head};

        Findings findings;
        checker.check_request(context, findings);
        checker.check_head(head, context, findings);
        checker.check_body(head, context, outcome_of(head, std::string_view(bytes).substr(head_end)), findings);
        const Finding* finding = find_finding(findings, rule->id);
        INFO("findings: ", ids_of(findings));
        REQUIRE(finding != nullptr);
        CHECK(finding->level == rule->level);
        CHECK(finding->rule == rule);
        CHECK_FALSE(finding->message.empty());
    }
}

// Every rule of the registry declares an example (beside its check) that triggers it at its
// catalogue level, so a rule added without its check, or a check that went silent, fails here.
#include <charconv>
#include <optional>
#include <string>

#include "CheckTestSupport.hpp"
#include "support/RuleExample.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;

namespace {

// The content of a chunked body (chunk extensions and trailers dropped); nullopt when the
// chunked framing is broken or has no last chunk.
std::optional<std::string> dechunk(std::string_view body) {
    std::string content;
    while (true) {
        const std::size_t line_end = body.find("\r\n");
        if (line_end == std::string_view::npos) return std::nullopt;
        std::size_t size = 0;
        const std::string_view size_text = body.substr(0, body.find_first_of(";\r"));
        const auto parsed = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (parsed.ec != std::errc{} || parsed.ptr != size_text.data() + size_text.size())
            return std::nullopt;
        body.remove_prefix(line_end + 2);
        if (size == 0) return content;
        if (body.size() < size + 2) return std::nullopt;
        content.append(body.substr(0, size));
        body.remove_prefix(size + 2);
    }
}

// The framing facts the proxy would learn while streaming the example's body, and the content
// it would inspect (kept in `storage`): the whole de-chunked body when the example completes it.
BodyOutcome outcome_of(std::string_view head, std::string_view body, std::string& storage) {
    const HeadSummary summary = summarize_head(head);
    BodyOutcome outcome;
    outcome.bytes_after_head = body.size();
    if (summary.chunked) {
        outcome.complete = body.ends_with("0\r\n\r\n");
        if (auto content = dechunk(body); outcome.complete && content) {
            storage = std::move(*content);
            outcome.content = storage;
            outcome.content_whole = true;
        }
    } else if (summary.content_length_valid) {
        outcome.complete = body.size() >= summary.content_length;
        if (outcome.complete) {
            outcome.content = body.substr(0, summary.content_length);
            outcome.content_whole = true;
        }
    }
    return outcome;
}

}  // namespace

TEST_CASE("every registered rule's example triggers it at its catalogue level") {
    const Checker checker;
    for (const Rule* rule : all_rules()) {
        CAPTURE(rule->id);
        REQUIRE_FALSE(rule->example.empty());
        if (rule->needs_contract) continue;  // tests/unit/openapi holds them to a document
        if (is_stateful(*rule)) continue;  // needs earlier exchanges: HistoryTest
        const std::string bytes = cproxy::test::example_response(*rule);
        const std::size_t head_end = find_head_end(bytes);
        REQUIRE(head_end > 0);
        const std::string_view head = std::string_view(bytes).substr(0, head_end);
        const auto request_example = cproxy::test::example_request(*rule);
        RequestContext context{request_example.method, request_example.target, true, request_example.head};

        Findings findings;
        checker.check_request(context, findings);
        checker.check_head(head, context, findings);
        std::string content;
        checker.check_body(head, context,
                           outcome_of(head, std::string_view(bytes).substr(head_end), content), findings);
        const Finding* finding = find_finding(findings, rule->id);
        INFO("findings: ", ids_of(findings));
        REQUIRE(finding != nullptr);
        CHECK(finding->level == rule->level);
        CHECK(finding->rule == rule);
        CHECK_FALSE(finding->message.empty());
    }
}

// The proxy copies content only for responses Checker::wants_content names: a rule that needs
// the content to fire on its example must be wanted for that example's head, or it stays
// silent through the live proxy.
TEST_CASE("every rule that needs the content asks for it (Checker::wants_content)") {
    const Checker checker;
    int content_rules = 0;
    for (const Rule* rule : all_rules()) {
        CAPTURE(rule->id);
        if (rule->needs_contract) continue;
        if (is_stateful(*rule)) continue;
        const std::string bytes = cproxy::test::example_response(*rule);
        const std::size_t head_end = find_head_end(bytes);
        const std::string_view head = std::string_view(bytes).substr(0, head_end);
        const auto request_example = cproxy::test::example_request(*rule);
        const RequestContext context{request_example.method, request_example.target, true, request_example.head};
        std::string content;
        BodyOutcome without_content = outcome_of(head, std::string_view(bytes).substr(head_end), content);
        without_content.content = {};
        without_content.content_whole = false;
        Findings findings;
        checker.check_request(context, findings);
        checker.check_head(head, context, findings);
        checker.check_body(head, context, without_content, findings);
        if (find_finding(findings, rule->id) != nullptr) continue;  // fires without content
        ++content_rules;
        CHECK(checker.wants_content(RawHead(head), context));
    }
    CHECK(content_rules > 0);
    // And nothing is copied for a plain response.
    const std::string plain = head_of("HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nContent-Length: 5");
    CHECK_FALSE(checker.wants_content(RawHead(plain), request()));
    const std::string json = head_of("HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 5");
    CHECK(checker.wants_content(RawHead(json), request()));
    CHECK_FALSE(checker.wants_content(RawHead(json), request("HEAD")));
}

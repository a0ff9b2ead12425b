// The proxy parses each request head once and hands the parse to every stage through
// RequestContext::parsed_head (and ObservedExchange::request_head). These tests give each stage a
// parse that says something the raw text does not, so a stage that parsed the raw head again
// instead would give the other answer.
#include "ExchangeTestSupport.hpp"

#include <chrono>
#include <utility>

#include "conformance_proxy/check/history.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;

namespace {
const std::string kNotModified = head_of("HTTP/1.1 304 Not Modified\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nETag: \"v1\"\n");

// Runs `stage` on the raw request `raw_lines` alone, then with `parsed_lines` given as its parse.
template <class Stage>
std::pair<Findings, Findings> without_and_with_parse(std::string_view raw_lines, std::string_view parsed_lines,
                                                     Stage&& stage) {
    const ExchangeRequest raw = exchange_request(raw_lines);
    const ExchangeRequest parsed = exchange_request(parsed_lines);
    const RawHead parse(parsed.head, cproxy::http::StartLine::request);
    RequestContext context{raw.method, raw.target, true, raw.head};
    std::pair<Findings, Findings> findings;
    stage(context, findings.first);
    context.parsed_head = &parse;
    stage(context, findings.second);
    return findings;
}
}  // namespace

TEST_SUITE("parsed request head") {
    TEST_CASE("the response rules read the request fields from the given parse") {
        const auto [without_parse, with_parse] = without_and_with_parse(
            "GET /a", "GET /a\nIf-None-Match: \"v1\"", [](const RequestContext& context, Findings& out) {
                Checker{}.check_head(kNotModified, context, out);
            });
        CHECK(has_rule(without_parse, "304-unconditional-request"));  // the raw head has no condition
        CHECK_FALSE(has_rule(with_parse, "304-unconditional-request"));
    }

    TEST_CASE("the request rules read the given parse") {
        const auto [without_parse, with_parse] = without_and_with_parse(
            "GET /", "GET /\nTE: trailers",
            [](const RequestContext& context, Findings& out) { Checker{}.check_request(context, out); });
        CHECK_FALSE(has_rule(without_parse, "te-missing-connection-option"));
        CHECK(has_rule(with_parse, "te-missing-connection-option"));
    }

    TEST_CASE("the history reads the request fields from the given parse") {
        // 304-missing-200-field judges a 304 against the 200 the request's If-None-Match names:
        // the raw head names none, the parse names the earlier 200's tag.
        const std::string ok = head_of("HTTP/1.1 200 OK\nETag: \"v1\"\nCache-Control: max-age=60\nContent-Length: 5");
        const std::string not_modified = head_of("HTTP/1.1 304 Not Modified\nETag: \"v1\"");
        const std::string plain = head_of("GET /r HTTP/1.1");
        const std::string conditional = head_of("GET /r HTTP/1.1\nIf-None-Match: \"v1\"");
        const RawHead conditional_parse(conditional, cproxy::http::StartLine::request);
        const auto second_exchange_findings = [&](const RawHead* parse) {
            History history;
            ObservedExchange exchange;
            exchange.origin = "http://upstream.test";
            exchange.client = "10.0.0.1";
            exchange.complete = true;
            exchange.now = std::chrono::steady_clock::now();
            exchange.number = 1;
            exchange.raw_request_head = plain;
            exchange.raw_response_head = ok;
            exchange.content_octets = 5;
            Findings first;
            history.observe(exchange, RulePolicy{}, first);
            exchange.number = 2;
            exchange.raw_response_head = not_modified;
            exchange.content_octets = 0;
            exchange.request_head = parse;
            Findings second;
            history.observe(exchange, RulePolicy{}, second);
            return second;
        };
        CHECK_FALSE(has_rule(second_exchange_findings(nullptr), "304-missing-200-field"));
        CHECK(has_rule(second_exchange_findings(&conditional_parse), "304-missing-200-field"));
    }
}

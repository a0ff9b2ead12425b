#pragma once
// Checks a response against a request whose fields the rules read: the request is written
// like a rule's example_request ("GET /a\nIf-None-Match: \"v1\""), the response like head_of's
// lines.
#include <string>
#include <string_view>

#include "CheckTestSupport.hpp"
#include "support/RuleExample.hpp"

namespace cproxy::check::test {

struct ExchangeRequest {
    std::string method;
    std::string target;
    std::string head;
};

inline ExchangeRequest exchange_request(std::string_view request_lines) {
    Rule rule{.id = "x", .level = Level::info, .reference = "", .summary = ""};
    rule.example_request = request_lines;
    auto example = cproxy::test::example_request(rule);
    return {example.method, example.target, example.head};
}

// The response head checked against the request (method, target and fields).
inline Findings check_exchange(std::string_view response_lines, std::string_view request_lines) {
    const ExchangeRequest request = exchange_request(request_lines);
    const RequestContext context{request.method, request.target, true, request.head};
    Findings findings;
    Checker{}.check_head(head_of(response_lines), context, findings);
    return findings;
}

// The rules about the request alone.
inline Findings check_request_fields(std::string_view request_lines) {
    const ExchangeRequest request = exchange_request(request_lines);
    const RequestContext context{request.method, request.target, true, request.head};
    Findings findings;
    Checker{}.check_request(context, findings);
    return findings;
}

}  // namespace cproxy::check::test

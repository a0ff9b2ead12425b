#pragma once
// Runs the checker over a whole exchange for the tests of rules that read the request: the
// request ("METHOD target" then "\n"-separated field lines), the response head ("\n" line
// ends, as check_head takes it), and what the body stream revealed.
#include <string>
#include <string_view>

#include "CheckTestSupport.hpp"
#include "support/RuleExample.hpp"

namespace cproxy::check::test {

struct ExchangeCheck {
    std::string request_head;  // the raw request head the context points into
    std::string method;
    std::string target;

    explicit ExchangeCheck(std::string_view request_lines) {
        const std::size_t line_end = request_lines.find('\n');
        const std::string_view first = request_lines.substr(0, line_end);
        const std::size_t space = first.find(' ');
        method = std::string(first.substr(0, space));
        target = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
        request_head = method + " " + target + " HTTP/1.1\r\nHost: example.test\r\n";
        if (line_end != std::string_view::npos)
            request_head += cproxy::test::with_crlf(request_lines.substr(line_end + 1)) + "\r\n";
        request_head += "\r\n";
    }

    RequestContext context() const { return RequestContext{method, target, true, request_head}; }

    // check_request, then check_head on the response.
    Findings run(std::string_view response_lines, const Checker& checker = Checker{}) const {
        Findings findings;
        const RequestContext ctx = context();
        checker.check_request(ctx, findings);
        checker.check_head(head_of(response_lines), ctx, findings);
        return findings;
    }

    // check_body only, with this outcome.
    Findings body(std::string_view response_lines, const BodyOutcome& outcome) const {
        Findings findings;
        Checker{}.check_body(head_of(response_lines), context(), outcome, findings);
        return findings;
    }
};

// check_request alone.
inline Findings check_request_of(std::string_view request_lines) {
    const ExchangeCheck exchange(request_lines);
    Findings findings;
    Checker{}.check_request(exchange.context(), findings);
    return findings;
}

}  // namespace cproxy::check::test

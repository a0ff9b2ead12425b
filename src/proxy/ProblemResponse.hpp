#pragma once
// Responses the proxy writes on its own (400, 407, 408, 413, 431, 502, 504 ...). Each one
// carries Date, Content-Type and a short application/problem+json body (RFC 9457) naming
// the cause, so that it passes the proxy's own checker.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cproxy::proxy {

struct Problem {
    Problem() = default;
    Problem(unsigned status_code, std::string title_text, std::string detail_text)
        : status(status_code), title(std::move(title_text)), detail(std::move(detail_text)) {}
    unsigned status = 502;
    std::string title;   // short, e.g. "Upstream timed out"
    std::string detail;  // one sentence naming the cause and what to do
    std::vector<std::string> rules;  // rule ids when the cause is a conformance finding
    std::vector<std::pair<std::string, std::string>> extra_fields;  // e.g. Retry-After
};

using ProblemResponse = boost::beast::http::response<boost::beast::http::string_body>;

// keep_alive: whether the connection stays open after this response.
ProblemResponse make_problem_response(const Problem& problem, unsigned version, bool keep_alive,
                                      bool head_request = false);

// The problem+json body alone (used by tests and by the demo upstream).
std::string problem_json(const Problem& problem);

}  // namespace cproxy::proxy

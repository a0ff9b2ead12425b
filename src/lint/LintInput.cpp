#include "conformance_proxy/lint/lint_input.hpp"

#include "lint/LintInputParts.hpp"

namespace cproxy::lint {

void fail(std::string_view source_name, std::string_view what) {
    throw LintInputError(std::string(source_name) + ": " + std::string(what));
}

std::string excerpt(std::string_view text) {
    const std::size_t end = text.find_first_of("\r\n");
    std::string line(text.substr(0, end));
    if (line.size() > 60) line = line.substr(0, 60) + "...";
    return "\"" + line + "\"";
}

std::vector<LintExchange> load_lint_input(std::string_view text, std::string_view source_name) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) fail(source_name, "the input is empty");
    if (text[first] == '{') return load_har(text, source_name);
    return load_raw_http(text.substr(first), source_name);
}

void check_exchange(const check::Checker& checker, const LintExchange& exchange,
                    check::Findings& out, bool from_origin_in_reverse_mode) {
    const check::RequestContext context = exchange.request_context(from_origin_in_reverse_mode);
    if (exchange.first_response_to_request) checker.check_request(context, out);
    checker.check_head(exchange.raw_head, context, out);
    check::BodyOutcome outcome = exchange.outcome;
    outcome.content = exchange.content;
    outcome.content_whole = exchange.content_whole;
    outcome.trailer_section = exchange.trailer_section;
    checker.check_body(exchange.raw_head, context, outcome, out);
}

}  // namespace cproxy::lint

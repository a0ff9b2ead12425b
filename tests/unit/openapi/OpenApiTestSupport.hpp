#pragma once
// The pet-store document and a checker over one exchange, for the OpenAPI tests.
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/openapi/OpenApiDocument.hpp"

namespace cproxy::openapi::test {

inline std::string source_dir() {
    const char* dir = std::getenv("CPROXY_SOURCE_DIR");
    return dir ? dir : ".";
}

inline const OpenApiDocument& petstore() {
    static const auto document = OpenApiDocument::load_file(source_dir() + "/tests/unit/openapi/petstore.yaml");
    return *document;
}

// One exchange through a checker holding `contract`. `response` uses "\n" line ends; an empty
// line separates the head from the body (the whole body is the inspected content).
// `request_fields`: extra request field lines, "\n"-separated.
inline std::vector<std::string> findings_of(const check::Contract& contract, std::string_view method,
                                            std::string_view target, std::string_view response,
                                            std::string_view request_fields = "") {
    std::string head, body;
    const std::size_t blank = response.find("\n\n");
    head = std::string(response.substr(0, blank == std::string_view::npos ? response.size() : blank + 1));
    if (blank != std::string_view::npos) body = std::string(response.substr(blank + 2));
    if (!head.ends_with("\n")) head += "\n";
    head += "\n";
    std::string request_head = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: api.example.test\r\n";
    for (std::string_view rest = request_fields; !rest.empty();) {
        const std::size_t end = rest.find('\n');
        request_head += std::string(rest.substr(0, end)) + "\r\n";
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    request_head += "\r\n";
    const check::Checker checker{check::RulePolicy{}, &contract};
    const check::RequestContext context{method, target, true, request_head};
    check::Findings findings;
    checker.check_head(head, context, findings);
    check::BodyOutcome outcome;
    if (!body.empty() && checker.wants_content(check::RawHead(head), context)) {
        outcome.content = body;
        outcome.content_whole = true;
    }
    checker.check_body(head, context, outcome, findings);
    std::vector<std::string> ids;
    for (const auto& finding : findings)
        if (finding.rule->id.starts_with("openapi-")) ids.emplace_back(finding.rule->id);
    return ids;
}

inline std::string message_of(const check::Contract& contract, std::string_view id, std::string_view method,
                              std::string_view target, std::string_view response) {
    // Re-run and pick the message: tests read what a user would read.
    std::string head, body;
    const std::size_t blank = response.find("\n\n");
    head = std::string(response.substr(0, blank == std::string_view::npos ? response.size() : blank + 1));
    if (blank != std::string_view::npos) body = std::string(response.substr(blank + 2));
    if (!head.ends_with("\n")) head += "\n";
    head += "\n";
    const std::string request_head = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: h\r\n\r\n";
    const check::Checker checker{check::RulePolicy{}, &contract};
    const check::RequestContext context{method, target, true, request_head};
    check::Findings findings;
    checker.check_head(head, context, findings);
    check::BodyOutcome outcome;
    outcome.content = body;
    outcome.content_whole = !body.empty();
    checker.check_body(head, context, outcome, findings);
    for (const auto& finding : findings)
        if (finding.rule->id == id) return finding.message;
    return "";
}

}  // namespace cproxy::openapi::test

#pragma once
// For the rules that read the response content: run the head and body checks over a head and
// the content the proxy would have inspected.
#include <string>
#include <string_view>

#include "CheckTestSupport.hpp"

namespace cproxy::check::test {

// whole: the content is all of it (false: a prefix cut at the inspection limit).
inline Findings check_with_content(std::string_view lines, std::string_view content,
                                   const RequestContext& context = request(), bool whole = true) {
    const Checker checker;
    const std::string head = head_of(lines);
    Findings findings;
    checker.check_head(head, context, findings);
    BodyOutcome outcome;
    outcome.content = content;
    outcome.content_whole = whole;
    // Bytes after a HEAD response's head are stray bytes, not content (head-response-has-content);
    // these tests only ask whether content rules judge a HEAD response.
    outcome.bytes_after_head = context.method == "HEAD" ? 0 : content.size();
    checker.check_body(head, context, outcome, findings);
    return findings;
}

}  // namespace cproxy::check::test

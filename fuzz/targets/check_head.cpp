// The response-head checker over arbitrary bytes. Byte 0 picks the request method and the
// body outcome; the rest is the raw head exactly as an upstream could have written it
// (check_head's callers cut it at find_head_end, but a lenient reader must survive anything).
#include <array>

#include "FuzzSupport.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/head_summary.hpp"

using namespace cproxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static constexpr std::array<std::string_view, 16> methods = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE",
        "PATCH", "", "get", "PROPFIND", "GET", "HEAD", "POST", "OPTIONS"};
    static constexpr std::array<std::uint64_t, 4> extra_bytes = {0, 1, 5, std::uint64_t{1} << 40};
    static const check::Checker checker;

    const std::uint8_t control = data[0];
    const check::RequestContext request{methods[control & 0x0f], "/items/7?q=1",
                                        (control & 0x10) != 0};
    check::BodyOutcome outcome;
    outcome.complete = (control & 0x20) == 0;
    outcome.bytes_after_head = extra_bytes[control >> 6];
    const std::string_view raw = fuzz::as_text(data + 1, size - 1);

    // As the proxy does: the head is what find_head_end says, when it says anything.
    const std::size_t head_end = check::find_head_end(raw);
    fuzz::require(head_end <= raw.size(), "find_head_end beyond the input");
    for (const std::string_view head : {raw, raw.substr(0, head_end)}) {
        if (head.empty() && head_end == 0) continue;
        check::Findings findings;
        checker.check_head(head, request, findings);
        checker.check_body(head, request, outcome, findings);
        for (const check::Finding& finding : findings) {
            fuzz::require(finding.rule != nullptr, "finding without a rule");
            fuzz::require(!finding.message.empty(), "finding without a message");
        }
        (void)check::rule_id_list(findings);
        const check::HeadSummary summary = check::summarize_head(head);
        fuzz::require(!summary.status_valid || (summary.status >= 100 && summary.status <= 599),
                      "status_valid outside 100..599");
        fuzz::require(!summary.chunked || summary.has_transfer_encoding,
                      "chunked without Transfer-Encoding");
        (void)check::body_framing(summary, request.method);
    }
    return 0;
}

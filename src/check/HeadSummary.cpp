#include <algorithm>

#include "check/Framing.hpp"
#include "check/HttpBase.hpp"
#include "conformance_proxy/check/head_summary.hpp"

namespace cproxy::check {

std::size_t find_head_end(std::string_view bytes) noexcept {
    // The head ends at an empty line: an LF followed by LF, or by CR LF.
    for (std::size_t lf = bytes.find('\n'); lf != std::string_view::npos;
         lf = bytes.find('\n', lf + 1)) {
        if (lf + 1 < bytes.size() && bytes[lf + 1] == '\n') return lf + 2;
        if (lf + 2 < bytes.size() && bytes[lf + 1] == '\r' && bytes[lf + 2] == '\n')
            return lf + 3;
    }
    return 0;
}

HeadSummary summarize_head(std::string_view raw_head) noexcept { return summarize(RawHead(raw_head)); }

HeadSummary summarize_head(const RawHead& head) noexcept { return summarize(head); }

HeadSummary summarize(const RawHead& head) noexcept { return summarize(read_framing(head), head); }

HeadSummary summarize(const Framing& framing, const RawHead& head) noexcept {
    HeadSummary summary;
    summary.status = head.status();
    summary.status_valid = head.status_valid();
    summary.has_content_length = framing.has_content_length;
    summary.content_length_valid = framing.content_length_valid;
    summary.content_length = framing.content_length;
    summary.has_transfer_encoding = framing.has_transfer_encoding;
    summary.chunked = framing.chunked_is_last;
    return summary;
}

BodyFraming body_framing(const HeadSummary& summary, std::string_view request_method) noexcept {
    const int status = summary.status;
    if (request_method == "HEAD" || (status >= 100 && status <= 199) || status == 204 ||
        status == 304)
        return BodyFraming::none;
    if (summary.has_transfer_encoding)
        return summary.chunked ? BodyFraming::chunked : BodyFraming::until_close;
    if (summary.has_content_length)
        return summary.content_length_valid ? BodyFraming::content_length : BodyFraming::invalid;
    return BodyFraming::until_close;
}

std::string rule_id_list(const Findings& findings) {
    std::string list;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Rule* rule = findings[i].rule;
        if (!rule) continue;
        const bool seen = std::any_of(findings.begin(), findings.begin() + static_cast<std::ptrdiff_t>(i),
                                      [&](const Finding& earlier) { return earlier.rule == rule; });
        if (seen) continue;
        if (!list.empty()) list += ", ";
        list += rule->id;
    }
    return list;
}

}  // namespace cproxy::check

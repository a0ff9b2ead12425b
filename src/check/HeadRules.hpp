#pragma once
// What a subject's checks receive. Every check reads the already parsed head and reports
// through the sink; none allocates unless it emits a finding.
#include <optional>

#include "check/FindingSink.hpp"
#include "check/Framing.hpp"
#include "check/HttpBase.hpp"
#include "check/parse/MediaType.hpp"
#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

// The request's head, parsed on first use only: most response rules never read it.
class LazyRequestHead {
public:
    explicit LazyRequestHead(const RequestContext& request) noexcept
        : raw_(request.raw_head), given_(request.parsed_head) {}
    // Null when the request head is unknown (a bare response in offline lint).
    const RawHead* get() const noexcept {
        if (given_) return given_;  // the proxy parsed it once for every stage
        if (raw_.empty()) return nullptr;
        if (!parsed_) parsed_.emplace(raw_, http::StartLine::request);
        return &*parsed_;
    }

private:
    std::string_view raw_;
    const RawHead* given_ = nullptr;
    mutable std::optional<RawHead> parsed_;
};

struct HeadCheck {
    const RawHead& head;
    const RequestContext& request;
    FindingSink& sink;
    const LazyRequestHead& request_fields;
    const Contract* contract = nullptr;  // --openapi, or null

    bool is_head_request() const noexcept { return request.method == "HEAD"; }
    // The request's field lines, or null when only its method and target are known.
    const RawHead* request_head() const noexcept { return request_fields.get(); }

    // Facts of the head that several subjects read, worked out on first use and kept for the
    // others (each would otherwise parse Content-Length or Content-Type again).
    // read_framing(head), once:
    const Framing& framing() const noexcept {
        if (!framing_memo) framing_memo.emplace(read_framing(head));
        return *framing_memo;
    }
    // The media type of exactly one Content-Type line that parses, else none (v1
    // `content-type-syntax` and `field-repeated-singleton` own the other cases).
    const std::optional<MediaType>& media_type() const noexcept {
        if (!media_type_memo) {
            media_type_memo.emplace();
            if (head.count(KnownField::content_type) == 1)
                *media_type_memo = parse_media_type(head.first(KnownField::content_type)->value).media_type;
        }
        return *media_type_memo;
    }
    // The memos behind framing() and media_type(): not for the subjects to read.
    mutable std::optional<Framing> framing_memo{};
    mutable std::optional<std::optional<MediaType>> media_type_memo{};
};

// Rules about the client's request alone: they run once per exchange, whatever the response.
struct RequestCheck {
    const RawHead& head;  // the request head as received (StartLine::request)
    const RequestContext& request;
    FindingSink& sink;
};

// 1xx, 204 and 304 never have content (RFC 9110 §6.4.1).
constexpr bool status_has_no_content(int status) noexcept {
    return (status >= 100 && status <= 199) || status == 204 || status == 304;
}

}  // namespace cproxy::check

#pragma once
// The stateful rules (RULES-v2 Part B) as pure functions: each `check_*` reads a summary of
// earlier exchanges and the current one and reports; each `remember_*` folds the current
// exchange into the summary. History (History.cpp) finds the summaries and holds the locks.
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>

#include "check/FindingSink.hpp"
#include "check/HttpBase.hpp"
#include "check/state/Summaries.hpp"

namespace cproxy::check::state {

// A request head parsed on first use. Most exchanges need only the request line (method and
// target, which the caller splits off); the fields are read only for Vary, conditional,
// authentication and Expect comparisons and for a client's User-Agent, and parsing every
// request head a second time was the largest cost of these rules after the response's.
class LazyRequestHead {
public:
    // given: raw already parsed by the caller (then used as is), or null.
    LazyRequestHead(std::string_view raw, const RawHead* given) noexcept : raw_(raw), given_(given) {}
    ~LazyRequestHead() {
        if (parsed_) std::destroy_at(head());
    }
    LazyRequestHead(const LazyRequestHead&) = delete;
    LazyRequestHead& operator=(const LazyRequestHead&) = delete;

    const RawHead& get() const noexcept {
        if (given_) return *given_;
        if (!parsed_) {
            std::construct_at(head(), raw_, http::StartLine::request);
            parsed_ = true;
        }
        return *head();
    }

private:
    RawHead* head() const noexcept { return std::launder(reinterpret_cast<RawHead*>(storage_)); }

    std::string_view raw_;
    const RawHead* given_ = nullptr;
    mutable bool parsed_ = false;
    // Raw storage rather than std::optional<RawHead>: GCC zero-fills an empty optional, 11 KiB.
    alignas(RawHead) mutable unsigned char storage_[sizeof(RawHead)];
};

struct StatefulView {
    const LazyRequestHead& lazy_request;  // StartLine::request
    const RawHead& response;  // a final response with a valid status
    std::string_view method;
    std::string_view uri;       // the request's absolute URI: the resource key
    std::string_view location;  // Location resolved against uri, fragment dropped ("" none)
    std::uint64_t number = 0;
    SystemTime time{};
    SteadyTime now{};
    bool complete = false;
    std::uint64_t content_octets = 0;
    FindingSink& sink;

    Seen seen() const noexcept { return {number, time, now}; }
    const RawHead& request() const noexcept { return lazy_request.get(); }
};

void check_resource(const ResourceHistory& history, const StatefulView& view);
void remember_resource(ResourceHistory& history, const StatefulView& view);
// A 201 named `history`'s resource (its Location, or its own URI without one).
void remember_created(ResourceHistory& history, const StatefulView& view);

void check_client_route(const ClientRouteHistory& history, const StatefulView& view);
void remember_client_route(ClientRouteHistory& history, const StatefulView& view);

void check_client(const ClientHistory& history, const StatefulView& view);
void remember_client(ClientHistory& history, const StatefulView& view);

}  // namespace cproxy::check::state

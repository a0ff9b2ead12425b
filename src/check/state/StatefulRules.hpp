#pragma once
// The stateful rules (RULES-v2 Part B) as pure functions: each `check_*` reads a summary of
// earlier exchanges and the current one and reports; each `remember_*` folds the current
// exchange into the summary. History (History.cpp) finds the summaries and holds the locks.
#include <cstdint>
#include <string_view>

#include "check/FindingSink.hpp"
#include "check/HttpBase.hpp"
#include "check/state/Summaries.hpp"

namespace cproxy::check::state {

struct StatefulView {
    const RawHead& request;   // StartLine::request
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

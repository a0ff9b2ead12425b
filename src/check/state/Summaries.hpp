#pragma once
// What the store remembers per resource, per client and route, and per client: small owned
// summaries (a few hundred bytes), never a body, never a credential (only a hash of one).
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conformance_proxy/check/finding.hpp"

namespace cproxy::check::state {

using SystemTime = std::chrono::system_clock::time_point;
using SteadyTime = std::chrono::steady_clock::time_point;

// Which earlier exchange a summary comes from.
struct Seen {
    std::uint64_t exchange = 0;
    SystemTime time{};
    SteadyTime at{};
    EarlierExchange earlier() const noexcept { return {exchange, time}; }
};

// A 200 to GET (complete) or to HEAD: what the pairing rules compare.
struct Representation {
    Seen seen;
    std::string etag;  // as written ("" none); strong when it does not start with W/
    bool strong_etag = false;
    std::string last_modified;
    std::string content_type;
    std::string content_encoding;
    std::string content_language;
    std::string vary;  // every Vary line joined with ", "
    // The request's values of the fields its Vary names (lower-case name, joined value).
    std::vector<std::pair<std::string, std::string>> varied;
    std::optional<std::uint64_t> length;  // GET: content octets; HEAD: its Content-Length
    bool has_cache_control = false;
    bool has_expires = false;
    bool has_content_location = false;
};

struct PartialResponse {  // the latest 206 with a strong ETag and a complete-length
    Seen seen;
    std::string etag;
    std::uint64_t complete_length = 0;
    std::string content_encoding;
};

struct TaggedNoRanges {  // the latest response with a strong ETag that said Accept-Ranges: none
    Seen seen;
    std::string etag;
};

struct ResourceHistory {
    std::optional<Representation> get200;
    std::optional<Representation> head200;
    std::optional<PartialResponse> partial;
    std::optional<TaggedNoRanges> no_ranges;
    std::vector<std::pair<std::string, Seen>> succeeded;  // method -> its latest 2xx
    std::optional<Seen> created;  // a 201 named this resource (cleared by a 2xx DELETE)

    const Seen* succeeded_with(std::string_view method) const noexcept {
        for (const auto& [name, seen] : succeeded)
            if (name == method) return &seen;
        return nullptr;
    }
};

// One client on one route.
struct ClientRouteHistory {
    int rejected_in_row = 0;  // consecutive 401/407 with the same credential and challenge
    std::size_t credential_hash = 0;
    std::size_t challenge_hash = 0;
    Seen first_rejection;
    std::optional<Seen> retry_after;  // the latest 429/503 that asked to wait
    SteadyTime wait_until{};
    std::optional<Seen> expectation_failed;  // the previous response was 417 to Expect: 100-continue
};

// One client across routes: its recent redirects.
struct ClientHistory {
    struct Edge {
        Seen seen;
        std::string from;
        std::string to;
    };
    struct PendingRedirect {  // a 307/308 whose Location the client should request with `method`
        Seen seen;
        std::string to;
        std::string method;
    };
    static constexpr std::size_t max_edges = 32;
    static constexpr std::size_t max_pending = 8;
    std::deque<Edge> edges;
    std::deque<PendingRedirect> pending;
};

}  // namespace cproxy::check::state

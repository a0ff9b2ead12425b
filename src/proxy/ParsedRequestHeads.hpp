#pragma once
// One parse of each request head for every stage that reads its fields: the request rules,
// the response rules that compare with the request (Origin, If-None-Match, ...), the body
// rules and the history. Without it each of them parsed the head again on first use, ~0.3k
// instructions per field line. A parsed head is ~11 KiB (room for 128 field lines without
// the heap): a thread lends them to the exchanges in flight and takes them back at each
// exchange's end, so an idle keep-alive connection holds none and no exchange allocates once
// the thread has as many as it has exchanges at once.
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance_proxy/http/RawHead.hpp"

namespace cproxy::proxy {

class ParsedRequestHeads {
public:
    // A parsed head lent to one exchange; back to the thread when the lease ends.
    class Lease {
    public:
        Lease() = default;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() {
            if (slot_) owner_->spare_.push_back(std::move(slot_));
        }

        // Parses raw (which must outlive the lease, or the next parse) into the lent slot.
        const http::RawHead& parse(ParsedRequestHeads& owner, std::string_view raw) {
            if (!slot_) {
                owner_ = &owner;
                slot_ = owner.take();
            }
            return slot_->emplace(raw, http::StartLine::request);
        }

    private:
        ParsedRequestHeads* owner_ = nullptr;
        std::unique_ptr<std::optional<http::RawHead>> slot_;
    };

private:
    std::unique_ptr<std::optional<http::RawHead>> take() {
        if (spare_.empty()) return std::make_unique<std::optional<http::RawHead>>();
        auto slot = std::move(spare_.back());
        spare_.pop_back();
        return slot;
    }

    std::vector<std::unique_ptr<std::optional<http::RawHead>>> spare_;
};

}  // namespace cproxy::proxy

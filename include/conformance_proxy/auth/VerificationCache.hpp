#pragma once
#include <array>
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace cproxy::auth {

// Remembers recent SUCCESSFUL verifications so a keep-alive client does not pay bcrypt on
// every request. An entry is keyed by HMAC-SHA-256 (random per-process key) over the user,
// the password and the stored hash: a reload that changes the hash misses, the password is
// never stored, and a memory dump does not give a fast unsalted hash to brute-force.
// Bounded (least recently used entry evicted) and expiring. Thread-safe.
class VerificationCache {
public:
    using Clock = std::chrono::steady_clock;
    using Key = std::array<unsigned char, 32>;

    // capacity 0 or ttl 0 disables the cache.
    VerificationCache(std::size_t capacity, std::chrono::seconds ttl);

    Key key(std::string_view user, std::string_view password, std::string_view stored_hash) const;

    // True when `key` was stored less than ttl before `now` (the entry then becomes most
    // recently used; its expiry is not extended, so a changed password is re-checked).
    bool contains(const Key& key, Clock::time_point now);
    void insert(const Key& key, Clock::time_point now);
    void clear();
    std::size_t size() const;

private:
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    struct Entry {
        Key key;
        Clock::time_point expires;
    };

    std::size_t capacity_;
    std::chrono::seconds ttl_;
    std::array<unsigned char, 32> hmac_key_{};
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // front = most recently used
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
};

}  // namespace cproxy::auth

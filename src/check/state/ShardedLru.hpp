#pragma once
// A bounded map from string keys to values, split into shards that each have their own lock
// and their own least-recently-used order. I/O threads touching different resources rarely
// meet on one lock, and no key costs more than its own entry: at the cap, the shard's least
// recently used entry goes. (LRU per shard approximates global LRU; with a good hash the
// shards fill evenly, so the total stays at the cap.)
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cproxy::check::state {

template <class Value>
class ShardedLru {
public:
    ShardedLru(std::size_t capacity, std::size_t shard_count)
        : shards_(std::max<std::size_t>(1, std::min(shard_count, std::max<std::size_t>(1, capacity)))) {
        const std::size_t n = shards_.size();
        per_shard_ = std::max<std::size_t>(1, (std::max<std::size_t>(1, capacity) + n - 1) / n);
    }

    // Calls fn(Value&) under the key's shard lock, creating a default Value when the key is new
    // (evicting the shard's least recently used entry when it is full). Returns what fn returns.
    template <class Fn>
    decltype(auto) with(std::string_view key, Fn&& fn) {
        Shard& shard = shard_of(key);
        std::lock_guard lock(shard.mutex);
        return fn(shard.touch_or_create(key, per_shard_, entries_));
    }

    // Calls fn(Value*) under the key's shard lock; null when the key is not held. Does not create.
    template <class Fn>
    decltype(auto) find(std::string_view key, Fn&& fn) {
        Shard& shard = shard_of(key);
        std::lock_guard lock(shard.mutex);
        const auto it = shard.index.find(key);
        return fn(it == shard.index.end() ? static_cast<Value*>(nullptr) : &it->second->value);
    }

    std::size_t size() const noexcept { return entries_.load(std::memory_order_relaxed); }
    // Without a lock: a caller may skip a lookup while the store is empty. An entry another
    // thread is adding at this instant may be missed, as if its exchange had come later.
    bool empty() const noexcept { return size() == 0; }
    std::size_t capacity() const noexcept { return per_shard_ * shards_.size(); }

private:
    struct Entry {
        std::string key;
        Value value;
    };
    struct Shard {
        mutable std::mutex mutex;
        std::list<Entry> order;  // most recently used first
        // Keys view the strings inside `order`, whose nodes never move.
        std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index;

        Value& touch_or_create(std::string_view key, std::size_t cap, std::atomic<std::size_t>& entries) {
            if (const auto it = index.find(key); it != index.end()) {
                order.splice(order.begin(), order, it->second);
                return it->second->value;
            }
            if (order.size() >= cap) {  // one out, one in: the total stays
                index.erase(order.back().key);
                order.pop_back();
            } else {
                entries.fetch_add(1, std::memory_order_relaxed);
            }
            order.push_front(Entry{std::string(key), Value{}});
            index.emplace(order.front().key, order.begin());
            return order.front().value;
        }
    };

    Shard& shard_of(std::string_view key) { return shards_[std::hash<std::string_view>{}(key) % shards_.size()]; }

    std::vector<Shard> shards_;
    std::size_t per_shard_ = 1;
    std::atomic<std::size_t> entries_{0};  // across all shards: each shard changes it under its lock
};

}  // namespace cproxy::check::state

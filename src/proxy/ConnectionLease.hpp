#pragma once
// One open upstream connection counted against its upstream's --upstream-max-connections.
// It travels with the connection (pooled, handed to another thread) and frees its place when
// the connection closes.
#include <atomic>
#include <cstddef>
#include <utility>

namespace cproxy::proxy {

class ConnectionLease {
public:
    ConnectionLease() = default;
    explicit ConnectionLease(std::atomic<std::size_t>* open) : open_(open) {}
    ConnectionLease(ConnectionLease&& other) noexcept : open_(std::exchange(other.open_, nullptr)) {}
    ConnectionLease& operator=(ConnectionLease&& other) noexcept {
        if (this != &other) {
            release();
            open_ = std::exchange(other.open_, nullptr);
        }
        return *this;
    }
    ConnectionLease(const ConnectionLease&) = delete;
    ConnectionLease& operator=(const ConnectionLease&) = delete;
    ~ConnectionLease() { release(); }

private:
    void release() noexcept {
        if (open_) open_->fetch_sub(1, std::memory_order_acq_rel);
        open_ = nullptr;
    }
    std::atomic<std::size_t>* open_ = nullptr;  // null: not counted (no limit)
};

}  // namespace cproxy::proxy

#pragma once
// Zero-copy relay of a response body between two plain TCP sockets (Linux splice(2)).
// Read into user space and written out again, a 64 KiB body costs this proxy two copies of
// it; moved through a pipe with splice, the kernel passes page references instead. The
// checker never needs the bytes of a Content-Length body (only whether all of them came),
// so this is the fast path's body relay whenever neither side speaks TLS.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "proxy/Awaitable.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

// A non-blocking pipe; `buffered` counts the bytes in it not yet spliced out.
class Pipe {
public:
    // nullopt when the system refuses one (descriptor limit): the caller copies instead.
    static std::optional<Pipe> open();
    Pipe(Pipe&& other) noexcept;
    Pipe& operator=(Pipe&& other) noexcept;
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    ~Pipe();

    int read_end() const noexcept { return fds_[0]; }
    int write_end() const noexcept { return fds_[1]; }
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t buffered = 0;

private:
    Pipe() = default;
    int fds_[2] = {-1, -1};
    std::size_t capacity_ = 0;
};

// Empty pipes kept by one thread for its sessions (a pipe that still holds bytes after a
// failed relay is closed instead, so no session ever sees another's data).
class PipePool {
public:
    std::optional<Pipe> take();
    void give_back(Pipe pipe);

private:
    static constexpr std::size_t max_spares = 64;
    std::vector<Pipe> spares_;
};

struct SpliceResult {
    std::uint64_t body_bytes = 0;  // body bytes the client accepted
    error_code read_error;         // the upstream closed or failed before `length` bytes
    error_code write_error;        // the client went away
};

// Writes `head` and `body_start` (body bytes already read), then `length` more body bytes
// from `from`, to `to`; head and body leave together when the body comes soon. Bytes that
// arrived before an upstream error still reach the client. The watchdog is armed with
// `timeout` before every wait.
awaitable<SpliceResult> splice_body(asio::ip::tcp::socket& from, asio::ip::tcp::socket& to, Pipe& pipe,
                                    std::string_view head, std::string_view body_start, std::uint64_t length,
                                    Watchdog& watchdog, std::chrono::milliseconds timeout);

}  // namespace cproxy::proxy

#include "proxy/SpliceRelay.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/write.hpp>

#include <array>

#include "proxy/WriteNow.hpp"

namespace cproxy::proxy {

namespace {

// Room for a 64 KiB body in one pass even when it arrives in pieces smaller than a page
// (a pipe holds a number of pieces: 16 by default).
constexpr int wanted_pipe_size = 256 * 1024;

error_code last_error() { return {errno, boost::system::system_category()}; }

}  // namespace

std::optional<Pipe> Pipe::open() {
    Pipe pipe;
    if (::pipe2(pipe.fds_, O_NONBLOCK | O_CLOEXEC) != 0) return std::nullopt;
    ::fcntl(pipe.fds_[1], F_SETPIPE_SZ, wanted_pipe_size);  // best effort: the size is read back
    const int size = ::fcntl(pipe.fds_[1], F_GETPIPE_SZ);
    if (size <= 0) return std::nullopt;  // ~Pipe closes both ends
    pipe.capacity_ = static_cast<std::size_t>(size);
    return pipe;
}

Pipe::Pipe(Pipe&& other) noexcept
    : buffered(other.buffered), fds_{other.fds_[0], other.fds_[1]}, capacity_(other.capacity_) {
    other.fds_[0] = other.fds_[1] = -1;
    other.buffered = 0;
}

Pipe& Pipe::operator=(Pipe&& other) noexcept {
    if (this != &other) {
        Pipe old(std::move(*this));
        std::swap(fds_, other.fds_);
        std::swap(capacity_, other.capacity_);
        std::swap(buffered, other.buffered);
    }
    return *this;
}

Pipe::~Pipe() {
    for (int fd : fds_)
        if (fd >= 0) ::close(fd);
}

std::optional<Pipe> PipePool::take() {
    if (spares_.empty()) return Pipe::open();
    Pipe pipe = std::move(spares_.back());
    spares_.pop_back();
    return pipe;
}

void PipePool::give_back(Pipe pipe) {
    if (pipe.buffered == 0 && spares_.size() < max_spares) spares_.push_back(std::move(pipe));
}

awaitable<SpliceResult> splice_body(asio::ip::tcp::socket& from, asio::ip::tcp::socket& to, Pipe& pipe,
                                    std::string_view head, std::string_view body_start, std::uint64_t length,
                                    Watchdog& watchdog, std::chrono::milliseconds timeout) {
    SpliceResult result;
    const int in = from.native_handle();
    const int out = to.native_handle();

    // Head and body start go straight to the socket, held back (MSG_MORE) until the first
    // spliced bytes follow, so they leave together. (Written into the pipe instead, the head
    // doubled the kernel's cost of sending the spliced body.)
    std::array<asio::const_buffer, 2> prefix{asio::buffer(head), asio::buffer(body_start)};
    consume(prefix, write_now(out, prefix, result.write_error, MSG_MORE));
    if (result.write_error) co_return result;
    if (asio::buffer_size(prefix) > 0) {  // a full socket buffer: rare at the start of a response
        watchdog.arm(timeout);
        auto [ec, n] = co_await asio::async_write(to, prefix, nothrow_awaitable);
        if (ec) {
            result.write_error = ec;
            co_return result;
        }
    }
    result.body_bytes = body_start.size();

    std::uint64_t remaining = length;
    bool waited_for_body = false;  // the held-back head waits once for the body, like the copy path
    while (remaining > 0 || pipe.buffered > 0) {
        if (remaining > 0 && pipe.buffered < pipe.capacity()) {
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, pipe.capacity() - pipe.buffered));
            const auto moved = ::splice(in, nullptr, pipe.write_end(), nullptr, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (moved > 0) {
                remaining -= static_cast<std::uint64_t>(moved);
                pipe.buffered += static_cast<std::size_t>(moved);
            } else if (moved == 0) {
                result.read_error = asio::error::eof;
            } else if (errno == EAGAIN) {
                // EAGAIN came just now from the kernel, so the edge-triggered reactor reports
                // the next arrival.
                if (pipe.buffered == 0 || !waited_for_body) {
                    waited_for_body = true;
                    watchdog.arm(timeout);
                    auto [ec] = co_await from.async_wait(asio::socket_base::wait_read, nothrow_awaitable);
                    if (ec) result.read_error = ec;
                    else continue;
                }
            } else if (errno != EINTR) {
                result.read_error = last_error();
            }
            if (result.read_error) remaining = 0;  // pass on what came, then report
        }
        if (pipe.buffered == 0) continue;

        const auto moved_out = ::splice(pipe.read_end(), nullptr, out, nullptr, pipe.buffered, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (moved_out > 0) {
            pipe.buffered -= static_cast<std::size_t>(moved_out);
            result.body_bytes += static_cast<std::uint64_t>(moved_out);
        } else if (moved_out < 0 && errno == EAGAIN) {
            watchdog.arm(timeout);
            auto [ec] = co_await to.async_wait(asio::socket_base::wait_write, nothrow_awaitable);
            if (ec) {
                result.write_error = ec;
                co_return result;
            }
        } else if (moved_out == 0 || errno != EINTR) {
            result.write_error = moved_out == 0 ? error_code(asio::error::broken_pipe) : last_error();
            co_return result;
        }
    }
    if (result.read_error) {
        // Push what MSG_MORE held back: the client should see what came before the break.
        const int on = 1;
        ::setsockopt(out, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    co_return result;
}

}  // namespace cproxy::proxy

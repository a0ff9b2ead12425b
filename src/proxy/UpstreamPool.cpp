#include "proxy/UpstreamPool.hpp"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>

namespace cproxy::proxy {

namespace {

// True if the peer has not closed and sent nothing unexpected: a reusable idle connection
// has nothing to read. Data or EOF means it is stale.
bool still_usable(AnyStream& stream) {
    auto& socket = stream.lowest();
    if (!socket.is_open()) return false;
    char byte;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::optional<AnyStream> UpstreamPool::take(const std::string& key, TimePoint now) {
    auto found = idle_.find(key);
    if (found == idle_.end()) return std::nullopt;
    auto& list = found->second;
    while (!list.empty()) {
        Idle idle = std::move(list.back());  // most recently used: warmest, least likely stale
        list.pop_back();
        set_idle_count(idle_count() - 1);
        // A connection used moments ago is almost never stale; peeking costs a syscall per
        // exchange, so only connections idle for a while are checked (a stale one left
        // unchecked is caught by the retry of idempotent requests). With coarse times,
        // "a while" is 250 to 500 ms.
        const bool fresh = now - idle.since < std::chrono::milliseconds(250) && !idle.peek_before_reuse;
        if (now - idle.since < idle_timeout_ && (fresh || still_usable(idle.stream))) return std::move(idle.stream);
    }
    return std::nullopt;
}

void UpstreamPool::give_back(const std::string& key, AnyStream stream, TimePoint now, bool peek_before_reuse) {
    if (idle_count() >= max_idle_) return;  // full: the connection just closes
    if (peek_before_reuse && !still_usable(stream)) return;  // stray content already here: close
    auto& list = idle_[key];
    // Drop expired ones at the cold end first, so the pool never holds dead weight.
    auto first_live = list.begin();
    while (first_live != list.end() && now - first_live->since >= idle_timeout_) ++first_live;
    const auto expired = static_cast<std::size_t>(first_live - list.begin());
    list.erase(list.begin(), first_live);
    list.push_back(Idle{std::move(stream), now, peek_before_reuse});
    set_idle_count(idle_count() - expired + 1);
}

awaitable<error_code> connect_upstream(asio::ip::tcp::socket& socket,
                                       const asio::ip::tcp::resolver::results_type& endpoints) {
    auto [ec, endpoint] = co_await asio::async_connect(socket, endpoints, nothrow_awaitable);
    if (!ec) socket.set_option(asio::ip::tcp::no_delay(true), ec);
    co_return ec;
}

}  // namespace cproxy::proxy

#include "integration/support/ScriptedUpstream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace it {

std::string http_response(int status, std::string_view body, std::string_view extra, std::string_view content_type) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " Status\r\n";
    out += "Date: Sun, 22 Nov 2026 10:00:00 GMT\r\n";
    if (!content_type.empty()) out += "Content-Type: " + std::string(content_type) + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += extra;
    out += "\r\n";
    out += body;
    return out;
}

ScriptedUpstream::ScriptedUpstream(std::string raw_reply, Reply::After after)
    : ScriptedUpstream([raw = std::move(raw_reply), after](const ReceivedRequest&) { return Reply::bytes(raw, after); }) {}

ScriptedUpstream::ScriptedUpstream(Script script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 128) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (listen_fd_ >= 0) ::close(listen_fd_);
        throw std::runtime_error("scripted upstream: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedUpstream::~ScriptedUpstream() { stop(); }

std::string ScriptedUpstream::url() const { return loopback_url(port_); }

void ScriptedUpstream::stop() {
    if (stopping_.exchange(true)) return;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    ::close(listen_fd_);
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // wakes reads and sends
    }
    changed_.notify_all();
    for (auto& worker : workers_) worker.join();
}

void ScriptedUpstream::accept_loop() {
    while (!stopping_) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::lock_guard lock(mutex_);
        if (stopping_) {
            ::close(fd);
            return;
        }
        const auto number = ++accepted_;
        open_fds_.push_back(fd);
        workers_.emplace_back([this, fd, number] { serve(fd, number); });
        changed_.notify_all();
    }
}

void ScriptedUpstream::serve(int fd, std::size_t number) {
    SocketReader reader(fd, 4u << 20);
    for (;;) {
        auto head = reader.read_head();
        if (!head) break;
        {
            std::lock_guard lock(mutex_);
            ++heads_;
        }
        changed_.notify_all();
        ReceivedRequest request;
        const auto& line = head->start_line;
        request.method = line.substr(0, line.find(' '));
        const auto target_start = line.find(' ') + 1;
        request.target = line.substr(target_start, line.find(' ', target_start) - target_start);
        request.connection = number;
        request.head = std::move(*head);
        request.body = reader.read_body(request.head, true, false);
        const bool complete = request.body.complete;
        Reply reply;
        if (complete) reply = script_(request);
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(std::move(request));
        }
        changed_.notify_all();
        if (!complete || !perform(fd, reader, reply)) break;
    }
    close_connection(fd, false);
}

bool ScriptedUpstream::pause(std::chrono::milliseconds delay) {
    if (delay.count() <= 0) return !stopping_;
    std::unique_lock lock(mutex_);
    return !changed_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

bool ScriptedUpstream::perform(int fd, SocketReader& reader, const Reply& reply) {
    for (const auto& piece : reply.pieces)
        if (!pause(piece.delay) || !send_all(fd, piece.bytes)) return false;
    if (reply.stream && !reply.stream([fd](std::string_view bytes) { return send_all(fd, bytes); })) return false;
    switch (reply.after) {
    case Reply::After::keep_open:
        return true;
    case Reply::After::close:
        // Half-close, then let the peer finish: closing with unread bytes would send RST.
        ::shutdown(fd, SHUT_WR);
        reader.set_timeout(std::chrono::seconds(5));
        reader.read_to_close();
        return false;
    case Reply::After::reset:
        close_connection(fd, true);
        return false;
    case Reply::After::hang:
        reader.read_to_close();
        return false;
    case Reply::After::echo: {
        if (!send_all(fd, reader.take_buffered())) return false;
        while (reader.fill())
            if (!send_all(fd, reader.take_buffered())) return false;
        ::shutdown(fd, SHUT_WR);
        return false;
    }
    }
    return false;
}

void ScriptedUpstream::close_connection(int fd, bool reset) {
    {
        std::lock_guard lock(mutex_);
        const auto it = std::find(open_fds_.begin(), open_fds_.end(), fd);
        if (it == open_fds_.end()) return;  // already closed (reset)
        open_fds_.erase(it);
    }
    if (reset) {
        linger hard{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    ::close(fd);
    changed_.notify_all();
}

std::vector<ReceivedRequest> ScriptedUpstream::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

ReceivedRequest ScriptedUpstream::request(std::size_t index) const {
    std::lock_guard lock(mutex_);
    return requests_.at(index);
}

std::size_t ScriptedUpstream::connections_accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
}

bool ScriptedUpstream::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

bool ScriptedUpstream::wait_for_connections(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return accepted_ >= count; });
}

bool ScriptedUpstream::wait_for_heads(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return heads_ >= count; });
}

bool ScriptedUpstream::wait_for_idle(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return open_fds_.empty(); });
}

}  // namespace it

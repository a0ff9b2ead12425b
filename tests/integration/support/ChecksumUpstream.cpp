#include "integration/support/ChecksumUpstream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace it {

ChecksumUpstream::ChecksumUpstream(Respond respond) : respond_(std::move(respond)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, SOMAXCONN) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (listen_fd_ >= 0) ::close(listen_fd_);
        throw std::runtime_error("checksum upstream: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

ChecksumUpstream::~ChecksumUpstream() { stop(); }

void ChecksumUpstream::stop() {
    if (stopping_.exchange(true)) return;
    ::shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    ::close(listen_fd_);
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& worker : workers_) worker.join();
}

std::size_t ChecksumUpstream::open_connections() const {
    std::lock_guard lock(mutex_);
    return open_fds_.size();
}

void ChecksumUpstream::accept_loop() {
    while (!stopping_) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE) {  // out of descriptors: let some close
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                continue;
            }
            return;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::lock_guard lock(mutex_);
        if (stopping_) {
            ::close(fd);
            return;
        }
        ++connections_;
        open_fds_.push_back(fd);
        workers_.emplace_back([this, fd] { serve(fd); });
    }
}

void ChecksumUpstream::serve(int fd) {
    SocketReader reader(fd, 0);  // hash bodies, keep none of their bytes
    for (;;) {
        const auto head = reader.read_head();
        if (!head) break;
        const auto body = reader.read_body(*head, true, false);
        if (!body.complete) {
            ++damaged_;
            break;
        }
        ++requests_;
        const auto expected = head->field("X-Body-Sha256");
        if (expected && *expected == body.sha256)
            ++intact_;
        else
            ++damaged_;
        if (!send_all(fd, respond_(*head, body.sha256))) break;
        if (head->tokens("Connection") == std::vector<std::string>{"close"}) break;
    }
    {
        std::lock_guard lock(mutex_);
        open_fds_.erase(std::find(open_fds_.begin(), open_fds_.end(), fd));
    }
    ::close(fd);
}

}  // namespace it

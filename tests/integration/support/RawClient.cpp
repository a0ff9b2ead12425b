#include "integration/support/RawClient.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace it {

namespace {

int connect_loopback(std::uint16_t port, int& error) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        error = errno;
        ::close(fd);
        return -1;
    }
    error = 0;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

}  // namespace

RawClient::RawClient(std::uint16_t port) : fd_([port] {
      int error = 0;
      const int fd = connect_loopback(port, error);
      if (fd < 0) throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(error));
      return fd;
  }()),
  reader_(fd_) {}

RawClient::~RawClient() { close(); }

int RawClient::connect_error(std::uint16_t port) {
    int error = 0;
    const int fd = connect_loopback(port, error);
    if (fd >= 0) ::close(fd);
    return error;
}

void RawClient::shutdown_send() { ::shutdown(fd_, SHUT_WR); }

void RawClient::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void RawClient::abort() {
    if (fd_ < 0) return;
    linger hard{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    close();
}

std::uint16_t RawClient::local_port() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

std::optional<HttpResponse> RawClient::read_response(std::chrono::milliseconds timeout, bool head_request) {
    reader_.set_timeout(timeout);
    auto head = reader_.read_head();
    if (!head) return std::nullopt;
    HttpResponse response;
    response.status = status_of(*head);
    const bool no_body = head_request || (response.status >= 100 && response.status < 200) ||
                         response.status == 204 || response.status == 304;
    response.head = std::move(*head);
    response.body = reader_.read_body(response.head, false, no_body);
    return response;
}

std::optional<std::string> RawClient::read_until(std::string_view marker, std::chrono::milliseconds timeout) {
    reader_.set_timeout(timeout);
    return reader_.read_until(marker);
}

std::string RawClient::read_to_close(std::chrono::milliseconds timeout) {
    reader_.set_timeout(timeout);
    return reader_.read_to_close();
}

bool RawClient::closed_by_peer(std::chrono::milliseconds timeout) {
    reader_.set_timeout(timeout);
    return reader_.wait_closed();
}

}  // namespace it

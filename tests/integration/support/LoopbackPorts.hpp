#pragma once
// Loopback ports for tests that need one before anything listens on it.
#include <cstdint>

namespace it {

// A port bound on 127.0.0.1 but not listening: connecting to it is refused, and no other
// process can take it while this lives (an upstream that is down).
class ReservedPort {
public:
    ReservedPort();
    ~ReservedPort();
    ReservedPort(const ReservedPort&) = delete;
    ReservedPort& operator=(const ReservedPort&) = delete;
    std::uint16_t port() const { return port_; }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

// A port that was free a moment ago, for servers that take a port number, not port 0.
std::uint16_t free_port();

}  // namespace it

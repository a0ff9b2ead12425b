#pragma once
// A lean keep-alive upstream for load tests: a loopback server, one thread per connection,
// that reads each request by its framing, checks the body against the SHA-256 the client
// put in X-Body-Sha256, and answers with whatever `respond` makes of the request. Unlike
// ScriptedUpstream it keeps no request (only counters), so 50,000 requests cost no memory.
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/HttpWire.hpp"

namespace it {

class ChecksumUpstream {
public:
    // Gets the request head and the body's SHA-256 (hex) as the upstream computed it; returns
    // the exact response bytes.
    using Respond = std::function<std::string(const HttpHead& head, const std::string& body_sha256)>;

    explicit ChecksumUpstream(Respond respond);
    ~ChecksumUpstream();
    ChecksumUpstream(const ChecksumUpstream&) = delete;
    ChecksumUpstream& operator=(const ChecksumUpstream&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url() const { return loopback_url(port_); }
    std::uint64_t requests() const { return requests_; }             // whole requests read
    std::uint64_t bodies_intact() const { return intact_; }          // X-Body-Sha256 matched
    std::uint64_t bodies_damaged() const { return damaged_; }        // mismatch, missing header or broken off
    std::uint64_t connections() const { return connections_; }
    std::size_t open_connections() const;
    void stop();

private:
    void accept_loop();
    void serve(int fd);

    Respond respond_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> requests_{0}, intact_{0}, damaged_{0}, connections_{0};
    std::thread acceptor_;
    mutable std::mutex mutex_;
    std::vector<std::thread> workers_;
    std::vector<int> open_fds_;
};

}  // namespace it

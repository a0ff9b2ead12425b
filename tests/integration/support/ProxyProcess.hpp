#pragma once
// The real conformance-proxy binary ($CPROXY_BINARY) as a child process listening on a free
// loopback port: started with `--listen 127.0.0.1:0`, its port read from the "listening on"
// line of its stderr (kept in a file), stopped with SIGTERM and a bounded wait.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "integration/support/HttpWire.hpp"
#include "integration/support/Process.hpp"
#include "integration/support/TempDir.hpp"

namespace it {

// Path of the binary under test; throws with a hint when CPROXY_BINARY is not set.
std::string proxy_binary();

class ProxyProcess {
public:
    // `args` come after `--listen 127.0.0.1:0` (and `--log-level info` unless they set it), e.g.
    // {"--upstream", upstream.url(), "--upstream-timeout", "1"}. Waits until it listens.
    explicit ProxyProcess(std::vector<std::string> args,
                          std::chrono::milliseconds startup_bound = std::chrono::seconds(10));
    ~ProxyProcess();  // SIGKILL if the test did not stop it

    std::uint16_t port() const { return port_; }
    std::string url() const { return loopback_url(port_); }
    std::string stderr_text() const;
    bool wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout) const;
    bool running() { return child_->running(); }
    pid_t pid() const { return child_->pid(); }
    void send_signal(int signal) { child_->send_signal(signal); }
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) { return child_->wait_for_exit(timeout); }
    // SIGTERM, then wait up to `bound` for the exit status (nullopt: still running).
    std::optional<int> stop(std::chrono::milliseconds bound = std::chrono::seconds(15));
    const TempDir& dir() const { return dir_; }

private:
    TempDir dir_;
    std::optional<ChildProcess> child_;
    std::uint16_t port_ = 0;
};

}  // namespace it

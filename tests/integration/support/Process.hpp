#pragma once
// Child processes with bounded waits: a command run to completion with its output captured
// (curl, python3, the proxy's `lint`), and a long-running child (the proxy, a Debian server)
// whose output goes to files, that the test signals and waits for, and that is killed if the
// test ends without stopping it, or if the test binary itself dies (PR_SET_PDEATHSIG).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace it {

struct CommandResult {
    int exit_status = -1;  // exit code, or 128 + signal number
    bool timed_out = false;  // killed after the bound
    std::string out;
    std::string err;
};

// Runs argv[0] (searched in PATH) with `input` on stdin; kills it after `timeout`.
CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::string_view input = {});

class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stdout_path,
                 const std::filesystem::path& stderr_path);
    ~ChildProcess();  // SIGKILL and reap, if still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void send_signal(int signal);
    // Exit status (as in CommandResult) once the child ended, or nullopt after `timeout`.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
    std::optional<int> exit_status() const { return status_; }

private:
    bool reap(bool block);
    pid_t pid_ = -1;
    std::optional<int> status_;
};

// Polls `condition` every 10 ms until it holds or `timeout` passes; returns its last value.
template <class Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds timeout);

}  // namespace it

#include <thread>
template <class Condition>
bool it::eventually(Condition&& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

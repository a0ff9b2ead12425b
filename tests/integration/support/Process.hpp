#pragma once
// Child processes with bounded waits, for every test binary that drives real programs: a
// command run to completion with its output captured (curl, python3, openssl, the proxy's
// `lint`), and a long-running child (the proxy, nginx, a Debian server) whose output goes to
// files, that the test signals and waits for, and that is killed with its process group if the
// test ends without stopping it, or if the test binary itself dies (PR_SET_PDEATHSIG).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
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

// Entries added to (or overriding) the test's own environment for a child.
using Environment = std::map<std::string, std::string>;

// Runs argv[0] (searched in PATH) with `input` on stdin; kills it after `timeout`. Whatever it
// left running in its process group (a browser's helpers, a shell's background job) is
// killed when it ends.
CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::string_view input = {}, const Environment& env = {});

class ChildProcess {
public:
    // stdout and stderr to one file each; an empty stderr_path sends stderr to stdout's file.
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stdout_path,
                 const std::filesystem::path& stderr_path, const Environment& env = {});
    ~ChildProcess();  // SIGKILL to its process group and reap, if still running
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void send_signal(int signal);
    // Exit status (as in CommandResult) once the child ended, or nullopt after `timeout`.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
    std::optional<int> exit_status() const { return status_; }
    // SIGTERM, then SIGKILL to its process group if it has not ended within `grace`.
    // Returns the exit status.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

private:
    bool reap(bool block);
    void kill_group();
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

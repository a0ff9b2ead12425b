#pragma once
// What the TLS and deployment tests need around the real binaries: a temporary directory,
// commands run to completion with bounded time (openssl, curl, python3), long-running children
// (the proxy, nginx, the sample API) that the test stops, and the proxy started on a free port.
// Everything here is POSIX and the standard library: these tests drive processes, not Beast.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlstest {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A fresh directory under $TMPDIR, removed with everything in it at the end.
class TempDir {
public:
    explicit TempDir(std::string_view prefix = "cproxy-tls");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(std::string_view name) const { return path_ / name; }

private:
    fs::path path_;
};

struct CommandResult {
    int exit_status = -1;    // exit code, or 128 + signal number
    bool timed_out = false;  // killed after the bound
    std::string out;
    std::string err;
};

// Runs argv[0] (searched in PATH) with `input` on stdin; kills it after `timeout`. `env`
// entries are added to (or override) the test's own environment.
CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 30s,
                          std::string_view input = {}, const std::map<std::string, std::string>& env = {});

// A long-running child whose stdout and stderr go to files. Killed (SIGKILL) and reaped by
// the destructor if the test did not stop it.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const fs::path& stdout_path, const fs::path& stderr_path,
                 const std::map<std::string, std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void send_signal(int signal);
    // Exit status (as in CommandResult) once the child ended, or nullopt after `timeout`.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
    // SIGTERM, then SIGKILL if it has not ended within `grace`. Returns the exit status.
    int stop(std::chrono::milliseconds grace = 10s);

private:
    bool reap(bool block);
    pid_t pid_ = -1;
    std::optional<int> status_;
};

std::string read_file(const fs::path& path);
void write_file(const fs::path& path, std::string_view text);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
unsigned short free_port();
// True once something accepts a TCP connection on 127.0.0.1:port, false after `timeout`.
bool wait_for_port(unsigned short port, std::chrono::milliseconds timeout);
// Polls `condition` every 20 ms until it holds or `timeout` passes; returns its last value.
template <class Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds timeout);

// The conformance-proxy binary: $CPROXY_BINARY (set by ctest), else build/conformance-proxy.
std::string proxy_binary();
// The source tree: $CPROXY_SOURCE_DIR (set by ctest), else the current directory.
fs::path source_dir();
// Debian's python3 when present (it has python3-yaml), else python3 from PATH.
std::string python3();

// The proxy started with `--listen 127.0.0.1:0` (and `--threads 2` unless the arguments set
// it) plus the arguments given; the constructor
// waits (bounded) for its "listening on http(s)://127.0.0.1:PORT" line. If the proxy exits
// instead, started() is false and log() says why.
class ProxyProcess {
public:
    ProxyProcess(const fs::path& work_dir, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {}, std::chrono::milliseconds timeout = 20s);
    bool started() const { return port_ != 0; }
    unsigned short port() const { return port_; }
    std::string url(std::string_view path = "/") const;  // http://127.0.0.1:PORT/path
    std::string log() const { return read_file(stderr_path_); }
    // SIGTERM and wait: the exit status (reports written, --fail-on applied).
    int stop(std::chrono::milliseconds grace = 15s) { return child_.stop(grace); }
    ChildProcess& child() { return child_; }

private:
    fs::path stderr_path_;
    ChildProcess child_;
    unsigned short port_ = 0;
};

// The exit status of a proxy run that is expected to refuse its configuration quickly.
CommandResult run_proxy(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                        std::chrono::milliseconds timeout = 20s);

// curl: status line and headers (-D) and body of one request. `extra` goes before the URL.
struct HttpResult {
    int curl_exit = -1;
    int status = 0;
    std::string headers;  // as received, lower-cased names not guaranteed
    std::string body;
    std::string verbose;  // curl's stderr (with -v)
    std::string header(std::string_view name) const;  // first value, case-insensitive; "" if none
};
HttpResult curl(const std::string& url, const std::vector<std::string>& extra = {},
                std::chrono::milliseconds timeout = 20s);

}  // namespace tlstest

#include <thread>
template <class Condition>
bool tlstest::eventually(Condition&& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

#pragma once
// What the TLS tests need around the real binaries: the integration support's temporary
// directories, commands and long-running children (openssl, curl, nginx, the proxy), plus the
// proxy started on a free port and curl's answers taken apart.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integration/support/LoopbackPorts.hpp"
#include "integration/support/Process.hpp"
#include "integration/support/TempDir.hpp"

namespace tlstest {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Processes, files and ports come from the integration support (tests/integration/support/).
using it::ChildProcess;
using it::CommandResult;
using it::eventually;
using it::free_port;
using it::read_file;
using it::TempDir;
using it::write_file;

// it::run_command with the defaults these tests use (30 s).
inline CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 30s,
                                 std::string_view input = {}, const it::Environment& env = {}) {
    return it::run_command(argv, timeout, input, env);
}

// True once something accepts a TCP connection on 127.0.0.1:port, false after `timeout`.
bool wait_for_port(unsigned short port, std::chrono::milliseconds timeout);

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

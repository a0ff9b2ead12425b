#include "integration/support/ProxyProcess.hpp"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <stdexcept>

namespace it {

std::string proxy_binary() {
    const char* path = std::getenv("CPROXY_BINARY");
    if (!path || !*path)
        throw std::runtime_error("CPROXY_BINARY is not set: run through ctest, or export "
                                 "CPROXY_BINARY=build/conformance-proxy");
    return path;
}

ProxyProcess::ProxyProcess(std::vector<std::string> args, std::chrono::milliseconds startup_bound) {
    std::vector<std::string> argv{proxy_binary(), "--listen", "127.0.0.1:0"};
    if (std::find(args.begin(), args.end(), "--log-level") == args.end()) argv.insert(argv.end(), {"--log-level", "info"});
    argv.insert(argv.end(), args.begin(), args.end());
    child_.emplace(argv, dir_.file("stdout.log"), dir_.file("stderr.log"));

    static const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    std::smatch match;
    std::string text;
    const bool started = eventually(
        [&] {
            text = stderr_text();
            return std::regex_search(text, match, listening) || !child_->running();
        },
        startup_bound);
    if (!started || match.empty()) {
        child_->send_signal(SIGKILL);
        child_->wait_for_exit(std::chrono::seconds(5));
        throw std::runtime_error("the proxy did not start listening (exit " +
                                 std::to_string(child_->exit_status().value_or(-1)) + "); stderr:\n" + stderr_text());
    }
    port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
}

ProxyProcess::~ProxyProcess() = default;  // ChildProcess kills and reaps

std::string ProxyProcess::stderr_text() const { return read_file(dir_.file("stderr.log")); }

bool ProxyProcess::wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout) const {
    return eventually([&] { return stderr_text().find(needle) != std::string::npos; }, timeout);
}

std::optional<int> ProxyProcess::stop(std::chrono::milliseconds bound) {
    child_->send_signal(SIGTERM);
    return child_->wait_for_exit(bound);
}

}  // namespace it

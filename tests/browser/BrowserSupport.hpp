#pragma once
// What the admin and dashboard tests need around them: commands run with a bound (curl,
// chromium) and the proxy binary as a child whose stderr is read for its ports (both from the
// integration support), and a place for the screenshots the tests keep.
#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "integration/support/Process.hpp"
#include "integration/support/TempDir.hpp"

namespace browser {

using namespace std::chrono_literals;

using it::CommandResult;
using it::TempDir;

// Runs argv (argv[0] searched in PATH); SIGKILLs it and its process group after `timeout`.
inline CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    return it::run_command(argv, timeout);
}

// A long-running child (it::ChildProcess) whose stdout and stderr go to one file, read for
// what it prints (the proxy's ports).
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_path)
        : output_path_(output_path), child_(argv, output_path, {}) {}

    void send_signal(int signal) { child_.send_signal(signal); }
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) { return child_.wait_for_exit(timeout); }
    const std::filesystem::path& output_path() const { return output_path_; }
    std::string output() const { return it::read_file(output_path_); }
    // Waits until the output has a match of `pattern`; returns the match (with groups) or nullopt.
    std::optional<std::smatch> wait_for_output(const std::regex& pattern, std::chrono::milliseconds timeout,
                                               std::string& storage);

private:
    std::filesystem::path output_path_;
    it::ChildProcess child_;
};

std::filesystem::path proxy_binary();  // $CPROXY_BINARY
// $CPROXY_ARTIFACTS_DIR, else $CPROXY_SOURCE_DIR/build/artifacts (created).
std::filesystem::path artifacts_dir();

// HTTP through curl: -i output split into head and body.
struct HttpResult {
    int status = 0;
    std::string head;  // status line and fields, CRLFs kept
    std::string body;
    std::string curl_error;  // non-empty when curl failed
};
HttpResult http(const std::string& method, const std::string& url, const std::vector<std::string>& extra_args = {});
// Field value from a head (case-insensitive name), nullopt when absent.
std::optional<std::string> header_value(const std::string& head, const std::string& name);

// Headless Chromium. Empty when no chromium binary is on PATH.
std::string chromium_binary();
// extra_flags go before the URL, e.g. --virtual-time-budget=5000 to let the page's timers run.
CommandResult chromium_dump_dom(const std::string& url, const std::vector<std::string>& extra_flags = {});
CommandResult chromium_screenshot(const std::string& url, const std::filesystem::path& png, int width = 1280,
                                  int height = 1800);
bool is_png(const std::filesystem::path& path);

// In a dumped DOM: the count shown in the rule section of `rule_id`, or -1.
long rule_count_in_dom(const std::string& dom, const std::string& rule_id);

}  // namespace browser

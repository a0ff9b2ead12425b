#include "browser/BrowserSupport.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace browser {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::optional<std::smatch> ChildProcess::wait_for_output(const std::regex& pattern, std::chrono::milliseconds timeout,
                                                         std::string& storage) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        storage = output();
        std::smatch match;
        if (std::regex_search(storage, match, pattern)) return match;
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        if (child_.wait_for_exit(std::chrono::milliseconds(0))) {  // exited: one last look at what it wrote
            storage = output();
            if (std::regex_search(storage, match, pattern)) return match;
            return std::nullopt;
        }
        std::this_thread::sleep_for(20ms);
    }
}

fs::path proxy_binary() {
    const char* binary = std::getenv("CPROXY_BINARY");
    if (!binary || !*binary) throw std::runtime_error("CPROXY_BINARY is not set (run the tests through ctest)");
    return binary;
}

fs::path artifacts_dir() {
    fs::path dir;
    if (const char* explicit_dir = std::getenv("CPROXY_ARTIFACTS_DIR"); explicit_dir && *explicit_dir)
        dir = explicit_dir;
    else if (const char* source = std::getenv("CPROXY_SOURCE_DIR"); source && *source)
        dir = fs::path(source) / "build" / "artifacts";
    else
        dir = fs::current_path() / "artifacts";
    fs::create_directories(dir);
    return dir;
}

HttpResult http(const std::string& method, const std::string& url, const std::vector<std::string>& extra_args) {
    std::vector<std::string> argv = {"curl", "-sS", "-i", "--max-time", "20", "--noproxy", "*"};
    if (method == "HEAD") argv.push_back("-I");
    else argv.insert(argv.end(), {"-X", method});
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    argv.push_back(url);
    const auto run = run_command(argv, 30s);
    HttpResult result;
    if (run.exit_status != 0 || run.timed_out) {
        result.curl_error = "curl exit " + std::to_string(run.exit_status) + ": " + run.err;
        return result;
    }
    const auto end = run.out.find("\r\n\r\n");
    result.head = run.out.substr(0, end == std::string::npos ? run.out.size() : end + 2);
    result.body = end == std::string::npos ? std::string() : run.out.substr(end + 4);
    if (result.head.rfind("HTTP/", 0) == 0) {
        const auto space = result.head.find(' ');
        result.status = std::atoi(result.head.c_str() + space + 1);
    }
    return result;
}

std::optional<std::string> header_value(const std::string& head, const std::string& name) {
    std::istringstream lines(head);
    std::string line;
    const auto wanted = lower(name) + ":";
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (lower(line.substr(0, wanted.size())) != wanted) continue;
        auto value = line.substr(wanted.size());
        const auto first = value.find_first_not_of(" \t");
        return first == std::string::npos ? std::string() : value.substr(first);
    }
    return std::nullopt;
}

std::string chromium_binary() {
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        const auto which = run_command({"sh", "-c", std::string("command -v ") + name}, 10s);
        if (which.exit_status == 0 && !which.out.empty()) return which.out.substr(0, which.out.find('\n'));
    }
    return {};
}

namespace {

std::vector<std::string> chromium_argv(const std::string& profile_dir) {
    // Every flag that keeps a headless run quiet and bounded: no sandbox (containers), no
    // GPU, no background fetches that could wait on a network the test machine may not have.
    return {"timeout",
            "60",
            chromium_binary(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--user-data-dir=" + profile_dir};
}

}  // namespace

CommandResult chromium_dump_dom(const std::string& url, const std::vector<std::string>& extra_flags) {
    TempDir profile;
    auto argv = chromium_argv(profile.path().string());
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    argv.insert(argv.end(), {"--dump-dom", url});
    return run_command(argv, 90s);
}

CommandResult chromium_screenshot(const std::string& url, const fs::path& png, int width, int height) {
    TempDir profile;
    std::error_code ignored;
    fs::remove(png, ignored);
    auto argv = chromium_argv(profile.path().string());
    argv.insert(argv.end(), {"--screenshot=" + png.string(),
                             "--window-size=" + std::to_string(width) + "," + std::to_string(height), url});
    return run_command(argv, 90s);
}

bool is_png(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    return in.gcount() == 8 && std::memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0 && fs::file_size(path) > 10000;
}

long rule_count_in_dom(const std::string& dom, const std::string& rule_id) {
    const auto section = dom.find("id=\"rule-" + rule_id + "\"");
    if (section == std::string::npos) return -1;
    const std::string marker = "class=\"count\"><b>";
    const auto count = dom.find(marker, section);
    const auto next_section = dom.find("<section", section + 1);
    if (count == std::string::npos || (next_section != std::string::npos && count > next_section)) return -1;
    std::string digits;
    for (auto i = count + marker.size(); i < dom.size() && dom[i] != '<'; ++i)
        if (std::isdigit(static_cast<unsigned char>(dom[i]))) digits += dom[i];
    return digits.empty() ? -1 : std::stol(digits);
}

}  // namespace browser

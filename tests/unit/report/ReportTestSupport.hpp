#pragma once
// Shared helpers for the report tests: rules (from the registry when it has them, local
// stand-ins otherwise, so these tests never depend on the registry being complete), records,
// and temporary files.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/ExchangeRecord.hpp"

namespace cproxy::report::test {

inline const check::Rule* rule(std::string_view id) {
    const auto* r = check::find_rule(id);
    if (!r) FAIL("no rule " << id);
    return r;
}

inline check::Finding finding(std::string_view id, std::string message = "something is wrong") {
    const auto* r = rule(id);
    return check::Finding{r, r->level, std::move(message)};
}

inline ExchangeRecord make_record(std::uint64_t exchange, std::string method, std::string target, int status,
                                  check::Findings findings = {}) {
    ExchangeRecord rec;
    rec.exchange = exchange;
    rec.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795255200123));  // 2026-11-21T10:00:00.123Z
    rec.method = std::move(method);
    rec.target = std::move(target);
    rec.status = status;
    rec.duration = std::chrono::milliseconds(12);
    rec.upstream_duration = std::chrono::milliseconds(10);
    rec.response_bytes = 100;
    rec.findings = std::move(findings);
    rec.example.set_request_line(rec.method + " " + rec.target + " HTTP/1.1");
    rec.example.status_line = "HTTP/1.1 " + std::to_string(status);
    return rec;
}

// A fresh path under the temp directory, removed when the object dies.
class TempPath {
public:
    explicit TempPath(std::string_view name) {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("cproxy-report-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                 std::string(name));
        std::filesystem::remove(path_);
    }
    ~TempPath() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    std::string str() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        auto end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return lines;
}

// Runs a shell command, returns its stdout; sets ok to whether it exited 0.
inline std::string run_command(const std::string& command, bool& ok) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ok = false;
        return out;
    }
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    ok = ::pclose(pipe) == 0;
    return out;
}

inline bool have_python3() {
    static const bool have = std::system("python3 -c 'import xml.etree.ElementTree' >/dev/null 2>&1") == 0;
    return have;
}

}  // namespace cproxy::report::test

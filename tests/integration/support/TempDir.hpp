#pragma once
// A fresh directory under $TMPDIR (else /tmp) for one test's files (findings, logs, served
// files, certificates), removed with everything in it when the test ends, unless
// CPROXY_KEEP_TMP is set (to look at what a failing test left).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace it {

class TempDir {
public:
    explicit TempDir(std::string_view prefix = "cproxy-it");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path file(std::string_view name) const { return path_ / name; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view content);
// Lines without their '\n'; an empty trailing line is not reported.
std::vector<std::string> read_lines(const std::filesystem::path& path);

}  // namespace it

#pragma once
// A fresh directory under /tmp for one test's files (findings, logs, served files),
// removed with everything in it when the test ends.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace it {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path file(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view content);
// Lines without their '\n'; an empty trailing line is not reported.
std::vector<std::string> read_lines(const std::filesystem::path& path);

}  // namespace it

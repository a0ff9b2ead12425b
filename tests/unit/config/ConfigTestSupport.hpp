#pragma once
// Helpers for the configuration tests: run the whole command-line pipeline (flags, a fake
// environment, a YAML file written to a temporary directory) and look at the result.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>
#include <unistd.h>

#include "conformance_proxy/config/CommandLine.hpp"
#include "conformance_proxy/config/Configuration.hpp"

namespace cproxy::config::test {

// A fresh directory per call, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("cproxy-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const std::string& text) const {
        const auto file = path_ / name;
        std::ofstream(file, std::ios::binary) << text;
        return file.string();
    }
    std::string path(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

struct Parsed {
    std::optional<int> exit_code;
    CommandLine command_line;
    std::string out, err;
    bool ok() const { return !exit_code; }
};

inline Parsed parse(std::vector<std::string> args, const Environment& environment = {}) {
    args.insert(args.begin(), "conformance-proxy");
    Parsed parsed;
    std::ostringstream out, err;
    parsed.exit_code = parse_command_line(args, environment, parsed.command_line, out, err);
    parsed.out = out.str();
    parsed.err = err.str();
    return parsed;
}

// Parses a config file with the given YAML text (and optional flags/environment).
inline Parsed parse_yaml(const std::string& yaml, std::vector<std::string> args = {},
                         const Environment& environment = {}) {
    TempDir dir;
    const auto file = dir.write("config.yaml", yaml);
    args.insert(args.begin(), {"--config", file});
    return parse(std::move(args), environment);
}

// The error text of a config that must be refused, with the path of the file replaced by
// "config.yaml" so tests can compare whole prefixes.
inline std::string yaml_error(const std::string& yaml) {
    TempDir dir;
    const auto file = dir.write("config.yaml", yaml);
    auto parsed = parse({"--config", file});
    INFO("yaml: ", yaml);
    CHECK(parsed.exit_code == 2);
    std::string err = parsed.err;
    for (auto at = err.find(file); at != std::string::npos; at = err.find(file)) err.replace(at, file.size(), "config.yaml");
    return err;
}

inline std::string env_error(const Environment& environment, std::vector<std::string> args = {}) {
    auto parsed = parse(std::move(args), environment);
    CHECK(parsed.exit_code == 2);
    return parsed.err;
}

}  // namespace cproxy::config::test

#define CHECK_CONTAINS(text, part)                                     \
    do {                                                               \
        const std::string text_ = (text);                              \
        INFO("text: ", text_);                                         \
        CHECK(text_.find(part) != std::string::npos);                  \
    } while (false)

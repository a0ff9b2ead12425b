#pragma once
// Helpers shared by the auth tests: a temporary directory, and htpasswd/openssl run as real
// processes, so the tests check against the hashes real tools produce rather than our own.
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace cproxy::auth::test {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "cproxy-auth-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    REQUIRE(out);
    out << content;
}

// Single-quoted for /bin/sh: the only character needing care inside is ' itself.
inline std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (const char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

struct CommandResult {
    int status = -1;
    std::string output;  // stdout only
};

inline CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE_MESSAGE(pipe != nullptr, "cannot run: " << command);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
    const int raw = ::pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return result;
}

// A missing tool FAILS the test (never a silent skip): the fix is one command away.
inline void require_tool(std::string_view tool, std::string_view package) {
    const bool found = std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) == 0;
    REQUIRE_MESSAGE(found, tool << " (Debian package " << package
                                << ") is not installed: run scripts/install-deps.sh --with-tests");
}

inline std::string first_line(std::string_view text) {
    return std::string(text.substr(0, text.find('\n')));
}

// `user:hash` as Debian's htpasswd writes it, e.g. flags "-B -C 5", "-m", "-s", "-2", "-5".
inline std::string htpasswd_line(std::string_view flags, std::string_view user, std::string_view password) {
    require_tool("htpasswd", "apache2-utils");
    const auto r = run("htpasswd -nb " + std::string(flags) + " " + shell_quote(user) + " " +
                       shell_quote(password) + " 2>/dev/null");
    REQUIRE_MESSAGE(r.status == 0, "htpasswd " << flags << " failed");
    return first_line(r.output);
}

// A hash from `openssl passwd <flags>`, e.g. "-apr1 -salt abcdefgh", "-5", "-6".
inline std::string openssl_passwd(std::string_view flags, std::string_view password) {
    require_tool("openssl", "openssl");
    const auto r = run("openssl passwd " + std::string(flags) + " " + shell_quote(password) + " 2>/dev/null");
    REQUIRE_MESSAGE(r.status == 0, "openssl passwd " << flags << " failed");
    return first_line(r.output);
}

inline std::string base64(std::string_view raw) {
    std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

inline std::string basic(std::string_view user_colon_password) { return "Basic " + base64(user_colon_password); }

}  // namespace cproxy::auth::test

#include "conformance_proxy/auth/HtpasswdFile.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace cproxy::auth {
namespace {

[[noreturn]] void fail(std::string_view source, std::size_t line, std::string_view what) {
    throw HtpasswdError(std::string(source) + ":" + std::to_string(line) + ": " + std::string(what));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

HtpasswdFile HtpasswdFile::load(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(name.c_str(), "rb"), &std::fclose);
    if (!file)
        throw HtpasswdError("cannot open htpasswd file " + name + ": " + std::strerror(errno));
    std::string content;
    char buffer[8192];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) content.append(buffer, n);
    // fopen succeeds on a directory; the read is what fails (EISDIR).
    if (std::ferror(file.get()))
        throw HtpasswdError("cannot read htpasswd file " + name + ": " + std::strerror(errno));
    return parse(content, name);
}

HtpasswdFile HtpasswdFile::parse(std::string_view content, std::string_view source) {
    if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);  // editors' UTF-8 BOM

    HtpasswdFile table;
    std::map<std::string, std::size_t, std::less<>> first_seen;
    std::size_t line_no = 0;
    while (!content.empty()) {
        ++line_no;
        const auto eol = content.find('\n');
        const std::string_view line = trim(content.substr(0, eol));
        content.remove_prefix(eol == std::string_view::npos ? content.size() : eol + 1);
        if (line.empty() || line.front() == '#') continue;

        // Messages never quote the line: its hash part could be a plaintext password.
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) fail(source, line_no, "no ':' between user and hash");
        const std::string user(trim(line.substr(0, colon)));
        if (user.empty()) fail(source, line_no, "empty user name");
        if (auto seen = first_seen.find(user); seen != first_seen.end())
            fail(source, line_no,
                 "user already defined on line " + std::to_string(seen->second) +
                     " (a user may appear only once)");
        try {
            table.users_.emplace(user, PasswordHash(std::string(trim(line.substr(colon + 1)))));
        } catch (const std::invalid_argument& e) {
            fail(source, line_no,
                 std::string(e.what()) + "; supported formats: " + std::string(supported_hash_formats));
        }
        first_seen.emplace(user, line_no);
    }
    if (table.users_.empty()) throw HtpasswdError(std::string(source) + ": contains no users");

    // Unknown users are verified against the costliest entry so they take as long as real ones.
    const PasswordHash* costliest = nullptr;
    for (const auto& [user, hash] : table.users_)
        if (!costliest || hash.relative_cost() > costliest->relative_cost()) costliest = &hash;
    table.dummy_ = *costliest;
    return table;
}

const PasswordHash* HtpasswdFile::find(std::string_view user) const {
    const auto it = users_.find(user);
    return it == users_.end() ? nullptr : &it->second;
}

const PasswordHash& HtpasswdFile::dummy() const { return *dummy_; }

}  // namespace cproxy::auth

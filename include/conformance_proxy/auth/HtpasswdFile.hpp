#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "conformance_proxy/auth/PasswordHash.hpp"

namespace cproxy::auth {

// A start-up (or reload) error in an htpasswd file: the message names the file, the line
// and what is wrong, and never quotes a hash or password.
class HtpasswdError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An immutable user table read from an Apache htpasswd file: `user:hash` lines, `#` comments
// and blank lines skipped, CRLF tolerated. Every line must be in a supported format
// (see supported_hash_formats); a duplicate user is an error rather than a silent first-wins.
class HtpasswdFile {
public:
    static HtpasswdFile load(const std::filesystem::path& path);
    // `source` names the text in error messages (normally the file path).
    static HtpasswdFile parse(std::string_view content, std::string_view source);

    const PasswordHash* find(std::string_view user) const;
    std::size_t size() const { return users_.size(); }
    // The stored hash of the costliest entry: unknown users are verified against it.
    const PasswordHash& dummy() const;

private:
    std::map<std::string, PasswordHash, std::less<>> users_;
    std::optional<PasswordHash> dummy_;  // a copy, so the table stays safely copyable
};

}  // namespace cproxy::auth

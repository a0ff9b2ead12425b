#pragma once
#include <string>
#include <string_view>

namespace cproxy::auth {

// The htpasswd hash formats this proxy accepts. Everything else (plaintext, DES crypt,
// MD5-crypt `$1$`, yescrypt ...) is refused at load time rather than silently never matching.
enum class HashFormat {
    bcrypt,       // $2y$ / $2b$ / $2a$   via libcrypt (libxcrypt)
    sha256_crypt, // $5$                  via libcrypt
    sha512_crypt, // $6$                  via libcrypt
    apr1_md5,     // $apr1$               Apache's MD5 variant, over OpenSSL MD5
    sha1_base64,  // {SHA}                base64(SHA-1(password)), OpenSSL
};

// Human-readable list used in error messages.
inline constexpr std::string_view supported_hash_formats =
    "bcrypt ($2y$, $2b$, $2a$), SHA-crypt ($5$, $6$), apr1 MD5 ($apr1$), {SHA}";

std::string_view format_name(HashFormat format);

// A stored hash whose format and shape were checked when the htpasswd file was read.
class PasswordHash {
public:
    // Throws std::invalid_argument with a short description of what is wrong (never quoting
    // the text, which could be a plaintext password).
    explicit PasswordHash(std::string stored);

    HashFormat format() const { return format_; }
    const std::string& stored() const { return stored_; }

    // Rough relative cost of one verification, used to pick the dummy hash that unknown
    // users are verified against so they cost as much as the costliest real entry.
    double relative_cost() const;

    // Recomputes the hash of `password` with this hash's salt and settings and compares it
    // with the stored value in constant time (CRYPT_memcmp). Slow for bcrypt by design.
    bool verify(std::string_view password) const;

private:
    std::string stored_;
    HashFormat format_;
};

// Apache's apr1 MD5 crypt ($apr1$salt$hash) of `password` with `salt` (at most 8 chars are
// used). No Debian library exposes it, hence the one hand-assembled hash; exposed for tests.
std::string apr1_md5_crypt(std::string_view password, std::string_view salt);

}  // namespace cproxy::auth

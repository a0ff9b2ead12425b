#include "conformance_proxy/auth/PasswordHash.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace cproxy::auth {
namespace {

// The "./0-9A-Za-z" alphabet of crypt(3) outputs (bcrypt uses the same set, another order).
constexpr std::string_view crypt_alphabet =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool all_in(std::string_view s, std::string_view alphabet) {
    return s.find_first_not_of(alphabet) == std::string_view::npos;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

[[noreturn]] void bad(const char* what) { throw std::invalid_argument(what); }

// $2y$NN$ + 22 salt + 31 hash characters.
void check_bcrypt(std::string_view s) {
    if (s.size() != 60 || s[6] != '$' || !std::isdigit(static_cast<unsigned char>(s[4])) ||
        !std::isdigit(static_cast<unsigned char>(s[5])) || !all_in(s.substr(7), crypt_alphabet))
        bad("malformed bcrypt hash (expected $2y$NN$ followed by 53 characters)");
    const int cost = (s[4] - '0') * 10 + (s[5] - '0');
    if (cost < 4 || cost > 31) bad("bcrypt cost outside 04..31");
}

// $5$[rounds=N$]salt$hash, hash 43 (SHA-256) or 86 (SHA-512) characters.
void check_sha_crypt(std::string_view s, std::size_t hash_length) {
    std::string_view rest = s.substr(3);
    if (starts_with(rest, "rounds=")) {
        const auto end = rest.find('$');
        const auto digits = rest.substr(7, end == std::string_view::npos ? end : end - 7);
        if (end == std::string_view::npos || digits.empty() || !all_in(digits, "0123456789"))
            bad("malformed SHA-crypt rounds= parameter");
        // crypt(3) writes at most 999999999, so a longer number never verifies; refusing it
        // also keeps relative_cost()'s std::stod from throwing std::out_of_range past 1e308.
        if (digits.size() > 9) bad("SHA-crypt rounds= above 999999999");
        rest.remove_prefix(end + 1);
    }
    const auto dollar = rest.find('$');
    if (dollar == std::string_view::npos || dollar == 0 || dollar > 16)
        bad("malformed SHA-crypt hash (salt of 1 to 16 characters expected)");
    const auto hash = rest.substr(dollar + 1);
    if (hash.size() != hash_length || !all_in(hash, crypt_alphabet))
        bad("malformed SHA-crypt hash (wrong hash length or characters)");
}

// $apr1$salt$hash: salt 1..8 characters, hash 22.
void check_apr1(std::string_view s) {
    const std::string_view rest = s.substr(6);
    const auto dollar = rest.find('$');
    if (dollar == std::string_view::npos || dollar == 0 || dollar > 8 ||
        rest.size() - dollar - 1 != 22 || !all_in(rest.substr(dollar + 1), crypt_alphabet))
        bad("malformed apr1 hash (expected $apr1$<salt of 1-8>$<22 characters>)");
}

void check_sha1(std::string_view s) {
    const auto b64 = s.substr(5);
    if (b64.size() != 28 || b64.back() != '=' ||
        !all_in(b64.substr(0, 27), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
        bad("malformed {SHA} hash (expected 28 base64 characters)");
}

HashFormat detect(std::string_view s) {
    if (starts_with(s, "$2y$") || starts_with(s, "$2b$") || starts_with(s, "$2a$")) {
        check_bcrypt(s);
        return HashFormat::bcrypt;
    }
    if (starts_with(s, "$5$")) {
        check_sha_crypt(s, 43);
        return HashFormat::sha256_crypt;
    }
    if (starts_with(s, "$6$")) {
        check_sha_crypt(s, 86);
        return HashFormat::sha512_crypt;
    }
    if (starts_with(s, "$apr1$")) {
        check_apr1(s);
        return HashFormat::apr1_md5;
    }
    if (starts_with(s, "{SHA}")) {
        check_sha1(s);
        return HashFormat::sha1_base64;
    }
    if (s.empty()) bad("empty password hash");
    // Name the refused family without quoting the text: it might be a plaintext password.
    if (starts_with(s, "$1$")) bad("MD5-crypt ($1$) is not supported");
    if (starts_with(s, "$2x$")) bad("bcrypt $2x$ (the buggy pre-2011 variant) is not supported");
    if (s.front() == '$') bad("unknown crypt scheme");
    bad("not a supported hash (plaintext and DES crypt are refused)");
}

// One EVP_MD_CTX for the whole apr1 computation; freed on every path.
struct MdCtx {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    void init() {
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1)
            throw std::runtime_error("OpenSSL MD5 is unavailable");
    }
    void update(const void* data, std::size_t n) { EVP_DigestUpdate(ctx.get(), data, n); }
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<unsigned char, 16> final() {
        std::array<unsigned char, 16> out{};
        EVP_DigestFinal_ex(ctx.get(), out.data(), nullptr);
        return out;
    }
};

bool equal_constant_time(std::string_view computed, std::string_view stored) {
    // The stored length is no secret (the format fixes it); the contents are compared in
    // constant time.
    return computed.size() == stored.size() &&
           CRYPTO_memcmp(computed.data(), stored.data(), stored.size()) == 0;
}

// 32 KiB of crypt(3) scratch per thread: crypt_rn is reentrant only with its own buffer.
crypt_data& crypt_scratch() {
    thread_local auto data = std::make_unique<crypt_data>();
    return *data;
}

}  // namespace

std::string_view format_name(HashFormat format) {
    switch (format) {
        case HashFormat::bcrypt: return "bcrypt";
        case HashFormat::sha256_crypt: return "SHA-256-crypt";
        case HashFormat::sha512_crypt: return "SHA-512-crypt";
        case HashFormat::apr1_md5: return "apr1-MD5";
        case HashFormat::sha1_base64: return "{SHA}";
    }
    return "?";
}

PasswordHash::PasswordHash(std::string stored) : stored_(std::move(stored)), format_(detect(stored_)) {}

double PasswordHash::relative_cost() const {
    // Rough microseconds on a current x86 core; only the order matters.
    auto rounds = [&]() -> double {
        // Only right after "$5$"/"$6$": a salt may hold "rounds=" too (then stod threw).
        return stored_.compare(3, 7, "rounds=") != 0 ? 5000.0 : std::stod(stored_.substr(10));
    };
    switch (format_) {
        case HashFormat::bcrypt: return 80.0 * std::pow(2.0, std::stoi(stored_.substr(4, 2)));
        case HashFormat::sha256_crypt: return 0.4 * rounds();
        case HashFormat::sha512_crypt: return 0.5 * rounds();
        case HashFormat::apr1_md5: return 300.0;
        case HashFormat::sha1_base64: return 1.0;
    }
    return 0.0;
}

bool PasswordHash::verify(std::string_view password) const {
    switch (format_) {
        case HashFormat::bcrypt:
        case HashFormat::sha256_crypt:
        case HashFormat::sha512_crypt: {
            // crypt takes a C string: an embedded NUL would silently truncate the password.
            if (password.find('\0') != std::string_view::npos) return false;
            std::string phrase(password);
            crypt_data& data = crypt_scratch();
            const char* out = crypt_rn(phrase.c_str(), stored_.c_str(), &data, sizeof data);
            OPENSSL_cleanse(phrase.data(), phrase.size());
            return out != nullptr && out[0] != '*' && equal_constant_time(out, stored_);
        }
        case HashFormat::apr1_md5: {
            const std::string_view salt = std::string_view(stored_).substr(6, stored_.find('$', 6) - 6);
            return equal_constant_time(apr1_md5_crypt(password, salt), stored_);
        }
        case HashFormat::sha1_base64: {
            std::array<unsigned char, 20> digest{};
            unsigned int n = 0;
            if (EVP_Digest(password.data(), password.size(), digest.data(), &n, EVP_sha1(), nullptr) != 1)
                return false;
            std::array<char, 29> b64{};  // 28 characters + NUL
            EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), digest.data(), 20);
            return equal_constant_time(std::string("{SHA}") + b64.data(), stored_);
        }
    }
    return false;
}

// Poul-Henning Kamp's MD5-crypt with Apache's "$apr1$" magic, as in apr_md5_encode().
std::string apr1_md5_crypt(std::string_view password, std::string_view salt) {
    constexpr std::string_view magic = "$apr1$";
    salt = salt.substr(0, std::min(salt.find('$'), std::size_t{8}));

    MdCtx alt_ctx;
    alt_ctx.init();
    alt_ctx.update(password);
    alt_ctx.update(salt);
    alt_ctx.update(password);
    auto digest = alt_ctx.final();

    MdCtx ctx;
    ctx.init();
    ctx.update(password);
    ctx.update(magic);
    ctx.update(salt);
    for (auto left = password.size(); left > 0; left -= std::min<std::size_t>(left, 16))
        ctx.update(digest.data(), std::min<std::size_t>(left, 16));
    // The original's quirk: a NUL byte for set bits, the first password byte for clear ones.
    for (auto i = password.size(); i != 0; i >>= 1) {
        if (i & 1) ctx.update("", 1);
        else ctx.update(password.data(), 1);
    }
    digest = ctx.final();

    // 1000 rounds to slow brute force down (by 1990s standards).
    for (int i = 0; i < 1000; ++i) {
        ctx.init();
        if (i & 1) ctx.update(password); else ctx.update(digest.data(), 16);
        if (i % 3) ctx.update(salt);
        if (i % 7) ctx.update(password);
        if (i & 1) ctx.update(digest.data(), 16); else ctx.update(password);
        digest = ctx.final();
    }

    std::string out = std::string(magic) + std::string(salt) + "$";
    auto to64 = [&](unsigned long v, int n) {
        while (n-- > 0) {
            out += crypt_alphabet[v & 0x3f];
            v >>= 6;
        }
    };
    auto group = [&](int a, int b, int c) {
        to64((static_cast<unsigned long>(digest[a]) << 16) | (static_cast<unsigned long>(digest[b]) << 8) |
                 digest[c], 4);
    };
    group(0, 6, 12);
    group(1, 7, 13);
    group(2, 8, 14);
    group(3, 9, 15);
    group(4, 10, 5);
    to64(digest[11], 2);
    return out;
}

}  // namespace cproxy::auth

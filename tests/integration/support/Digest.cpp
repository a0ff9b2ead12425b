#include "integration/support/Digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace it {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) throw std::runtime_error("EVP sha256 init failed");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }
Sha256::Sha256(Sha256&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}
Sha256& Sha256::operator=(Sha256&& other) noexcept {
    std::swap(ctx_, other.ctx_);
    return *this;
}

void Sha256::update(std::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }

std::string Sha256::hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, digest, &length);
    EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.hex_digest();
}

std::string websocket_accept(std::string_view key) {
    const std::string input = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr);
    unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
    return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n));
}

void PatternBytes::fill(char* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (left_ == 0) {
            state_ ^= state_ >> 12;
            state_ ^= state_ << 25;
            state_ ^= state_ >> 27;
            word_ = state_ * 0x2545F4914F6CDD1DULL;
            left_ = 8;
        }
        out[i] = static_cast<char>(word_ & 0xff);
        word_ >>= 8;
        --left_;
    }
}

std::string pattern_sha256(std::uint64_t seed, std::uint64_t size) {
    PatternBytes pattern(seed);
    Sha256 sha;
    std::vector<char> block(256 * 1024);
    while (size > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, block.size()));
        pattern.fill(block.data(), n);
        sha.update({block.data(), n});
        size -= n;
    }
    return sha.hex_digest();
}

}  // namespace it

#pragma once
// SHA-256 over a stream of pieces (OpenSSL EVP), and a fast deterministic byte pattern, so
// 100 MB bodies are generated on the fly and compared by hash instead of held in memory.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace it {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    void update(std::string_view bytes);
    std::string hex_digest();  // ends the stream; a second call starts over from empty

private:
    evp_md_ctx_st* ctx_ = nullptr;
};

std::string sha256_hex(std::string_view bytes);
// Standard base64 of SHA-1(key + RFC 6455 GUID): the Sec-WebSocket-Accept value.
std::string websocket_accept(std::string_view key);

// xorshift64* bytes: the same seed gives the same stream whatever the piece sizes.
class PatternBytes {
public:
    explicit PatternBytes(std::uint64_t seed) : state_(seed | 1) {}
    void fill(char* out, std::size_t n);

private:
    std::uint64_t state_;
    std::uint64_t word_ = 0;
    unsigned left_ = 0;  // bytes of word_ not yet handed out
};

// SHA-256 of the first `size` bytes of PatternBytes(seed).
std::string pattern_sha256(std::uint64_t seed, std::uint64_t size);

}  // namespace it

#include "conformance_proxy/auth/VerificationCache.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace cproxy::auth {
namespace {

// Length-prefixed so ("ab", "c") and ("a", "bc") cannot collide.
void append_field(std::string& out, std::string_view field) {
    const auto n = static_cast<std::uint64_t>(field.size());
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
    out.append(field);
}

}  // namespace

std::size_t VerificationCache::KeyHash::operator()(const Key& k) const noexcept {
    std::size_t h;  // the key is already a uniformly distributed MAC
    std::memcpy(&h, k.data(), sizeof h);
    return h;
}

VerificationCache::VerificationCache(std::size_t capacity, std::chrono::seconds ttl)
    : capacity_(capacity), ttl_(ttl) {
    if (RAND_bytes(hmac_key_.data(), static_cast<int>(hmac_key_.size())) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed: no key for the verification cache");
}

VerificationCache::Key VerificationCache::key(std::string_view user, std::string_view password,
                                              std::string_view stored_hash) const {
    std::string message;
    message.reserve(24 + user.size() + password.size() + stored_hash.size());
    append_field(message, user);
    append_field(message, password);
    append_field(message, stored_hash);
    Key out{};
    unsigned int len = 0;
    const bool ok = HMAC(EVP_sha256(), hmac_key_.data(), static_cast<int>(hmac_key_.size()),
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         out.data(), &len) != nullptr;
    OPENSSL_cleanse(message.data(), message.size());
    if (!ok || len != out.size()) throw std::runtime_error("OpenSSL HMAC-SHA-256 failed");
    return out;
}

bool VerificationCache::contains(const Key& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) return false;
    if (it->second->expires <= now) {
        lru_.erase(it->second);
        index_.erase(it);
        return false;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return true;
}

void VerificationCache::insert(const Key& key, Clock::time_point now) {
    if (capacity_ == 0 || ttl_.count() <= 0) return;
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) {
        it->second->expires = now + ttl_;
        lru_.splice(lru_.begin(), lru_, it->second);
        return;
    }
    while (lru_.size() >= capacity_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
    lru_.push_front(Entry{key, now + ttl_});
    index_.emplace(key, lru_.begin());
}

void VerificationCache::clear() {
    std::lock_guard lock(mutex_);
    index_.clear();
    lru_.clear();
}

std::size_t VerificationCache::size() const {
    std::lock_guard lock(mutex_);
    return lru_.size();
}

}  // namespace cproxy::auth

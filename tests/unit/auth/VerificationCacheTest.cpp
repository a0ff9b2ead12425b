#include "conformance_proxy/auth/VerificationCache.hpp"

#include <doctest/doctest.h>

using namespace cproxy::auth;
using namespace std::chrono_literals;

namespace {
const auto t0 = VerificationCache::Clock::time_point{} + 1000h;
}

TEST_CASE("VerificationCache: a stored key is found until its ttl passes") {
    VerificationCache cache(10, 300s);
    const auto k = cache.key("alice", "pw", "$hash");
    CHECK_FALSE(cache.contains(k, t0));
    cache.insert(k, t0);
    CHECK(cache.contains(k, t0));
    CHECK(cache.contains(k, t0 + 299s));
    // Hits do not extend the expiry: a password changed elsewhere is re-checked within the ttl.
    CHECK_FALSE(cache.contains(k, t0 + 300s));
    CHECK(cache.size() == 0);
}

TEST_CASE("VerificationCache: keys separate user, password and stored hash") {
    VerificationCache cache(10, 300s);
    const auto k = cache.key("alice", "pw", "$hash");
    CHECK(k == cache.key("alice", "pw", "$hash"));
    CHECK(k != cache.key("alice", "pw", "$hash2"));  // reload changed the hash
    CHECK(k != cache.key("alice", "pW", "$hash"));
    CHECK(k != cache.key("alicE", "pw", "$hash"));
    CHECK(cache.key("ab", "c", "h") != cache.key("a", "bc", "h"));  // length-prefixed fields
    // Keyed with a per-process random key: another cache derives other keys.
    VerificationCache other(10, 300s);
    CHECK(other.key("alice", "pw", "$hash") != k);
}

TEST_CASE("VerificationCache: bounded, least recently used entry evicted") {
    VerificationCache cache(2, 300s);
    const auto a = cache.key("a", "pw", "h"), b = cache.key("b", "pw", "h"), c = cache.key("c", "pw", "h");
    cache.insert(a, t0);
    cache.insert(b, t0);
    CHECK(cache.contains(a, t0));  // a is now the most recent, b the least
    cache.insert(c, t0);
    CHECK(cache.size() == 2);
    CHECK(cache.contains(a, t0));
    CHECK_FALSE(cache.contains(b, t0));
    CHECK(cache.contains(c, t0));
    cache.clear();
    CHECK(cache.size() == 0);
}

TEST_CASE("VerificationCache: capacity 0 or ttl 0 disables it") {
    VerificationCache none(0, 300s), instant(10, 0s);
    const auto k = none.key("a", "pw", "h");
    none.insert(k, t0);
    CHECK_FALSE(none.contains(k, t0));
    const auto k2 = instant.key("a", "pw", "h");
    instant.insert(k2, t0);
    CHECK_FALSE(instant.contains(k2, t0));
}

#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "conformance_proxy/auth/FailureThrottle.hpp"
#include "conformance_proxy/auth/HtpasswdFile.hpp"
#include "conformance_proxy/auth/VerificationCache.hpp"

namespace cproxy::auth {

struct ProxyAuthOptions {
    std::string realm = "conformance-proxy";
    std::size_t cache_capacity = 10'000;
    std::chrono::seconds cache_ttl{300};
    ThrottleOptions throttle{};
};

// The outcome of one check, and what the session should answer:
//   allowed   -> forward (strip Proxy-Authorization before forwarding: it is hop-by-hop for us)
//   missing   -> 407 with Proxy-Authenticate: challenge()
//   malformed -> 400 naming `reason` (log it, never the field value)
//   denied    -> 407 with the challenge (unknown user and wrong password look alike)
//   throttled -> 429 with Retry-After: retry_after.count()
struct AuthDecision {
    enum class Kind { allowed, missing, malformed, denied, throttled };
    Kind kind = Kind::missing;
    std::string user;                      // allowed only: the user-id, safe to log
    std::string_view reason;               // malformed only: static text, no credentials
    std::chrono::seconds retry_after{0};   // throttled only: >= 1

    static AuthDecision allowed(std::string user);
    static AuthDecision missing();
    static AuthDecision malformed(std::string_view reason);
    static AuthDecision denied();
    static AuthDecision throttled(std::chrono::seconds retry_after);
};

std::string_view to_string(AuthDecision::Kind kind);

// Basic proxy authentication against an htpasswd file: parse, verify (cached), throttle.
//
// Thread-safe: any number of threads may call check() concurrently with each other and with
// reload(). The user table is immutable; reload() swaps in a new one once it is fully read.
//
// check() may run a bcrypt/SHA-crypt verification that takes milliseconds (cache misses
// only): callers may prefer to run it off the I/O thread (e.g. asio::post to a small
// thread pool) when the htpasswd file uses bcrypt with a high cost.
class ProxyAuthenticator {
public:
    using Clock = std::chrono::steady_clock;

    // Loads the file; throws HtpasswdError (file/line/what) or std::invalid_argument (bad realm).
    ProxyAuthenticator(std::filesystem::path htpasswd_path, ProxyAuthOptions options = {});

    // proxy_authorization: the Proxy-Authorization field value, std::nullopt when absent.
    // client_address: the peer's IP address WITHOUT the port (the throttle key; with the port
    // every new connection would start a fresh failure count).
    AuthDecision check(std::optional<std::string_view> proxy_authorization,
                       std::string_view client_address, Clock::time_point now);
    AuthDecision check(std::optional<std::string_view> proxy_authorization,
                       std::string_view client_address) {
        return check(proxy_authorization, client_address, Clock::now());
    }

    // Re-reads the file (SIGHUP). On success the new table replaces the old one atomically;
    // on failure the old users stay in force and HtpasswdError is thrown for the caller to log.
    void reload();

    // The Proxy-Authenticate value for 407 responses: Basic realm="...", charset="UTF-8".
    const std::string& challenge() const { return challenge_; }
    const std::filesystem::path& path() const { return path_; }
    std::size_t user_count() const;
    // Real hash computations so far (cache hits and throttled requests do not count): lets
    // tests and metrics see the cache working.
    std::uint64_t hash_verifications() const { return verifications_.load(); }

private:
    std::filesystem::path path_;
    ProxyAuthOptions options_;
    std::string challenge_;
    std::shared_ptr<const HtpasswdFile> current_users() const;

    // The immutable table is swapped under a shared_mutex rather than via
    // std::atomic<std::shared_ptr>, whose libstdc++ 12 implementation ThreadSanitizer cannot
    // follow; readers hold the lock only to copy the pointer.
    mutable std::shared_mutex users_mutex_;
    std::shared_ptr<const HtpasswdFile> users_;
    std::mutex reload_mutex_;  // one reload at a time; checks never wait for file I/O
    VerificationCache cache_;
    FailureThrottle throttle_;
    std::atomic<std::uint64_t> verifications_{0};
};

}  // namespace cproxy::auth

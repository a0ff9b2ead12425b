#include "conformance_proxy/auth/ProxyAuthenticator.hpp"

#include <openssl/crypto.h>

#include "conformance_proxy/auth/BasicChallenge.hpp"
#include "conformance_proxy/auth/BasicCredentials.hpp"

namespace cproxy::auth {
namespace {

// Wipes the decoded password when check() returns, whichever way it returns.
struct PasswordWipe {
    std::string& secret;
    ~PasswordWipe() { OPENSSL_cleanse(secret.data(), secret.size()); }
};

}  // namespace

AuthDecision AuthDecision::allowed(std::string user) {
    AuthDecision d;
    d.kind = Kind::allowed;
    d.user = std::move(user);
    return d;
}
AuthDecision AuthDecision::missing() { return AuthDecision{}; }
AuthDecision AuthDecision::malformed(std::string_view reason) {
    AuthDecision d;
    d.kind = Kind::malformed;
    d.reason = reason;
    return d;
}
AuthDecision AuthDecision::denied() {
    AuthDecision d;
    d.kind = Kind::denied;
    return d;
}
AuthDecision AuthDecision::throttled(std::chrono::seconds retry_after) {
    AuthDecision d;
    d.kind = Kind::throttled;
    d.retry_after = retry_after;
    return d;
}

std::string_view to_string(AuthDecision::Kind kind) {
    switch (kind) {
        case AuthDecision::Kind::allowed: return "allowed";
        case AuthDecision::Kind::missing: return "missing";
        case AuthDecision::Kind::malformed: return "malformed";
        case AuthDecision::Kind::denied: return "denied";
        case AuthDecision::Kind::throttled: return "throttled";
    }
    return "?";
}

ProxyAuthenticator::ProxyAuthenticator(std::filesystem::path htpasswd_path, ProxyAuthOptions options)
    : path_(std::move(htpasswd_path)),
      options_(std::move(options)),
      challenge_(basic_challenge(options_.realm)),
      users_(std::make_shared<const HtpasswdFile>(HtpasswdFile::load(path_))),
      cache_(options_.cache_capacity, options_.cache_ttl),
      throttle_(options_.throttle) {}

AuthDecision ProxyAuthenticator::check(std::optional<std::string_view> proxy_authorization,
                                       std::string_view client_address, Clock::time_point now) {
    // Checked before anything else: a throttled address gets no verification at all, not even
    // a cache lookup, or it could keep guessing and read the answer from the status code.
    if (auto wait = throttle_.retry_after(client_address, now)) return AuthDecision::throttled(*wait);

    auto parsed = parse_basic_credentials(proxy_authorization);
    PasswordWipe wipe{parsed.credentials.password};
    // Neither outcome is a password guess, so neither counts towards the throttle.
    if (parsed.kind == CredentialParseResult::Kind::missing) return AuthDecision::missing();
    if (parsed.kind == CredentialParseResult::Kind::malformed)
        return AuthDecision::malformed(parsed.reason);

    const auto& [user, password] = parsed.credentials;
    const std::shared_ptr<const HtpasswdFile> users = current_users();
    const PasswordHash* hash = users->find(user);
    // An unknown user costs a real verification too, so timing does not tell who exists.
    const PasswordHash& against = hash ? *hash : users->dummy();
    const auto key = cache_.key(user, password, against.stored());
    if (hash && cache_.contains(key, now)) return AuthDecision::allowed(user);

    ++verifications_;
    const bool match = against.verify(password);
    if (hash && match) {
        cache_.insert(key, now);
        return AuthDecision::allowed(user);
    }
    throttle_.record_failure(client_address, now);
    return AuthDecision::denied();
}

void ProxyAuthenticator::reload() {
    std::lock_guard lock(reload_mutex_);
    // Parsed completely before the swap: a broken file throws here and the old table stays.
    auto fresh = std::make_shared<const HtpasswdFile>(HtpasswdFile::load(path_));
    std::unique_lock lock_users(users_mutex_);
    users_.swap(fresh);
    // The cache needs no flush: its keys include the stored hash, so a changed hash misses.
}

std::shared_ptr<const HtpasswdFile> ProxyAuthenticator::current_users() const {
    std::shared_lock lock(users_mutex_);
    return users_;
}

std::size_t ProxyAuthenticator::user_count() const { return current_users()->size(); }

}  // namespace cproxy::auth

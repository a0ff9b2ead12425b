#include "conformance_proxy/auth/ProxyAuthenticator.hpp"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "unit/auth/AuthTestSupport.hpp"

using namespace cproxy::auth;
using namespace cproxy::auth::test;
using namespace std::chrono_literals;
using Kind = AuthDecision::Kind;

namespace {

const auto t0 = ProxyAuthenticator::Clock::time_point{} + 1000h;

// alice: bcrypt, bob: apr1, carol: {SHA}, dora: SHA-512-crypt.
struct Fixture {
    TempDir dir;
    std::filesystem::path path = dir / "htpasswd";
    Fixture() {
        write_file(path, "# test users\n" + htpasswd_line("-B -C 5", "alice", "alice-pw") + "\n" +
                             htpasswd_line("-m", "bob", "bob:pw") + "\n" + htpasswd_line("-s", "carol", "carol-pw") +
                             "\n" + htpasswd_line("-5", "dora", "dora-pw") + "\n");
    }
};

std::string reload_error(ProxyAuthenticator& auth) {
    try {
        auth.reload();
    } catch (const HtpasswdError& e) {
        return e.what();
    }
    return "(reloaded)";
}

}  // namespace

TEST_CASE("ProxyAuthenticator: the five outcomes") {
    Fixture f;
    ProxyAuthenticator auth(f.path);
    CHECK(auth.user_count() == 4);

    auto d = auth.check(basic("alice:alice-pw"), "10.0.0.1", t0);
    CHECK(d.kind == Kind::allowed);
    CHECK(d.user == "alice");
    CHECK(auth.check(basic("bob:bob:pw"), "10.0.0.1", t0).user == "bob");
    CHECK(auth.check(basic("carol:carol-pw"), "10.0.0.1", t0).kind == Kind::allowed);
    CHECK(auth.check(basic("dora:dora-pw"), "10.0.0.1", t0).kind == Kind::allowed);

    CHECK(auth.check(std::nullopt, "10.0.0.1", t0).kind == Kind::missing);
    d = auth.check("Bearer token", "10.0.0.1", t0);
    CHECK(d.kind == Kind::malformed);
    CHECK(d.reason == "scheme is not Basic");
    d = auth.check(basic("alice:wrong"), "10.0.0.1", t0);
    CHECK(d.kind == Kind::denied);
    CHECK(d.user.empty());  // a denied user-id may be a mistyped password: not handed out
    CHECK(auth.check(basic("mallory:alice-pw"), "10.0.0.1", t0).kind == Kind::denied);
    CHECK(to_string(Kind::throttled) == "throttled");
}

TEST_CASE("ProxyAuthenticator: an unknown user costs a real verification too") {
    Fixture f;
    ProxyAuthenticator auth(f.path);
    const auto before = auth.hash_verifications();
    CHECK(auth.check(basic("nobody:pw"), "10.0.0.1", t0).kind == Kind::denied);
    CHECK(auth.hash_verifications() == before + 1);
    // Even the costliest user's own password does not let an unknown user in.
    CHECK(auth.check(basic("nobody:alice-pw"), "10.0.0.1", t0).kind == Kind::denied);
}

TEST_CASE("ProxyAuthenticator: a cache hit avoids re-verification until the ttl passes") {
    Fixture f;
    ProxyAuthenticator auth(f.path, {.cache_ttl = 300s});
    CHECK(auth.check(basic("alice:alice-pw"), "10.0.0.1", t0).kind == Kind::allowed);
    const auto after_first = auth.hash_verifications();
    CHECK(after_first == 1);
    for (int i = 0; i < 5; ++i)
        CHECK(auth.check(basic("alice:alice-pw"), "10.0.0.2", t0 + 1s * i).kind == Kind::allowed);
    CHECK(auth.hash_verifications() == after_first);

    // Failures are never cached: each wrong password is verified again.
    auth.check(basic("alice:wrong"), "10.0.0.1", t0);
    auth.check(basic("alice:wrong"), "10.0.0.1", t0);
    CHECK(auth.hash_verifications() == after_first + 2);

    CHECK(auth.check(basic("alice:alice-pw"), "10.0.0.1", t0 + 301s).kind == Kind::allowed);
    CHECK(auth.hash_verifications() == after_first + 3);
}

TEST_CASE("ProxyAuthenticator: throttles an address after N failures, then lifts") {
    Fixture f;
    ProxyAuthenticator auth(f.path, {.throttle = {.max_failures = 3, .window = 60s, .period = 60s}});
    for (int i = 0; i < 3; ++i) CHECK(auth.check(basic("carol:guess"), "192.0.2.7", t0).kind == Kind::denied);
    const auto verifications = auth.hash_verifications();

    // Throttled even with the right password (else the status code would be a guessing oracle),
    // and without spending a verification.
    auto d = auth.check(basic("carol:carol-pw"), "192.0.2.7", t0 + 10s);
    CHECK(d.kind == Kind::throttled);
    CHECK(d.retry_after == 50s);
    CHECK(auth.check(std::nullopt, "192.0.2.7", t0 + 10s).kind == Kind::throttled);
    CHECK(auth.hash_verifications() == verifications);

    CHECK(auth.check(basic("carol:carol-pw"), "192.0.2.8", t0 + 10s).kind == Kind::allowed);  // other address
    CHECK(auth.check(basic("carol:carol-pw"), "192.0.2.7", t0 + 60s).kind == Kind::allowed);  // lifted
}

TEST_CASE("ProxyAuthenticator: missing and malformed credentials do not count as failures") {
    Fixture f;
    ProxyAuthenticator auth(f.path, {.throttle = {.max_failures = 2}});
    for (int i = 0; i < 10; ++i) {
        CHECK(auth.check(std::nullopt, "192.0.2.9", t0).kind == Kind::missing);
        CHECK(auth.check("Basic !!!!", "192.0.2.9", t0).kind == Kind::malformed);
    }
    CHECK(auth.check(basic("carol:carol-pw"), "192.0.2.9", t0).kind == Kind::allowed);
}

TEST_CASE("ProxyAuthenticator: reload picks up changes; a broken file keeps the old users") {
    Fixture f;
    ProxyAuthenticator auth(f.path);
    CHECK(auth.check(basic("alice:alice-pw"), "10.0.0.1", t0).kind == Kind::allowed);  // now cached
    CHECK(auth.check(basic("erin:erin-pw"), "10.0.0.1", t0).kind == Kind::denied);

    // erin added, alice's password changed.
    write_file(f.path, htpasswd_line("-B -C 5", "alice", "new-pw") + "\n" + htpasswd_line("-s", "erin", "erin-pw") + "\n");
    auth.reload();
    CHECK(auth.user_count() == 2);
    CHECK(auth.check(basic("erin:erin-pw"), "10.0.0.2", t0).kind == Kind::allowed);
    CHECK(auth.check(basic("alice:alice-pw"), "10.0.0.2", t0).kind == Kind::denied);  // cache keyed by hash
    CHECK(auth.check(basic("alice:new-pw"), "10.0.0.2", t0).kind == Kind::allowed);
    CHECK(auth.check(basic("carol:carol-pw"), "10.0.0.2", t0).kind == Kind::denied);  // removed

    write_file(f.path, htpasswd_line("-s", "frank", "frank-pw") + "\nfrank2:plaintext-secret\n");
    const auto error = reload_error(auth);
    CHECK(error.find(f.path.string() + ":2: ") == 0);
    CHECK(error.find("plaintext-secret") == std::string::npos);
    CHECK(auth.user_count() == 2);
    CHECK(auth.check(basic("erin:erin-pw"), "10.0.0.3", t0).kind == Kind::allowed);
    CHECK(auth.check(basic("frank:frank-pw"), "10.0.0.3", t0).kind == Kind::denied);

    std::filesystem::remove(f.path);
    CHECK(reload_error(auth).find("cannot open htpasswd file") == 0);
    CHECK(auth.check(basic("erin:erin-pw"), "10.0.0.3", t0).kind == Kind::allowed);
}

TEST_CASE("ProxyAuthenticator: start-up errors") {
    Fixture f;
    CHECK_THROWS_AS(ProxyAuthenticator(f.dir / "missing"), HtpasswdError);
    CHECK_THROWS_AS(ProxyAuthenticator(f.path, {.realm = "bad\nrealm"}), std::invalid_argument);
    ProxyAuthenticator auth(f.path, {.realm = "Corp \"proxy\""});
    CHECK(auth.challenge() == R"(Basic realm="Corp \"proxy\"", charset="UTF-8")");
    CHECK(auth.path() == f.path);
}

TEST_CASE("ProxyAuthenticator: concurrent checks and reloads stay consistent") {
    Fixture f;
    ProxyAuthenticator auth(f.path, {.throttle = {.max_failures = 0}});
    struct Case {
        std::string header;
        Kind expected;
    };
    const std::vector<Case> cases = {
        {basic("alice:alice-pw"), Kind::allowed}, {basic("alice:nope"), Kind::denied},
        {basic("bob:bob:pw"), Kind::allowed},     {basic("carol:carol-pw"), Kind::allowed},
        {basic("dora:dora-pw"), Kind::allowed},   {basic("ghost:pw"), Kind::denied},
        {"Basic ###", Kind::malformed},
    };
    std::atomic<int> wrong{0}, done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                const auto& c = cases[static_cast<std::size_t>(t + i) % cases.size()];
                const auto d = auth.check(c.header, "10.1.0." + std::to_string(t), t0 + 1s * i);
                if (d.kind != c.expected) ++wrong;
                ++done;
            }
        });
    }
    // The file content does not change, so reloads must be invisible to the checks.
    threads.emplace_back([&] {
        for (int i = 0; i < 20; ++i) auth.reload();
    });
    for (auto& thread : threads) thread.join();
    CHECK(done == 240);
    CHECK(wrong == 0);
}

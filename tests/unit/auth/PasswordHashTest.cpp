#include "conformance_proxy/auth/PasswordHash.hpp"

#include <stdexcept>

#include "unit/auth/AuthTestSupport.hpp"

using namespace cproxy::auth;
using namespace cproxy::auth::test;

namespace {

std::string refusal(const std::string& stored) {
    try {
        PasswordHash hash(stored);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("apr1: matches `openssl passwd -apr1` for short, long, empty and UTF-8 passwords") {
    for (const std::string_view password : {"secret", "", "x", "0123456789abcdef", "0123456789abcdef0",
                                       "a much longer passphrase, forty-two chars", "p\xC3\xA4ss:w\xC3\xB6rd"}) {
        for (const std::string_view salt : {"abcdefgh", "z", "./09AZaz"}) {
            CAPTURE(password);
            CAPTURE(salt);
            CHECK(apr1_md5_crypt(password, salt) == openssl_passwd("-apr1 -salt " + std::string(salt), password));
        }
    }
}

TEST_CASE("apr1: salt is cut at 8 characters and at '$', as Apache does") {
    CHECK(apr1_md5_crypt("pw", "abcdefghijk") == apr1_md5_crypt("pw", "abcdefgh"));
    CHECK(apr1_md5_crypt("pw", "abc$rest") == apr1_md5_crypt("pw", "abc"));
}

TEST_CASE("apr1: verifies hashes written by `htpasswd -m`") {
    const auto line = htpasswd_line("-m", "u", "correct horse");
    const PasswordHash hash(line.substr(2));
    CHECK(hash.format() == HashFormat::apr1_md5);
    CHECK(hash.verify("correct horse"));
    CHECK_FALSE(hash.verify("correct hors"));
    CHECK_FALSE(hash.verify("correct horse "));
}

TEST_CASE("PasswordHash: formats are recognised by prefix and shape") {
    CHECK(PasswordHash(htpasswd_line("-B -C 4", "u", "pw").substr(2)).format() == HashFormat::bcrypt);
    CHECK(PasswordHash(htpasswd_line("-s", "u", "pw").substr(2)).format() == HashFormat::sha1_base64);
    CHECK(PasswordHash(openssl_passwd("-5", "pw")).format() == HashFormat::sha256_crypt);
    CHECK(PasswordHash(openssl_passwd("-6", "pw")).format() == HashFormat::sha512_crypt);
}

TEST_CASE("PasswordHash: unsupported and malformed hashes are refused without quoting them") {
    CHECK(refusal("hunter2") == "not a supported hash (plaintext and DES crypt are refused)");
    CHECK(refusal(openssl_passwd("-1", "pw")) == "MD5-crypt ($1$) is not supported");
    CHECK(refusal("$y$j9T$abc$def") == "unknown crypt scheme");
    CHECK(refusal("$2x$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a").find("$2x$") !=
          std::string::npos);
    CHECK(refusal("").find("empty") != std::string::npos);
    // Right prefix, wrong shape: caught at load time, not at the first login.
    CHECK(refusal("$2y$05$short").find("malformed bcrypt") == 0);
    CHECK(refusal("$2y$99$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a").find("cost") != std::string::npos);
    CHECK(refusal("$5$saltsalt$tooshort").find("malformed SHA-crypt") == 0);
    CHECK(refusal("$6$rounds=x$salt$" + std::string(86, 'a')).find("rounds=") != std::string::npos);
    CHECK(refusal("$apr1$abcdefghij$h9FWgUz3n9YxylKLlR5SQ/").find("malformed apr1") == 0);
    CHECK(refusal("{SHA}notbase64").find("malformed {SHA}") == 0);
    CHECK(refusal("hunter2").find("hunter2") == std::string::npos);
}

TEST_CASE("PasswordHash: the costliest format wins the dummy ranking") {
    const PasswordHash bcrypt5(htpasswd_line("-B -C 5", "u", "pw").substr(2));
    const PasswordHash bcrypt6(htpasswd_line("-B -C 6", "u", "pw").substr(2));
    const PasswordHash sha512(openssl_passwd("-6", "pw"));
    const PasswordHash sha1(htpasswd_line("-s", "u", "pw").substr(2));
    const PasswordHash apr1(htpasswd_line("-m", "u", "pw").substr(2));
    CHECK(bcrypt6.relative_cost() > bcrypt5.relative_cost());
    CHECK(bcrypt5.relative_cost() > sha512.relative_cost());
    CHECK(sha512.relative_cost() > apr1.relative_cost());
    CHECK(apr1.relative_cost() > sha1.relative_cost());
}

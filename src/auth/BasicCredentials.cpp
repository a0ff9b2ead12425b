#include "conformance_proxy/auth/BasicCredentials.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

#include "conformance_proxy/http/HttpGrammar.hpp"

namespace cproxy::auth {
namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

bool has_control_character(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

CredentialParseResult malformed(std::string_view reason) {
    CredentialParseResult r;
    r.kind = CredentialParseResult::Kind::malformed;
    r.reason = reason;
    return r;
}

}  // namespace

std::optional<std::string> decode_base64_strict(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t pad = 0;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    const std::string_view data = text.substr(0, text.size() - pad);
    if (data.find_first_not_of(base64_alphabet) != std::string_view::npos) return std::nullopt;
    // Canonical form only: the bits after the last full byte must be zero, so one credential
    // has exactly one spelling.
    if (pad > 0) {
        const auto last = base64_alphabet.find(data.back());
        const unsigned unused_mask = pad == 1 ? 0x03 : 0x0f;
        if ((last & unused_mask) != 0) return std::nullopt;
    }
    std::string out(text.size() / 4 * 3, '\0');
    if (text.empty()) return out;
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    // EVP_DecodeBlock counts the padding as zero bytes: drop them.
    if (n < 0 || static_cast<std::size_t>(n) != out.size()) return std::nullopt;
    out.resize(out.size() - pad);
    return out;
}

CredentialParseResult parse_basic_credentials(std::optional<std::string_view> field_value) {
    if (!field_value) return {};
    const std::string_view value = trim_ows(*field_value);
    if (value.empty()) return malformed("field is empty");

    const auto space = value.find(' ');
    const std::string_view scheme = value.substr(0, space);
    if (!http::grammar::iequals(scheme, "Basic")) return malformed("scheme is not Basic");
    if (space == std::string_view::npos) return malformed("no credentials after Basic");
    std::string_view token = value.substr(space);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);  // 1*SP
    if (token.empty()) return malformed("no credentials after Basic");

    auto decoded = decode_base64_strict(token);
    if (!decoded) return malformed("credentials are not valid base64");
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return malformed("decoded credentials have no colon");
    if (has_control_character(*decoded))
        return malformed("decoded credentials contain a control character");

    CredentialParseResult r;
    r.kind = CredentialParseResult::Kind::present;
    r.credentials.user = decoded->substr(0, colon);
    r.credentials.password = decoded->substr(colon + 1);
    // The decoded buffer held the password: wipe it rather than leave it in freed memory.
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return r;
}

}  // namespace cproxy::auth

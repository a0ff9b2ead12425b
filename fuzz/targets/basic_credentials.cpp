// Proxy-Authorization: Basic parsing (RFC 7617) over arbitrary field values, with the
// promises of the header checked: a user-id without colon, no control characters, and one
// spelling per credential (strict base64 decodes only what re-encodes to the same text).
#include <openssl/evp.h>

#include <string>

#include "FuzzSupport.hpp"
#include "conformance_proxy/auth/BasicCredentials.hpp"

using namespace cproxy;

namespace {
std::string encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool has_control(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    return false;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);

    if (const auto decoded = auth::decode_base64_strict(text))
        fuzz::require(encode(*decoded) == text, "base64 accepted in a non-canonical spelling");

    const auth::CredentialParseResult result = auth::parse_basic_credentials(text);
    switch (result.kind) {
        case auth::CredentialParseResult::Kind::missing:
            fuzz::require(false, "a present field parsed as missing");
            break;
        case auth::CredentialParseResult::Kind::malformed:
            fuzz::require(!result.reason.empty(), "malformed without a reason");
            break;
        case auth::CredentialParseResult::Kind::present: {
            const auth::BasicCredentials& c = result.credentials;
            fuzz::require(c.user.find(':') == std::string::npos, "user-id holds a colon");
            fuzz::require(!has_control(c.user) && !has_control(c.password), "control character accepted");
            fuzz::require(text.find(encode(c.user + ":" + c.password)) != std::string_view::npos,
                          "credentials that are not the encoded token");
            break;
        }
    }
    return 0;
}

#include "conformance_proxy/auth/Redaction.hpp"

#include <algorithm>
#include <array>

#include "AsciiCase.hpp"

namespace cproxy::auth {
namespace {

constexpr std::array<std::string_view, 4> credential_fields = {
    "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"};

}  // namespace

bool is_credential_field(std::string_view field_name) {
    return std::any_of(credential_fields.begin(), credential_fields.end(),
                       [&](std::string_view f) { return detail::ascii_iequals(f, field_name); });
}

std::string_view redacted_value() { return "[redacted]"; }

std::string_view redact(std::string_view field_name, std::string_view value) {
    return is_credential_field(field_name) ? redacted_value() : value;
}

}  // namespace cproxy::auth

#pragma once
// The IANA HTTP Status Code Registry, and the vendor codes seen in the wild that are not in
// it (RULES.md appendix), so messages can name who uses a code and what to send instead.
#include <string_view>

namespace cproxy::check {

enum class StatusRegistration {
    registered,
    unused,        // listed by IANA as "(Unused)": 306, 418
    unregistered,
};

StatusRegistration status_registration(int code) noexcept;

// The registered reason phrase ("Unavailable For Legal Reasons"), empty when unknown.
std::string_view registered_reason(int code) noexcept;

struct VendorStatus {
    int code;
    std::string_view used_by;     // "nginx: close without response (must never reach a client)"
    std::string_view say_instead; // "the real status", "429", ... ("" when nothing fits)
};

// nullptr when the code is not a known vendor code.
const VendorStatus* find_vendor_status(int code) noexcept;

}  // namespace cproxy::check

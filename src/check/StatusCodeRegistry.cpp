#include "check/StatusCodeRegistry.hpp"

namespace cproxy::check {
namespace {

struct RegisteredStatus {
    int code;
    std::string_view reason;
};

// IANA "HTTP Status Code Registry" (RFC 9110 §15 and later registrations).
constexpr RegisteredStatus kRegistered[] = {
    {100, "Continue"}, {101, "Switching Protocols"}, {102, "Processing"}, {103, "Early Hints"},
    {104, "Upload Resumption Supported"},
    {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {203, "Non-Authoritative Information"},
    {204, "No Content"}, {205, "Reset Content"}, {206, "Partial Content"},
    {207, "Multi-Status"}, {208, "Already Reported"}, {226, "IM Used"},
    {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
    {304, "Not Modified"}, {305, "Use Proxy"}, {306, "(Unused)"}, {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"},
    {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
    {406, "Not Acceptable"}, {407, "Proxy Authentication Required"},
    {408, "Request Timeout"}, {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"},
    {412, "Precondition Failed"}, {413, "Content Too Large"}, {414, "URI Too Long"},
    {415, "Unsupported Media Type"}, {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"}, {418, "(Unused)"}, {421, "Misdirected Request"},
    {422, "Unprocessable Content"}, {423, "Locked"}, {424, "Failed Dependency"},
    {425, "Too Early"}, {426, "Upgrade Required"}, {428, "Precondition Required"},
    {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
    {503, "Service Unavailable"}, {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"}, {506, "Variant Also Negotiates"},
    {507, "Insufficient Storage"}, {508, "Loop Detected"}, {510, "Not Extended"},
    {511, "Network Authentication Required"},
};

// RULES.md appendix: vendor codes worth naming.
constexpr VendorStatus kVendorCodes[] = {
    {218, "Apache httpd (\"This is fine\", ProxyErrorOverride)", "the real status"},
    {419, "Laravel: CSRF token missing or expired", "403"},
    {420, "Spring (deprecated \"Method Failure\") or Twitter v1 \"Enhance Your Calm\"",
     "500 or 429"},
    {430, "Shopify: too many URLs requested", "429"},
    {440, "IIS / Exchange: login time-out", "401 with a challenge"},
    {444, "nginx internal: close without response (must never reach a client)", ""},
    {449, "IIS: retry with required information", "400 or 422"},
    {450, "Windows Parental Controls block", "403"},
    {460, "AWS ELB: client closed the connection early", ""},
    {463, "AWS ELB: too many X-Forwarded-For entries", "400"},
    {494, "nginx: request header too large", "431"},
    {495, "nginx: client certificate error", "400"},
    {496, "nginx: client certificate required", "400"},
    {497, "nginx: HTTP request sent to HTTPS port", "400"},
    {498, "Esri ArcGIS: invalid token", "401 with a challenge"},
    {499, "Esri ArcGIS: token required; also nginx's client-closed-request (log-only)",
     "401 with a challenge"},
    {509, "Apache/cPanel: bandwidth limit exceeded", "503 with Retry-After"},
    {520, "Cloudflare: origin returned an unknown error", "502"},
    {521, "Cloudflare: origin is down", "502"},
    {522, "Cloudflare: connection to the origin timed out", "504"},
    {523, "Cloudflare: origin is unreachable", "502"},
    {524, "Cloudflare: origin response timed out", "504"},
    {525, "Cloudflare: TLS handshake with the origin failed", "502"},
    {526, "Cloudflare: invalid origin certificate", "502"},
    {527, "Cloudflare: Railgun error", "502"},
    {529, "Qualys SSL Labs: site overloaded", "503"},
    {530, "Cloudflare: origin error; Pantheon: site frozen", "502 or 503"},
    {561, "AWS ELB: identity provider error during authentication", "401 or 502"},
    {598, "informal proxy convention: network read timeout", "504"},
    {599, "informal proxy convention: network connect timeout", "504"},
};

}  // namespace

StatusRegistration status_registration(int code) noexcept {
    for (const RegisteredStatus& status : kRegistered)
        if (status.code == code)
            return status.reason == "(Unused)" ? StatusRegistration::unused
                                               : StatusRegistration::registered;
    return StatusRegistration::unregistered;
}

std::string_view registered_reason(int code) noexcept {
    for (const RegisteredStatus& status : kRegistered)
        if (status.code == code) return status.reason;
    return {};
}

const VendorStatus* find_vendor_status(int code) noexcept {
    for (const VendorStatus& vendor : kVendorCodes)
        if (vendor.code == code) return &vendor;
    return nullptr;
}

}  // namespace cproxy::check

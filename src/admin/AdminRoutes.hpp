#pragma once
// What the admin server answers, without sockets: one request line in, one response out.
// Kept apart from the Beast session so the routing is plain code the tests can call.
#include <functional>
#include <string>
#include <string_view>

#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::admin {

struct AdminResponse {
    unsigned status = 200;
    std::string content_type;
    std::string body;
    std::string allow;  // set on 405
    bool dashboard = false;  // the HTML page: gets a Content-Security-Policy
};

struct AdminRouteContext {
    std::function<report::ReportSnapshot()> snapshot;
    std::string subject;
    int refresh_seconds = 5;
};

inline constexpr std::string_view admin_allowed_methods = "GET, HEAD";

// method as sent ("GET", "HEAD", ...), target as sent (query ignored). HEAD is answered as GET;
// the caller drops the body and keeps Content-Length.
AdminResponse route_admin_request(std::string_view method, std::string_view target,
                                  const AdminRouteContext& context);

// The admin server's own error bodies: application/problem+json (RFC 9457).
AdminResponse admin_problem(unsigned status, std::string title, std::string detail);

}  // namespace cproxy::admin

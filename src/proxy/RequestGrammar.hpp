#pragma once
// The strict parts of RFC 9112's request grammar that Beast's parser lets through, as pure
// functions over text: each returns why the request must be refused (for the 400's detail),
// or nothing when it is fine. No Beast here, so the unit tests and the fuzzer call them alone.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cproxy::proxy {

// A Host value is uri-host [ ":" port ] (RFC 9110 §7.2): no userinfo, no path, no list.
// `target_has_authority`: the request target is absolute-form (which wins over Host, so an
// empty Host is allowed there); an origin-form request needs a host in it (RFC 9112 §3.2).
std::optional<std::string> host_value_problem(std::string_view value, bool target_has_authority);

// The origin-form target (RFC 9112 §3.2.1) as RFC 3986 spells it: raw non-ASCII bytes and
// fragments are refused; percent-encoded bytes are fine. Other forms are checked where
// they are routed (absolute-form, authority-form) or are "*".
std::optional<std::string> origin_form_problem(std::string_view target);

// A head that went over the size limit before it ended: which status fits. The method and
// target are not header fields, so 431 would send the client looking in the wrong place.
struct OversizedHead {
    int status;         // 400 (method), 414 (target) or 431 (fields)
    std::string title;
    std::string detail;
};
OversizedHead classify_oversized_head(std::string_view head_start, std::size_t limit);

// The HTTP-version of a request line (RFC 9112 §2.3): a higher HTTP/1.x minor is to be
// answered as HTTP/1.1, another major with 505. Anything unlike "HTTP/d.d" is `as_is` (the
// parser refuses it).
struct RequestVersion {
    enum class Kind { as_is, higher_minor, other_major } kind = Kind::as_is;
    std::size_t minor_offset = 0;  // higher_minor: where the minor digit is in the head
};
RequestVersion classify_request_version(std::string_view head);

// Longest method token accepted. The longest registered method (UPDATEREDIRECTREF) has 17.
inline constexpr std::size_t max_method_length = 64;
std::optional<std::string> method_problem(std::string_view method);

// CGI and WSGI map "-" and "_" in field names to the same variable, so Content_Length can
// reach a backend as Content-Length behind the proxy's back (nginx drops such fields too).
bool field_name_smuggles_by_underscore(std::string_view name);

}  // namespace cproxy::proxy

#pragma once
// What keeps a field value from being a URI-reference (RFC 3986 §4.1), in words a developer can
// act on; used by the messages of content-location-syntax and link-syntax.
#include <boost/system/error_code.hpp>
#include <string>
#include <string_view>

namespace cproxy::check {

// Names the first raw space, non-ASCII octet, control character, one of "<>\"{}|\\^`", "%" not
// followed by two hex digits, or second "#", with its offset; else Boost.URL's text for `error`.
std::string describe_uri_reference_problem(std::string_view value, const boost::system::error_code& error);

}  // namespace cproxy::check

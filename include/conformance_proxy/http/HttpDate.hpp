#pragma once
// HTTP-date (RFC 9110 §5.6.7): the preferred IMF-fixdate and the two obsolete forms that
// recipients must still accept (rfc850-date, asctime-date). Case-sensitive, as specified.
#include <optional>
#include <string_view>

namespace cproxy::http {

enum class HttpDateForm { imf_fixdate, rfc850, asctime };

// The form of text when it is a valid HTTP-date (fields in range, day valid for its month),
// otherwise nullopt. The day-name is checked for spelling, not against the calendar.
std::optional<HttpDateForm> parse_http_date(std::string_view text) noexcept;

}  // namespace cproxy::http

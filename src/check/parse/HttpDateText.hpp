#pragma once
// What a finding says about a date that is not an IMF-fixdate (RFC 9110 §5.6.7), for the rules
// that require one (Last-Modified, If-Modified-Since, ...).
#include <optional>
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check {

// " is not an HTTP-date", " is an obsolete RFC 850 date" or " is an obsolete asctime date";
// empty for an IMF-fixdate.
constexpr std::string_view not_imf_fixdate_text(std::optional<HttpDateForm> form) noexcept {
    if (!form) return " is not an HTTP-date";
    switch (*form) {
        case HttpDateForm::rfc850: return " is an obsolete RFC 850 date";
        case HttpDateForm::asctime: return " is an obsolete asctime date";
        case HttpDateForm::imf_fixdate: break;
    }
    return {};
}

}  // namespace cproxy::check

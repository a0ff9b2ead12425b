#pragma once
// Content-Disposition (RFC 6266 §4.1, with its implied LWS around "=" and ";") and the
// ext-value of RFC 8187 §3.2.1:
//   content-disposition = disposition-type *( OWS ";" OWS disposition-parm )
//   disposition-type    = token
//   disposition-parm    = token OWS "=" OWS ( token / quoted-string )   name not ending in "*"
//                       / ext-token OWS "=" OWS ext-value               name ending in "*"
//   ext-value   = charset "'" [ language ] "'" value-chars               (never quoted)
//   charset     = 1*mime-charsetc      ("UTF-8", "ISO-8859-1" and registered mime-charsets)
//   value-chars = *( pct-encoded / attr-char )
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check {

struct ExtValue {
    std::string_view charset;
    std::string_view language;     // may be empty
    std::string_view value_chars;  // still percent-encoded
};

// Null problem when `text` is an ext-value; else `problem` says what is wrong.
struct ExtValueParse {
    ExtValue value;
    std::string_view problem;  // empty on success
};
ExtValueParse parse_ext_value(std::string_view text) noexcept;

struct DispositionParam {
    std::string_view name;   // as written; ends in '*' for an extended parameter
    std::string_view value;  // as written: token, quoted-string (with its DQUOTEs) or ext-value
    bool extended() const noexcept { return !name.empty() && name.back() == '*'; }
};
using DispositionParams = InlineVector<DispositionParam, 8>;

struct ContentDispositionParse {
    std::string_view type;     // the disposition-type token
    std::string_view problem;  // empty when the whole value matched the grammar
    bool ok() const noexcept { return problem.empty(); }
};

// Fills `params` with the parameters read before any error.
ContentDispositionParse parse_content_disposition(std::string_view value,
                                                  DispositionParams& params) noexcept;

}  // namespace cproxy::check

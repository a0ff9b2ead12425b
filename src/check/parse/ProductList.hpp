#pragma once
// product / comment grammar of Server and User-Agent (RFC 9110 §10.2.4, §10.1.5, §5.6.5):
//   Server     = product *( RWS ( product / comment ) )
//   User-Agent = product *( RWS ( product / comment ) )
//   product         = token [ "/" product-version ]
//   product-version = token
//   comment = "(" *( ctext / quoted-pair / comment ) ")"
//   ctext   = HTAB / SP / %x21-27 / %x2A-5B / %x5D-7E / obs-text
// Comments nest and may hold quoted-pairs and obs-text. Allocation-free.
//
//   if (!is_product_list(value)) ...                       // just the verdict
//   const ProductListCheck result = check_product_list(value);
//   if (!result) report(result.reason, value.substr(result.offset));  // why, and where
#include <cstddef>
#include <string_view>

namespace cproxy::check {

struct ProductListCheck {
    bool valid = true;
    // When invalid: where the problem starts (an offset into the value) and a short English
    // phrase saying what is wrong, e.g. "a comment needs whitespace before it".
    std::size_t offset = 0;
    std::string_view reason = {};

    explicit operator bool() const noexcept { return valid; }
};

// The whole value must match `product *( RWS ( product / comment ) )`. The caller passes a
// field value already trimmed of surrounding OWS (RawHead does that); an empty value is invalid.
ProductListCheck check_product_list(std::string_view value) noexcept;

inline bool is_product_list(std::string_view value) noexcept {
    return check_product_list(value).valid;
}

// A comment starting at text[pos] (which must be "("): the position just past its closing ")",
// or npos when it is unterminated or holds a character that is neither ctext, a quoted-pair nor
// a nested comment. Also used for the comment of a Via element.
std::size_t comment_end(std::string_view text, std::size_t pos) noexcept;

}  // namespace cproxy::check

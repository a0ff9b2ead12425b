#pragma once
// The product list of User-Agent (RFC 9110 §10.1.5) and Server (§10.2.4):
//   User-Agent      = product *( RWS ( product / comment ) )
//   product         = token [ "/" product-version ]
//   product-version = token
//   comment         = "(" *( ctext / quoted-pair / comment ) ")"             (§5.6.5)
//   ctext           = HTAB / SP / %x21-27 / %x2A-5B / %x5D-7E / obs-text
//   quoted-pair     = "\" ( HTAB / SP / VCHAR / obs-text )
//   RWS             = 1*( SP / HTAB )
// Comments nest. The value is judged as given: leading or trailing whitespace makes it invalid
// (field values arrive with OWS trimmed).
#include <string_view>

namespace cproxy::check {

bool is_product_list(std::string_view value) noexcept;

}  // namespace cproxy::check

#pragma once
// Language-Tag (RFC 5646 §2.1), well-formedness only (the ABNF; no registry lookup), letters
// compared case-insensitively:
//   Language-Tag  = langtag / privateuse / grandfathered
//   langtag       = language ["-" script] ["-" region] *("-" variant) *("-" extension)
//                   ["-" privateuse]
//   language      = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
//   extlang       = 3ALPHA *2("-" 3ALPHA)
//   script        = 4ALPHA
//   region        = 2ALPHA / 3DIGIT
//   variant       = 5*8alphanum / (DIGIT 3alphanum)
//   extension     = singleton 1*("-" (2*8alphanum))        singleton: alphanum except "x"
//   privateuse    = "x" 1*("-" (1*8alphanum))
//   grandfathered = the 17 irregular and 9 regular tags of §2.1
#include <string_view>

namespace cproxy::check {

bool is_language_tag(std::string_view text) noexcept;

}  // namespace cproxy::check

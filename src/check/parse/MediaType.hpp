#pragma once
// Content-Type (RFC 9110 §8.3.1):
//   media-type = type "/" subtype parameters
//   parameters = *( OWS ";" OWS [ parameter ] )      (so `application/json;` is fine)
//   parameter  = parameter-name "=" parameter-value   (token / quoted-string, no BWS)
#include <optional>
#include <string_view>

namespace cproxy::check {

struct MediaType {
    std::string_view type;
    std::string_view subtype;
    std::string_view parameters;  // everything after the subtype, unparsed
};

struct MediaTypeError {
    std::string_view problem;  // static text saying what is wrong
};

struct MediaTypeParse {
    std::optional<MediaType> media_type;
    MediaTypeError error{};
};

MediaTypeParse parse_media_type(std::string_view text) noexcept;

}  // namespace cproxy::check

#include "check/parse/UriReference.hpp"

#include "check/MessageText.hpp"
#include "check/parse/Text.hpp"

namespace cproxy::check {

std::string describe_uri_reference_problem(std::string_view value, const boost::system::error_code& error) {
    using message::concat;
    bool fragment = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        std::string what;
        if (c == ' ') what = "a raw space";
        else if (c >= 0x80) what = "a raw non-ASCII octet";
        else if (c < 0x20 || c == 0x7f) what = "a control character";
        else if (std::string_view("\"<>\\^`{|}").find(static_cast<char>(c)) != std::string_view::npos)
            what = concat({"the character ", message::quote(value.substr(i, 1))});
        else if (c == '%' && !is_pct_encoded_at(value, i)) what = "a \"%\" not followed by two hex digits";
        else if (c == '#' && fragment) what = "a second \"#\"";
        else if (c == '#') fragment = true;
        if (!what.empty()) return concat({what, " at offset ", std::to_string(i)});
    }
    return error.message();
}

}  // namespace cproxy::check

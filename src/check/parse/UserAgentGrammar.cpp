#include "check/parse/UserAgentGrammar.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {
namespace {

constexpr bool is_ctext(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return c == '\t' || c == ' ' || (u >= 0x21 && u <= 0x27) || (u >= 0x2A && u <= 0x5B) ||
           (u >= 0x5D && u <= 0x7E) || u >= 0x80;
}

constexpr bool is_quoted_pair_char(char c) noexcept {
    return c == '\t' || c == ' ' || grammar::is_vchar(c) || grammar::is_obs_text(c);
}

// A comment starting at value[pos] == '('; the position just past its closing ')', or npos.
std::size_t comment_end(std::string_view value, std::size_t pos) noexcept {
    std::size_t depth = 0;
    for (std::size_t i = pos; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth == 0) return i + 1;
        } else if (c == '\\') {
            if (++i >= value.size() || !is_quoted_pair_char(value[i])) return grammar::npos;
        } else if (!is_ctext(c)) {
            return grammar::npos;
        }
    }
    return grammar::npos;
}

// A product starting at value[pos]; the position just past it, or npos.
std::size_t product_end(std::string_view value, std::size_t pos) noexcept {
    const std::size_t name = grammar::token_length(value, pos);
    if (name == 0) return grammar::npos;
    pos += name;
    if (pos < value.size() && value[pos] == '/') {
        const std::size_t version = grammar::token_length(value, pos + 1);
        if (version == 0) return grammar::npos;
        pos += 1 + version;
    }
    return pos;
}

}  // namespace

bool is_product_list(std::string_view value) noexcept {
    std::size_t pos = product_end(value, 0);
    if (pos == grammar::npos) return false;
    while (pos < value.size()) {
        // RWS, then a product or a comment.
        const std::size_t after_space = grammar::skip_ows(value, pos);
        if (after_space == pos || after_space == value.size()) return false;
        pos = value[after_space] == '(' ? comment_end(value, after_space)
                                        : product_end(value, after_space);
        if (pos == grammar::npos) return false;
    }
    return true;
}

}  // namespace cproxy::check

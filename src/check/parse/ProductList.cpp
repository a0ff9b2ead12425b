#include "check/parse/ProductList.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {
namespace {

constexpr bool is_ctext(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return c == '\t' || c == ' ' || (u >= 0x21 && u <= 0x27) || (u >= 0x2A && u <= 0x5B) ||
           (u >= 0x5D && u <= 0x7E) || u >= 0x80;
}

ProductListCheck problem(std::size_t offset, std::string_view reason) noexcept {
    return ProductListCheck{false, offset, reason};
}

}  // namespace

std::size_t comment_end(std::string_view text, std::size_t pos) noexcept {
    if (pos >= text.size() || text[pos] != '(') return grammar::npos;
    std::size_t depth = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth == 0) return i + 1;
        } else if (c == '\\') {
            if (++i >= text.size()) return grammar::npos;
            const char escaped = text[i];
            if (!(escaped == '\t' || escaped == ' ' || grammar::is_vchar(escaped) ||
                  grammar::is_obs_text(escaped)))
                return grammar::npos;
        } else if (!is_ctext(c)) {
            return grammar::npos;
        }
    }
    return grammar::npos;
}

ProductListCheck check_product_list(std::string_view value) noexcept {
    if (value.empty()) return problem(0, "is empty; it needs at least one product");
    std::size_t pos = 0;
    bool first = true;
    while (pos < value.size()) {
        if (value[pos] == '(') {
            if (first) return problem(pos, "starts with a comment instead of a product");
            const std::size_t end = comment_end(value, pos);
            if (end == grammar::npos)
                return problem(pos, "has a comment that is unterminated or holds a control character");
            pos = end;
        } else {
            const std::size_t name = grammar::token_length(value, pos);
            if (name == 0) return problem(pos, "holds a character that is not allowed in a product token");
            pos += name;
            if (pos < value.size() && value[pos] == '/') {
                const std::size_t version = grammar::token_length(value, pos + 1);
                if (version == 0) return problem(pos, "has a product version after '/' that is not a token");
                pos += 1 + version;
                if (pos < value.size() && value[pos] == '/')
                    return problem(pos, "has a second '/' in one product (product = name/version)");
            }
        }
        first = false;
        if (pos == value.size()) break;
        // Between two items: RWS, and something after it.
        const std::size_t next = grammar::skip_ows(value, pos);
        if (next == pos) {
            if (value[pos] == '(') return problem(pos, "has a comment with no whitespace before it");
            if (value[pos] == '/') return problem(pos, "has a second '/' in one product (product = name/version)");
            return problem(pos, "holds a character that is not allowed in a product token");
        }
        if (next == value.size()) break;  // trailing whitespace (never in a trimmed field value)
        pos = next;
    }
    return {};
}

}  // namespace cproxy::check

#include "check/parse/LanguageTag.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {
namespace {

constexpr std::string_view grandfathered_tags[] = {
    // irregular
    "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
    "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL",
    "sgn-CH-DE",
    // regular (most also match langtag; listed so the rule never depends on that)
    "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min",
    "zh-min-nan", "zh-xiang"};

constexpr bool all_of(std::string_view text, bool (*predicate)(char)) noexcept {
    for (char c : text)
        if (!predicate(c)) return false;
    return true;
}
constexpr bool alpha(char c) noexcept { return grammar::is_alpha(c); }
constexpr bool digit(char c) noexcept { return grammar::is_digit(c); }
constexpr bool alphanum(char c) noexcept { return alpha(c) || digit(c); }

// The subtags of a tag, one at a time; empty subtags ("en--US", "en-") come out empty.
class Subtags {
public:
    explicit Subtags(std::string_view text) noexcept : rest_(text) {}
    bool done() const noexcept { return done_; }
    std::string_view peek() const noexcept { return rest_.substr(0, rest_.find('-')); }
    void next() noexcept {
        const std::size_t dash = rest_.find('-');
        if (dash == std::string_view::npos) {
            done_ = true;
            rest_ = {};
        } else {
            rest_.remove_prefix(dash + 1);
        }
    }

private:
    std::string_view rest_;
    bool done_ = false;
};

bool is_extlang(std::string_view s) noexcept { return s.size() == 3 && all_of(s, alpha); }
bool is_script(std::string_view s) noexcept { return s.size() == 4 && all_of(s, alpha); }
bool is_region(std::string_view s) noexcept {
    return (s.size() == 2 && all_of(s, alpha)) || (s.size() == 3 && all_of(s, digit));
}
bool is_variant(std::string_view s) noexcept {
    if (!all_of(s, alphanum)) return false;
    return (s.size() >= 5 && s.size() <= 8) || (s.size() == 4 && digit(s[0]));
}
bool is_private_use_mark(std::string_view s) noexcept { return s.size() == 1 && (s[0] | 0x20) == 'x'; }
bool is_singleton(std::string_view s) noexcept {
    return s.size() == 1 && alphanum(s[0]) && !is_private_use_mark(s);
}

// "x" 1*("-" (1*8alphanum)) up to the end, `tags` positioned at the "x".
bool rest_is_private_use(Subtags& tags) noexcept {
    tags.next();
    if (tags.done()) return false;
    while (!tags.done()) {
        const std::string_view s = tags.peek();
        if (s.empty() || s.size() > 8 || !all_of(s, alphanum)) return false;
        tags.next();
    }
    return true;
}

bool is_langtag(std::string_view text) noexcept {
    Subtags tags(text);
    const std::string_view language = tags.peek();
    if (language.size() < 2 || language.size() > 8 || !all_of(language, alpha)) return false;
    tags.next();
    if (language.size() <= 3) {
        for (int extlangs = 0; extlangs < 3 && !tags.done() && is_extlang(tags.peek()); ++extlangs)
            tags.next();
    }
    if (!tags.done() && is_script(tags.peek())) tags.next();
    if (!tags.done() && is_region(tags.peek())) tags.next();
    while (!tags.done() && is_variant(tags.peek())) tags.next();
    while (!tags.done() && is_singleton(tags.peek())) {
        tags.next();
        int subtags = 0;
        while (!tags.done()) {
            const std::string_view s = tags.peek();
            if (s.size() < 2 || s.size() > 8 || !all_of(s, alphanum)) break;
            tags.next();
            ++subtags;
        }
        if (subtags == 0) return false;
    }
    if (tags.done()) return true;
    return is_private_use_mark(tags.peek()) && rest_is_private_use(tags);
}

}  // namespace

bool is_language_tag(std::string_view text) noexcept {
    for (std::string_view tag : grandfathered_tags)
        if (grammar::iequals(text, tag)) return true;
    Subtags tags(text);
    if (is_private_use_mark(tags.peek())) return rest_is_private_use(tags);
    return is_langtag(text);
}

}  // namespace cproxy::check

// Scoped ignores of the RulePolicy: "drop date-missing for GET /health*". Matching runs at emit
// time, on the request the response answers, so an ignored finding is never built, logged or
// recorded; rules without ignores pay one vector lookup.
#include <utility>

#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check {

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
    // Iterative wildcard matching: on a mismatch, back up to the last '*' and let it swallow
    // one more character. Linear in practice, no recursion, no allocation.
    std::size_t p = 0, t = 0;
    std::size_t star = std::string_view::npos, star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

std::string_view request_path(std::string_view target) noexcept {
    if (target.empty() || target == "*") return target;
    if (target.front() != '/') {
        const auto scheme_end = target.find("://");
        if (scheme_end == std::string_view::npos) return target;  // authority-form (CONNECT)
        const auto path_start = target.find_first_of("/?#", scheme_end + 3);
        if (path_start == std::string_view::npos || target[path_start] != '/') return "/";
        target.remove_prefix(path_start);
    }
    return target.substr(0, target.find_first_of("?#"));
}

void RulePolicy::add_ignore(const Rule& rule, std::vector<std::string> method_globs, std::string path_glob) {
    has_ignores_.at(rule.index) = true;
    ignores_.push_back(Ignore{&rule, std::move(method_globs), std::move(path_glob)});
}

bool RulePolicy::ignored(const Rule& rule, const RequestContext& request) const noexcept {
    if (!has_ignores_[rule.index]) return false;
    const std::string_view path = request_path(request.target);
    for (const Ignore& ignore : ignores_) {
        if (ignore.rule->index != rule.index || !glob_match(ignore.path, path)) continue;
        if (ignore.methods.empty()) return true;
        for (const std::string& method : ignore.methods)
            if (glob_match(method, request.method)) return true;
    }
    return false;
}

}  // namespace cproxy::check

#include "conformance_proxy/report/RouteNormalizer.hpp"

#include <algorithm>

namespace cproxy::report {

namespace {

constexpr std::string_view id_placeholder = "{id}";
constexpr std::size_t max_route_length = 200;  // keeps one pathological target from bloating reports

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool all_of(std::string_view s, bool (*pred)(char)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

// Opaque tokens (base64/base64url, ULIDs, slugs with ids): long, only token characters, and
// mixing digits with letters, so ordinary words ("configuration-settings") stay.
bool is_opaque_token(std::string_view s) {
    if (s.size() < 20) return false;
    bool digit = false, alpha = false;
    for (char c : s) {
        if (is_digit(c)) digit = true;
        else if (is_alpha(c)) alpha = true;
        else if (c != '-' && c != '_' && c != '=' && c != '+' && c != '.' && c != '~' && c != '%')
            return false;
    }
    return digit && alpha;
}

bool is_id(std::string_view s) {
    return all_of(s, is_digit) || is_uuid(s) || (s.size() >= 16 && all_of(s, is_hex)) ||
           is_opaque_token(s);
}

std::string normalize_segment(std::string_view segment) {
    if (is_id(segment)) return std::string(id_placeholder);
    // "7.json" -> "{id}.json": an id with a short alphabetic extension.
    const auto dot = segment.rfind('.');
    if (dot != std::string_view::npos && dot > 0 && segment.size() - dot - 1 <= 5 &&
        all_of(segment.substr(dot + 1), is_alpha) && is_id(segment.substr(0, dot)))
        return std::string(id_placeholder) + std::string(segment.substr(dot));
    return std::string(segment);
}

}  // namespace

std::string normalize_route(std::string_view target) {
    if (target == "*") return "*";
    target = target.substr(0, std::min(target.find('?'), target.find('#')));

    std::string out;
    std::string_view path = target;
    if (const auto scheme_end = target.find("://"); scheme_end != std::string_view::npos) {
        // Absolute form (forward proxy): keep the host so routes of different origins stay apart.
        const auto authority_begin = scheme_end + 3;
        const auto path_begin = target.find('/', authority_begin);
        auto authority = target.substr(authority_begin, path_begin == std::string_view::npos
                                                            ? std::string_view::npos
                                                            : path_begin - authority_begin);
        if (const auto at = authority.rfind('@'); at != std::string_view::npos)
            authority = authority.substr(at + 1);  // never keep userinfo
        out = authority;
        path = path_begin == std::string_view::npos ? std::string_view{} : target.substr(path_begin);
    } else if (!target.empty() && target.front() != '/') {
        return std::string(target.substr(0, max_route_length));  // authority form (CONNECT)
    }
    if (path.empty()) path = "/";

    // Path segments between '/' (the leading "" before the first '/' included), so an empty
    // segment or trailing slash survives as it was.
    std::size_t begin = 0;
    while (true) {
        const auto slash = path.find('/', begin);
        const auto segment = path.substr(begin, slash == std::string_view::npos ? std::string_view::npos
                                                                                 : slash - begin);
        out += normalize_segment(segment);
        if (slash == std::string_view::npos) break;
        out += '/';
        begin = slash + 1;
    }
    if (out.size() > max_route_length) out.resize(max_route_length);
    return out;
}

}  // namespace cproxy::report

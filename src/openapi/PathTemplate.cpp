#include "openapi/PathTemplate.hpp"

namespace cproxy::openapi {

namespace {
std::vector<std::string_view> split_segments(std::string_view path) {
    std::vector<std::string_view> segments;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    while (true) {
        const std::size_t slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}
}  // namespace

PathTemplate::PathTemplate(std::string_view text) {
    for (std::string_view raw : split_segments(text)) {
        Segment segment;
        while (!raw.empty()) {
            const std::size_t open = raw.find('{');
            const std::size_t close = open == std::string_view::npos ? open : raw.find('}', open);
            if (close == std::string_view::npos) {
                segment.push_back({std::string(raw), false});
                break;
            }
            if (open > 0) segment.push_back({std::string(raw.substr(0, open)), false});
            segment.push_back({std::string(raw.substr(open + 1, close - open - 1)), true});
            raw.remove_prefix(close + 1);
        }
        segments_.push_back(std::move(segment));
    }
}

bool PathTemplate::match_segment(const Segment& segment, std::size_t piece, std::string_view text) {
    if (piece == segment.size()) return text.empty();
    const Piece& current = segment[piece];
    if (!current.parameter) {
        if (!text.starts_with(current.text)) return false;
        return match_segment(segment, piece + 1, text.substr(current.text.size()));
    }
    for (std::size_t length = 1; length <= text.size(); ++length)  // a parameter is never empty
        if (match_segment(segment, piece + 1, text.substr(length))) return true;
    return false;
}

bool PathTemplate::matches(std::string_view path) const {
    const auto request = split_segments(path);
    if (request.size() != segments_.size()) return false;
    for (std::size_t i = 0; i < request.size(); ++i)
        if (!match_segment(segments_[i], 0, request[i])) return false;
    return true;
}

bool PathTemplate::templated(const Segment& segment) {
    for (const auto& piece : segment)
        if (piece.parameter) return true;
    return false;
}

bool PathTemplate::more_specific_than(const PathTemplate& other) const {
    const std::size_t common = std::min(segments_.size(), other.segments_.size());
    for (std::size_t i = 0; i < common; ++i) {
        const bool mine = templated(segments_[i]);
        const bool theirs = templated(other.segments_[i]);
        if (mine != theirs) return !mine;
    }
    return false;
}

std::vector<std::string> PathTemplate::parameters() const {
    std::vector<std::string> names;
    for (const auto& segment : segments_)
        for (const auto& piece : segment)
            if (piece.parameter) names.push_back(piece.text);
    return names;
}

std::string server_base_path(std::string_view url) {
    if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
        url.remove_prefix(scheme + 3);
        const std::size_t slash = url.find('/');
        url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    }
    url = url.substr(0, url.find_first_of("?#"));
    std::string path(url);
    if (!path.empty() && path.front() != '/') path.insert(path.begin(), '/');
    while (!path.empty() && path.back() == '/') path.pop_back();
    return path;
}

}  // namespace cproxy::openapi

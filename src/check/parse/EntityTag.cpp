#include "check/parse/EntityTag.hpp"

namespace cproxy::check {
namespace {

constexpr bool is_etagc(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x7e) || u >= 0x80;
}

constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

}  // namespace

std::size_t entity_tag_end(std::string_view text, std::size_t pos, EntityTag* tag) noexcept {
    constexpr std::size_t npos = std::string_view::npos;
    bool weak = false;
    if (text.substr(pos, 2) == "W/") {
        weak = true;
        pos += 2;
    }
    if (pos >= text.size() || text[pos] != '"') return npos;
    std::size_t i = pos + 1;
    while (i < text.size() && is_etagc(text[i])) ++i;
    if (i >= text.size() || text[i] != '"') return npos;
    if (tag) {
        tag->weak = weak;
        tag->opaque = text.substr(pos, i + 1 - pos);
    }
    return i + 1;
}

std::optional<EntityTag> parse_entity_tag(std::string_view text) noexcept {
    EntityTag tag;
    if (entity_tag_end(text, 0, &tag) != text.size()) return std::nullopt;
    return tag;
}

void EntityTagListReader::fail(std::string_view element, std::string_view value,
                               std::string_view problem) noexcept {
    if (!problem_.empty()) return;  // keep the first problem
    bad_element_ = element;
    bad_value_ = value;
    problem_ = problem;
}

void EntityTagListReader::add(std::string_view value) noexcept {
    std::size_t i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (is_ows(c) || c == ',') {  // OWS and empty list elements
            ++i;
            continue;
        }
        const std::size_t start = i;
        std::size_t end;
        if (c == '*') {
            end = i + 1;
            if (star_ || elements_ > 0) {
                fail("*", value, "\"*\" must be the whole value, not one member of a list");
            } else {
                star_ = true;
                star_value_ = value;
            }
        } else {
            end = entity_tag_end(value, i);
            if (end == std::string_view::npos) {
                // The offending element runs to the next comma outside an opaque-tag (or the end).
                std::size_t stop = i;
                bool in_quotes = false;
                while (stop < value.size() && (in_quotes || value[stop] != ',')) {
                    if (value[stop] == '"') in_quotes = !in_quotes;
                    ++stop;
                }
                std::string_view element = value.substr(start, stop - start);
                while (!element.empty() && is_ows(element.back())) element.remove_suffix(1);
                std::string_view problem = "is not an entity-tag";
                if (element.size() >= 2 && element.substr(0, 2) == "w/")
                    problem = "has a lowercase weak prefix (it is case-sensitive: W/)";
                else if (element.find('"') == std::string_view::npos)
                    problem = "is not in double quotes";
                fail(element, value, problem);
                return;
            }
            if (star_) fail("*", star_value_, "\"*\" must be the whole value, not one member of a list");
        }
        ++elements_;
        i = end;
        while (i < value.size() && is_ows(value[i])) ++i;
        if (i < value.size() && value[i] != ',') {
            fail(value.substr(start), value, "is not followed by a comma (separate entity-tags with \", \")");
            return;
        }
    }
}

EntityTagListReader::Kind EntityTagListReader::kind() const noexcept {
    if (!problem_.empty()) return Kind::invalid;
    if (elements_ == 0) return Kind::empty;
    return star_ ? Kind::any : Kind::tags;
}

std::optional<EntityTag> single_entity_tag(const RawHead& head) noexcept {
    if (head.count(KnownField::etag) != 1) return std::nullopt;
    return parse_entity_tag(head.first(KnownField::etag)->value);
}

EntityTagListReader read_entity_tag_list(const RawHead& head, KnownField field) noexcept {
    EntityTagListReader reader;
    head.for_each(field, [&](const FieldLine& line) { reader.add(line.value); });
    return reader;
}

bool list_weakly_matches(const RawHead& head, KnownField field, const EntityTag& tag) noexcept {
    bool matched = false;
    head.for_each(field, [&](const FieldLine& line) {
        if (matched) return;
        for_each_entity_tag(line.value, [&](const EntityTag& listed) {
            matched = weak_match(listed, tag);
            return !matched;
        });
    });
    return matched;
}

}  // namespace cproxy::check

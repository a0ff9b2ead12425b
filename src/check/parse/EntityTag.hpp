#pragma once
// Entity tags (RFC 9110 §8.8.3) and the lists of them in If-Match / If-None-Match (§13.1.1,
// §13.1.2):
//   entity-tag = [ weak ] opaque-tag        weak = %s"W/"   (case-sensitive)
//   opaque-tag = DQUOTE *etagc DQUOTE       etagc = %x21 / %x23-7E / obs-text
//   If-Match   = "*" / 1#entity-tag
// There is no escaping inside an opaque-tag: a backslash is an etagc and a comma inside the
// quotes is data. Allocation-free.
#include <cstddef>
#include <optional>
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check {

struct EntityTag {
    bool weak = false;
    std::string_view opaque;  // the opaque-tag with its DQUOTEs
};

// The entity-tag that starts at text[pos]: its end (just past the closing DQUOTE), or npos
// when none starts there.
std::size_t entity_tag_end(std::string_view text, std::size_t pos, EntityTag* tag = nullptr) noexcept;

// The whole of text as one entity-tag, or nullopt.
std::optional<EntityTag> parse_entity_tag(std::string_view text) noexcept;

// RFC 9110 §8.8.3.2.
constexpr bool weak_match(const EntityTag& a, const EntityTag& b) noexcept {
    return a.opaque == b.opaque;
}
constexpr bool strong_match(const EntityTag& a, const EntityTag& b) noexcept {
    return !a.weak && !b.weak && a.opaque == b.opaque;
}

// Reads an If-Match / If-None-Match field whose lines are joined with ", " (RFC 9110 §5.3):
// feed every line's value in order, then read the result. Empty list elements are skipped.
class EntityTagListReader {
public:
    enum class Kind { empty, any, tags, invalid };

    void add(std::string_view value) noexcept;
    // empty: no element at all (no line, or only empty elements); any: exactly "*";
    // tags: one or more entity-tags; invalid: see bad_element() and problem().
    Kind kind() const noexcept;
    std::string_view bad_element() const noexcept { return bad_element_; }
    std::string_view bad_value() const noexcept { return bad_value_; }  // the line holding it
    std::string_view problem() const noexcept { return problem_; }      // static text

private:
    void fail(std::string_view element, std::string_view value, std::string_view problem) noexcept;

    std::size_t elements_ = 0;
    bool star_ = false;
    std::string_view star_value_;
    std::string_view bad_element_;
    std::string_view bad_value_;
    std::string_view problem_;
};

// Calls on_tag(EntityTag) for every entity-tag of one field value that EntityTagListReader
// accepted as part of a `tags` list; stops when on_tag returns false. Returns false when
// stopped.
template <class OnTag>
bool for_each_entity_tag(std::string_view value, OnTag&& on_tag) {
    std::size_t i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (c == ' ' || c == '\t' || c == ',') {
            ++i;
            continue;
        }
        EntityTag tag;
        const std::size_t end = entity_tag_end(value, i, &tag);
        if (end == std::string_view::npos) return true;  // not a tags list: nothing to call
        if (!on_tag(tag)) return false;
        i = end;
    }
    return true;
}

// The ETag of a head when it has exactly one ETag line holding a valid entity-tag (RFC 9110
// §5.3: the comparisons only run on a singleton that is one line).
std::optional<EntityTag> single_entity_tag(const RawHead& head) noexcept;

// All lines of an If-Match / If-None-Match field of a request head, read as one list.
EntityTagListReader read_entity_tag_list(const RawHead& head, KnownField field) noexcept;

// Whether some entity-tag listed in the field (a `tags` list) weakly matches `tag`.
bool list_weakly_matches(const RawHead& head, KnownField field, const EntityTag& tag) noexcept;

}  // namespace cproxy::check

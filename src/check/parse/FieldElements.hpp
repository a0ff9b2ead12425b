#pragma once
// Reading list fields over all their lines (RFC 9110 §5.6.1: lines joined with ", ", empty
// elements ignored) and describing a singleton sent on several lines. Allocation-free except
// for the message, which is only built when a finding is emitted.
#include <string>

#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {

// Calls on_element(line, element) for every non-empty, OWS-trimmed element of `field` over all
// its lines, until it returns false. Returns how many elements it visited.
template <class OnElement>
std::size_t for_each_element(const RawHead& head, KnownField field, OnElement&& on_element) {
    std::size_t visited = 0;
    bool go_on = true;
    head.for_each(field, [&](const FieldLine& line) {
        if (!go_on) return;
        grammar::for_each_list_element(line.value, [&](std::string_view element) {
            if (element.empty()) return true;
            ++visited;
            go_on = on_element(line, element);
            return go_on;
        });
    });
    return visited;
}

// Whether some non-empty element of `field` (all lines) satisfies pred(element).
template <class Pred>
bool any_element(const RawHead& head, KnownField field, Pred&& pred) {
    bool found = false;
    for_each_element(head, field, [&](const FieldLine&, std::string_view element) {
        found = pred(element);
        return !found;
    });
    return found;
}

// "<Field> is sent on 2 lines (the first is "<value>")<advice>"
inline std::string sent_on_lines(std::string_view field, std::size_t lines, const FieldLine& first,
                                 std::string_view advice) {
    return message::concat({field, " is sent on ", std::to_string(lines), " lines (the first is ",
                            message::quote(first.value), ")", advice});
}

}  // namespace cproxy::check

#pragma once
// Link (RFC 8288 §3):
//   Link       = #link-value
//   link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
//   link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
// Members split at commas outside "<...>" and quoted-strings (`</a,b>`, `title="a, b"`).
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check {

struct LinkParam {
    std::string_view name;   // as written (compare case-insensitively)
    std::string_view value;  // token, or quoted-string with its DQUOTEs; empty when no "="
};
using LinkParams = InlineVector<LinkParam, 8>;

struct LinkValueParse {
    std::string_view target;   // the URI-Reference between "<" and ">"
    std::string_view problem;  // empty when the member matched link-value
    bool ok() const noexcept { return problem.empty(); }
};

// One member (OWS already trimmed); fills `params` with the parameters read before any error.
LinkValueParse parse_link_value(std::string_view member, LinkParams& params) noexcept;

// Calls on_member(member) for every member of one Link field value, OWS trimmed, empty members
// included; stops when on_member returns false. An unterminated "<" or quoted-string makes the
// rest of the value one member.
template <class OnMember>
void for_each_link_member(std::string_view list, OnMember&& on_member) {
    std::size_t start = 0;
    std::size_t i = 0;
    while (i <= list.size()) {
        if (i == list.size() || list[i] == ',') {
            if (!on_member(grammar::trim_ows(list.substr(start, i - start)))) return;
            start = ++i;
        } else if (list[i] == '<') {
            const std::size_t close = list.find('>', i);
            i = close == grammar::npos ? list.size() : close + 1;
        } else if (list[i] == '"') {
            const std::size_t end = grammar::quoted_string_end(list, i);
            i = end == grammar::npos ? list.size() : end;
        } else {
            ++i;
        }
    }
}

}  // namespace cproxy::check

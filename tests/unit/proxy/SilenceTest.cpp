// Conformance-Silence: ids parsed from one or more field values, unknown ids kept for the
// report, and only the named rules' findings set aside.
#include <doctest/doctest.h>

#include "conformance_proxy/check/rule.hpp"
#include "proxy/Silence.hpp"

using namespace cproxy;
using namespace cproxy::proxy;

namespace {

check::Finding finding(std::string_view id) {
    const auto* rule = check::find_rule(id);
    REQUIRE(rule);
    return check::Finding{rule, rule->level, "m"};
}

}  // namespace

TEST_CASE("silence: a list of ids across field lines; unknown ids kept, known ones once") {
    Silence silence;
    silence.add(" 405-missing-allow ,date-missing,,\t");
    silence.add("405-missing-allow, 405-mising-allow");
    REQUIRE(silence.rules.size() == 2);
    CHECK(silence.rules[0]->id == "405-missing-allow");
    CHECK(silence.rules[1]->id == "date-missing");
    CHECK(silence.unknown_ids == std::vector<std::string>{"405-mising-allow"});
    Silence empty;
    empty.add(" , ");
    CHECK(empty.empty());
}

TEST_CASE("silence: only the named rules' findings step aside, in order, and again is a no-op") {
    Silence silence;
    silence.add("date-missing");
    check::Findings findings{finding("405-missing-allow"), finding("date-missing"), finding("401-missing-www-authenticate")};
    check::Findings silenced;
    silence.set_aside(findings, silenced);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].rule->id == "405-missing-allow");
    CHECK(findings[1].rule->id == "401-missing-www-authenticate");
    REQUIRE(silenced.size() == 1);
    CHECK(silenced[0].rule->id == "date-missing");
    silence.set_aside(findings, silenced);
    CHECK(findings.size() == 2);
    CHECK(silenced.size() == 1);
    // Ids are exact: a different case names no rule.
    Silence cased;
    cased.add("DATE-MISSING");
    CHECK(cased.rules.empty());
    CHECK(cased.unknown_ids.size() == 1);
}

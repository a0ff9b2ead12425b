#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "CheckTestSupport.hpp"
#include "conformance_proxy/check/rule.hpp"

using namespace cproxy::check;

namespace {

struct CatalogueRow {
    std::string id;
    std::string level;
    std::string reference;
    std::string section;  // the "## " heading the row stands under
};

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(' ');
    const auto last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// Rule rows look like "| `id` | when | requirement | level | reference |". The "when" text may
// itself contain '|', so level and reference are taken from the end.
std::vector<CatalogueRow> read_catalogue(std::istream& in) {
    std::vector<CatalogueRow> rows;
    std::string line;
    std::string section;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) section = line.substr(3);
        if (line.rfind("| `", 0) != 0) continue;
        std::vector<std::string> cells;
        std::stringstream cells_in(line);
        std::string cell;
        while (std::getline(cells_in, cell, '|')) cells.push_back(trim(cell));
        // cells: "", id, when..., requirement, level, reference
        REQUIRE(cells.size() >= 6);
        std::string id = cells[1];
        REQUIRE(id.size() > 2);
        id = id.substr(1, id.size() - 2);
        rows.push_back({id, cells[cells.size() - 2], cells[cells.size() - 1], section});
    }
    return rows;
}

std::vector<CatalogueRow> read_shared(const std::string& name) {
    const char* source_dir = std::getenv("CPROXY_SOURCE_DIR");
    const std::string path = std::string(source_dir ? source_dir : ".") + "/../shared/" + name;
    std::ifstream in(path);
    if (!in) return {};
    return read_catalogue(in);
}

}  // namespace

// RULES.md and RULES-v2.md are the specification this registry implements: every v1 rule is
// registered, every registered rule is in one of them with the same level and reference, and a
// v2 section is either untouched or complete (so a half-done subject cannot pass unnoticed).
TEST_CASE("the registry matches RULES.md and the implemented sections of RULES-v2.md") {
    const auto v1 = read_shared("RULES.md");
    const auto v2 = read_shared("RULES-v2.md");
    if (v1.empty()) {
        MESSAGE("skipped: ../shared/RULES.md not found (set CPROXY_SOURCE_DIR)");
        return;
    }
    REQUIRE(v1.size() >= 30);
    std::map<std::string, CatalogueRow> catalogue;
    for (const auto& row : v1) catalogue[row.id] = row;
    for (const auto& row : v2) {
        CAPTURE(row.id);
        CHECK(catalogue.count(row.id) == 0);  // an id is defined once across both files
        catalogue[row.id] = row;
    }
    for (const auto& row : v1) {
        CAPTURE(row.id);
        CHECK(find_rule(row.id) != nullptr);
    }
    std::set<std::string> implemented_sections;
    for (const Rule* rule : all_rules()) {
        CAPTURE(rule->id);
        const auto row = catalogue.find(std::string(rule->id));
        REQUIRE(row != catalogue.end());
        CHECK(to_string(rule->level) == row->second.level);
        CHECK(rule->reference == row->second.reference);
        implemented_sections.insert(row->second.section);
    }
    for (const auto& row : v2) {
        if (!implemented_sections.count(row.section)) continue;
        CAPTURE(row.section);
        CAPTURE(row.id);
        CHECK(find_rule(row.id) != nullptr);
    }
}

TEST_CASE("registry basics") {
    const auto rules = all_rules();
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        CAPTURE(rules[i]->id);
        CHECK(rules[i]->index == i);
        CHECK_FALSE(rules[i]->summary.empty());
        CHECK_FALSE(rules[i]->subject.empty());
        CHECK(ids.insert(rules[i]->id).second);
        CHECK(find_rule(rules[i]->id) == rules[i]);
    }
    CHECK(find_rule("no-such-rule") == nullptr);
    CHECK(find_rule("405-missing-allow")->reference == "RFC 9110 §15.5.6");
}

TEST_CASE("levels") {
    for (Level level : {Level::info, Level::warning, Level::error})
        CHECK(parse_level(to_string(level)) == level);
    CHECK_FALSE(parse_level("fatal"));
    CHECK_FALSE(parse_level("Error"));
}

TEST_CASE("RulePolicy re-levels and disables rules") {
    using namespace cproxy::check::test;
    const std::string head = "HTTP/1.1 405 Method Not Allowed\nContent-Length: 0\n";
    const Rule& missing_allow = *find_rule("405-missing-allow");
    const Rule& date_missing = *find_rule("date-missing");

    RulePolicy policy;
    CHECK(policy.level(missing_allow) == Level::error);
    policy.set_level(missing_allow, Level::info);
    policy.disable(date_missing);
    CHECK_FALSE(policy.enabled(date_missing));

    const auto findings = check_head(head, request("DELETE", "/x"), Checker{policy});
    CHECK_FINDING(findings, "405-missing-allow", Level::info, "/x");
    CHECK_NO_FINDING(findings, "date-missing");
    // The default checker still reports both at their catalogue levels.
    const auto defaults = check_head(head, request("DELETE", "/x"));
    CHECK_FINDING(defaults, "405-missing-allow", Level::error, "/x");
    CHECK_FINDING(defaults, "date-missing", Level::warning, "405");
}

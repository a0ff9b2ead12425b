#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
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
};

std::string trim(std::string text) {
    const auto first = text.find_first_not_of(' ');
    const auto last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// Rule rows of RULES.md look like "| `id` | when | requirement | level | reference |". The
// "when" text may itself contain '|', so level and reference are taken from the end.
std::vector<CatalogueRow> read_catalogue(std::istream& in) {
    std::vector<CatalogueRow> rows;
    std::string line;
    while (std::getline(in, line)) {
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
        rows.push_back({id, cells[cells.size() - 2], cells[cells.size() - 1]});
    }
    return rows;
}

}  // namespace

TEST_CASE("the registry matches RULES.md exactly") {
    const char* source_dir = std::getenv("CPROXY_SOURCE_DIR");
    const std::string path = std::string(source_dir ? source_dir : ".") + "/../shared/RULES.md";
    std::ifstream in(path);
    if (!in) {
        MESSAGE("skipped: ", path, " not found (set CPROXY_SOURCE_DIR)");
        return;
    }
    const auto rows = read_catalogue(in);
    REQUIRE(rows.size() >= 30);
    std::set<std::string> catalogue_ids;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const CatalogueRow& row = rows[i];
        CAPTURE(row.id);
        catalogue_ids.insert(row.id);
        const Rule* rule = find_rule(row.id);
        REQUIRE(rule != nullptr);
        CHECK(to_string(rule->level) == row.level);
        CHECK(rule->reference == row.reference);
        CHECK(rule->index == i);  // catalogue order
    }
    for (const Rule& rule : all_rules()) {
        CAPTURE(rule.id);
        CHECK(catalogue_ids.count(std::string(rule.id)) == 1);
    }
    CHECK(all_rules().size() == rows.size());
}

TEST_CASE("registry basics") {
    const auto rules = all_rules();
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        CAPTURE(rules[i].id);
        CHECK(rules[i].index == i);
        CHECK_FALSE(rules[i].summary.empty());
        CHECK(ids.insert(rules[i].id).second);
        CHECK(find_rule(rules[i].id) == &rules[i]);
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

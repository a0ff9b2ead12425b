// The catalogue users read: docs/rules.md is exactly what `rules --format markdown` prints, and
// the JSON form lists every registered rule with the members scripts rely on.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/report/RuleCatalogue.hpp"

using namespace cproxy;

TEST_CASE("docs/rules.md is the current markdown catalogue") {
    const char* source_dir = std::getenv("CPROXY_SOURCE_DIR");
    REQUIRE(source_dir != nullptr);
    std::ifstream in(std::string(source_dir) + "/docs/rules.md", std::ios::binary);
    REQUIRE(in);
    std::stringstream committed;
    committed << in.rdbuf();
    CHECK_MESSAGE(committed.str() == report::rule_catalogue_markdown(),
                  "docs/rules.md is stale: build/conformance-proxy rules --format markdown > docs/rules.md");
}

TEST_CASE("the JSON catalogue lists every rule with its members, in registry order") {
    const auto json = boost::json::parse(report::rule_catalogue_json());
    const auto& rules = json.as_array();
    REQUIRE(rules.size() == check::all_rules().size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const check::Rule& rule = *check::all_rules()[i];
        const auto& entry = rules[i].as_object();
        CAPTURE(rule.id);
        CHECK(entry.at("id").as_string() == rule.id);
        CHECK(entry.at("level").as_string() == check::to_string(rule.level));
        CHECK(entry.at("reference").as_string() == rule.reference);
        CHECK(entry.at("summary").as_string() == rule.summary);
        CHECK(entry.at("subject").as_string() == rule.subject);
        CHECK(entry.at("about").as_string() == check::to_string(rule.side));
        CHECK(entry.at("reference_url").as_string() == check::reference_url(rule.reference));
    }
    CHECK(rules[0].as_object().at("reference_url").as_string().starts_with("https://www.rfc-editor.org/rfc/rfc"));
}

TEST_CASE("reference links name the section") {
    CHECK(check::reference_url("RFC 9110 §15.5.6") == "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6");
    CHECK(check::reference_url("RFC 9112 §6.1, §6.3") == "https://www.rfc-editor.org/rfc/rfc9112#section-6.1");
    CHECK(check::reference_url("RFC 9112 Appendix C.2.2") == "https://www.rfc-editor.org/rfc/rfc9112#appendix-C");
    CHECK(check::reference_url("Fetch, CORS protocol") == "https://fetch.spec.whatwg.org/");
    CHECK(check::reference_url("RFC 6585") == "https://www.rfc-editor.org/rfc/rfc6585");
    CHECK(check::reference_url("RFC 9110 §15.6.4, RFC 6585 §4") == "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
    CHECK(check::reference_url("RFC 8259 §11, §8.1") == "https://www.rfc-editor.org/rfc/rfc8259#section-11");
    CHECK(check::reference_url("something else") == "");
}

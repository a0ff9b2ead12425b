// The RFC 8941 parser: each top-level type, each bare item type and its limits, parameters,
// inner lists, and the whitespace and comma rules.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "check/parse/StructuredField.hpp"

using namespace cproxy::check;

namespace {

bool list_ok(std::string_view text) { return parse_sf_list(text).ok; }
bool dictionary_ok(std::string_view text) { return parse_sf_dictionary(text).ok; }
bool item_ok(std::string_view text) { return parse_sf_item(text).ok; }

SfBareItem item_of(std::string_view text) {
    SfBareItem item;
    const SfResult result = parse_sf_item(text, &item);
    INFO(text, ": ", result.error);
    REQUIRE(result.ok);
    return item;
}

}  // namespace

TEST_SUITE("structured-field") {
    TEST_CASE("integers") {
        CHECK(item_of("42").type == SfType::integer);
        CHECK(item_of("42").integer == 42);
        CHECK(item_of("-42").integer == -42);
        CHECK(item_of("0").integer == 0);
        CHECK(item_of("007").integer == 7);
        CHECK(item_of("999999999999999").integer == 999999999999999);  // 15 digits
        CHECK(item_of("-999999999999999").integer == -999999999999999);
        CHECK_FALSE(item_ok("1000000000000000"));  // 16 digits
        CHECK_FALSE(item_ok("-"));
        CHECK_FALSE(item_ok("- 1"));
        CHECK_FALSE(item_ok("+1"));
        CHECK_FALSE(item_ok("1e3"));  // "e3" is text after the item
        CHECK_FALSE(item_ok("30s"));
    }

    TEST_CASE("decimals") {
        CHECK(item_of("1.5").type == SfType::decimal);
        CHECK(item_of("-0.001").type == SfType::decimal);
        CHECK(item_of("123456789012.123").type == SfType::decimal);  // 12 + 3 digits
        CHECK_FALSE(item_ok("1234567890123.1"));  // 13 integer digits
        CHECK_FALSE(item_ok("1.1234"));           // 4 fraction digits
        CHECK_FALSE(item_ok("1."));
        CHECK_FALSE(item_ok("1.2.3"));
        CHECK_FALSE(item_ok(".5"));
    }

    TEST_CASE("strings") {
        CHECK(item_of("\"\"").type == SfType::string);
        CHECK(item_of("\"a b, c; d\"").text == "\"a b, c; d\"");
        CHECK(item_ok("\"say \\\"hi\\\" \\\\ bye\""));
        CHECK_FALSE(item_ok("\"a\\b\""));       // only \" and \\ escape
        CHECK_FALSE(item_ok("\"unterminated"));
        CHECK_FALSE(item_ok("\"trailing\\"));
        CHECK_FALSE(item_ok("\"tab\there\""));  // HTAB is not allowed in a String
        CHECK_FALSE(item_ok("\"caf\xc3\xa9\""));  // non-ASCII
        CHECK_FALSE(item_ok("'single'"));
    }

    TEST_CASE("tokens") {
        CHECK(item_of("same-origin").type == SfType::token);
        CHECK(item_of("*").type == SfType::token);
        CHECK(item_of("Same-Origin").text == "Same-Origin");  // tokens may hold uppercase
        CHECK(item_of("text/html").text == "text/html");
        CHECK(item_of("urn:ietf:x").text == "urn:ietf:x");
        CHECK(item_of("foo!#$%&'*+-.^_`|~").type == SfType::token);
        CHECK_FALSE(item_ok("-token"));  // a '-' starts a number
        CHECK_FALSE(item_ok("_token"));
        CHECK_FALSE(item_ok("a b"));
        CHECK_FALSE(item_ok("a,b"));
    }

    TEST_CASE("byte sequences") {
        CHECK(item_of(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:").type == SfType::byte_sequence);
        CHECK(item_ok("::"));
        CHECK(item_ok(":YQ:"));    // padding missing: parsers SHOULD NOT fail
        CHECK(item_ok(":YWI=:"));
        CHECK_FALSE(item_ok(":YQ"));      // unterminated
        CHECK_FALSE(item_ok(":Y Q=:"));
        CHECK_FALSE(item_ok(":YQ=a:"));   // '=' only at the end
        CHECK_FALSE(item_ok(":YQ=:"));    // padded but not a multiple of 4
        CHECK_FALSE(item_ok(":Y:"));      // one base64 character is no byte
        CHECK_FALSE(item_ok(":a-b_:"));   // base64url alphabet
    }

    TEST_CASE("booleans, dates and display strings") {
        CHECK(item_of("?1").boolean);
        CHECK_FALSE(item_of("?0").boolean);
        CHECK_FALSE(item_ok("?"));
        CHECK_FALSE(item_ok("?2"));
        CHECK_FALSE(item_ok("?true"));
        CHECK(item_of("@1659578233").type == SfType::date);
        CHECK(item_of("@-62135596800").integer == -62135596800);
        CHECK_FALSE(item_ok("@1.5"));
        CHECK_FALSE(item_ok("@"));
        CHECK(item_of("%\"caf%c3%a9\"").type == SfType::display_string);
        CHECK_FALSE(item_ok("%\"caf%C3%A9\""));  // uppercase hex
        CHECK_FALSE(item_ok("%\"x%c\""));
        CHECK_FALSE(item_ok("%plain"));
        CHECK_FALSE(item_ok("<x>"));
    }

    TEST_CASE("items and parameters") {
        std::string_view parameters;
        SfBareItem item;
        REQUIRE(parse_sf_item("same-origin; report-to=\"coop\";x;n=1.5", &item, &parameters).ok);
        CHECK(item.text == "same-origin");
        CHECK(parameters == "; report-to=\"coop\";x;n=1.5");
        std::vector<std::string> seen;
        for_each_sf_parameter(parameters, [&](std::string_view key, const SfBareItem& value) {
            seen.push_back(std::string(key) + "=" + std::string(value.text) +
                           (value.type == SfType::boolean ? "(bool)" : ""));
        });
        CHECK(seen == std::vector<std::string>{"report-to=\"coop\"", "x=(bool)", "n=1.5"});

        CHECK(item_ok("  token  "));        // leading and trailing SP are discarded
        CHECK(item_ok("a;*k=?0"));
        CHECK(item_ok("a;k_1.x-y*=1"));
        CHECK_FALSE(item_ok(""));
        CHECK_FALSE(item_ok("require-corp;"));  // ";" needs a key
        CHECK_FALSE(item_ok("a;Key=1"));        // keys are lowercase
        CHECK_FALSE(item_ok("a;1k=1"));
        CHECK_FALSE(item_ok("a ;k=1"));         // no space before ";"
        CHECK_FALSE(item_ok("a;k =1"));
        CHECK_FALSE(item_ok("a;k= 1"));
        CHECK_FALSE(item_ok("a;k="));
        CHECK_FALSE(item_ok("a, b"));           // a list is not an item
        CHECK_FALSE(item_ok("(a b)"));          // nor is an inner list
        CHECK(parse_sf_item("a, b").error == "a list where a single item is expected");
    }

    TEST_CASE("lists") {
        CHECK(list_ok(""));
        CHECK(list_ok("   "));
        CHECK(list_ok("a"));
        CHECK(list_ok("a, b,c ,\td"));
        CHECK(list_ok("ExampleCache; hit, \"Other Cache\"; fwd=uri-miss; stored"));
        CHECK(list_ok("(a b);p=1, (), ( a  \"b\" );q"));
        CHECK_FALSE(list_ok("a,"));
        CHECK_FALSE(list_ok("a, "));
        CHECK_FALSE(list_ok(",a"));
        CHECK_FALSE(list_ok("a,,b"));
        CHECK_FALSE(list_ok("a b"));
        CHECK(list_ok("a; b"));  // SP is allowed after ";"
        CHECK_FALSE(list_ok("ExampleCache hit"));
        CHECK_FALSE(list_ok("ExampleCache; hit; ttl=30s"));
        CHECK_FALSE(list_ok("ExampleCache;Hit"));
        CHECK_FALSE(list_ok("(a,b)"));
        CHECK_FALSE(list_ok("(a"));
        CHECK_FALSE(list_ok("(a b"));
        CHECK_FALSE(list_ok("(a)b"));
        CHECK_FALSE(list_ok("(a\tb)"));  // SP only inside an inner list

        std::vector<std::string> members;
        CHECK(parse_sf_list("tok;a=1, \"str\", 5, (x y);z",
                            [&](const SfMember& member) {
                                members.push_back(std::string(member.text) + "|" +
                                                  (member.inner_list ? "inner"
                                                                     : std::string(to_string(member.item.type))) +
                                                  "|" + std::string(member.parameters));
                            })
                  .ok);
        CHECK(members == std::vector<std::string>{"tok;a=1|a Token|;a=1", "\"str\"|a String|",
                                                  "5|an Integer|", "(x y);z|inner|;z"});
        const SfResult bad = parse_sf_list("a, b c");
        CHECK(bad.error_offset == 5);
        CHECK(bad.error == "members are separated by ','");
    }

    TEST_CASE("dictionaries") {
        CHECK(dictionary_ok(""));
        CHECK(dictionary_ok("max-age=600"));
        CHECK(dictionary_ok("max-age=600, no-store, private;x, stale-if-error=60"));
        CHECK(dictionary_ok("a=1, a=2"));  // a repeated key is valid, the last wins
        CHECK(dictionary_ok("a=(1 2);p, b=?0, c=\"x\", d=:YQ==:, e=1.5, f=tok"));
        CHECK_FALSE(dictionary_ok("Max-Age=600"));
        CHECK_FALSE(dictionary_ok("max-age = 600"));
        CHECK_FALSE(dictionary_ok("max-age= 600"));
        CHECK_FALSE(dictionary_ok("private=\"a\"b"));
        CHECK_FALSE(dictionary_ok("max-age=600,"));
        CHECK_FALSE(dictionary_ok("max-age=600;"));
        CHECK_FALSE(dictionary_ok("max-age=1.2345"));
        CHECK(dictionary_ok("a=1; b=2"));  // b=2 is a parameter of a (SP allowed after ";")
        CHECK(dictionary_ok("a=1;b=2"));
        CHECK_FALSE(dictionary_ok("a=1 ;b=2"));
        CHECK_FALSE(dictionary_ok("\"a\"=1"));

        std::vector<std::string> keys;
        CHECK(parse_sf_dictionary("max-age=600, no-store;p, x=(a)", [&](const SfMember& member) {
                  keys.push_back(std::string(member.key) + "=" +
                                 (member.inner_list ? std::string("(inner)") : std::string(member.item.text)));
              }).ok);
        CHECK(keys == std::vector<std::string>{"max-age=600", "no-store=", "x=(inner)"});
    }
}

#include <doctest/doctest.h>

#include <string>

#include "check/parse/EntityTag.hpp"

using namespace cproxy::check;

TEST_SUITE("entity tags") {
    TEST_CASE("parse_entity_tag") {
        const auto strong = parse_entity_tag("\"v1\"");
        REQUIRE(strong);
        CHECK_FALSE(strong->weak);
        CHECK(strong->opaque == "\"v1\"");
        const auto weak = parse_entity_tag("W/\"v1\"");
        REQUIRE(weak);
        CHECK(weak->weak);
        CHECK(weak->opaque == "\"v1\"");
        for (const char* good : {"\"\"", "W/\"\"", "\"a\\b\"", "\"a,b\"", "\"\\\"", "\"\x80\xff\"", "\"!#~\""})
            CHECK_MESSAGE(parse_entity_tag(good), good);
        for (const char* bad : {"", "v1", "w/\"v1\"", "W/ \"v1\"", "\"a b\"", "'a'", "*", "\"a\", \"b\"",
                                "\"a\tb\"", "\"a", "\"a\"b", "W/", "W\"a\"", " \"a\""})
            CHECK_FALSE_MESSAGE(parse_entity_tag(bad), bad);
    }

    TEST_CASE("comparison (RFC 9110 §8.8.3.2)") {
        const EntityTag w1{true, "\"1\""};
        const EntityTag w2{true, "\"2\""};
        const EntityTag s1{false, "\"1\""};
        CHECK_FALSE(strong_match(w1, w1));
        CHECK(weak_match(w1, w1));
        CHECK_FALSE(strong_match(w1, w2));
        CHECK_FALSE(weak_match(w1, w2));
        CHECK_FALSE(strong_match(w1, s1));
        CHECK(weak_match(w1, s1));
        CHECK(strong_match(s1, s1));
        CHECK_FALSE(weak_match(s1, EntityTag{false, "\"1 \""}));
    }

    TEST_CASE("EntityTagListReader") {
        using Kind = EntityTagListReader::Kind;
        const auto kind_of = [](std::initializer_list<std::string_view> lines) {
            EntityTagListReader reader;
            for (auto line : lines) reader.add(line);
            return reader.kind();
        };
        CHECK(kind_of({}) == Kind::empty);
        CHECK(kind_of({""}) == Kind::empty);
        CHECK(kind_of({" , ,"}) == Kind::empty);
        CHECK(kind_of({"*"}) == Kind::any);
        CHECK(kind_of({"", "*"}) == Kind::any);
        CHECK(kind_of({"\"a\""}) == Kind::tags);
        CHECK(kind_of({"\"a\",W/\"b\" ,  \"c,d\""}) == Kind::tags);
        CHECK(kind_of({"\"a\"", "W/\"b\""}) == Kind::tags);
        CHECK(kind_of({"\"a\\\", \"b\""}) == Kind::tags);  // the backslash is not an escape
        CHECK(kind_of({"*", "*"}) == Kind::invalid);
        CHECK(kind_of({"\"a\"", "*"}) == Kind::invalid);
        CHECK(kind_of({"*", "\"a\""}) == Kind::invalid);
        CHECK(kind_of({"\"a\" \"b\""}) == Kind::invalid);
        CHECK(kind_of({"\"a\"", "b"}) == Kind::invalid);

        EntityTagListReader reader;
        reader.add("\"a\", W/b , \"c\"");
        CHECK(reader.kind() == Kind::invalid);
        CHECK(reader.bad_element() == "W/b");
        CHECK(reader.bad_value() == "\"a\", W/b , \"c\"");
        CHECK(reader.problem() == "is not in double quotes");
    }

    TEST_CASE("for_each_entity_tag") {
        std::string seen;
        for_each_entity_tag(" \"a\" ,, W/\"b,c\",\"\"", [&](const EntityTag& tag) {
            seen += tag.weak ? "W" : "S";
            seen += tag.opaque;
            seen += ';';
            return true;
        });
        CHECK(seen == "S\"a\";W\"b,c\";S\"\";");
    }
}

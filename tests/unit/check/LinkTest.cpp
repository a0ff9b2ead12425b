#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "check/parse/Link.hpp"

using namespace cproxy::check;

namespace {
std::vector<std::string> members(std::string_view list) {
    std::vector<std::string> out;
    for_each_link_member(list, [&](std::string_view member) {
        out.emplace_back(member);
        return true;
    });
    return out;
}
bool valid(std::string_view member) {
    LinkParams params;
    return parse_link_value(member, params).ok();
}
}  // namespace

TEST_SUITE("link parser") {
    TEST_CASE("members split at commas outside <...> and quoted strings") {
        CHECK(members("</a,b>; rel=next, </c>; title=\"x, y; z\"") ==
              std::vector<std::string>{"</a,b>; rel=next", "</c>; title=\"x, y; z\""});
        CHECK(members(" , </a>; rel=a ,") == std::vector<std::string>{"", "</a>; rel=a", ""});
        CHECK(members("</a>; title=\"x\\\", y\"") == std::vector<std::string>{"</a>; title=\"x\\\", y\""});
        CHECK(members("</a>; rel=\"next, </b>") == std::vector<std::string>{"</a>; rel=\"next, </b>"});
    }
    TEST_CASE("valid link-values") {
        for (const char* member :
             {"<https://example.com/page2>; rel=next", "</a,b>;rel=\"next last\"", "<>; rel=self",
              "</style.css>; rel=preload; as=style; crossorigin", "</a> ; REL = next ; title=\"a, b; c\"",
              "</a>", "<urn:isbn:0451450523>; rel=\"cite-as\"",
              "</TheBook/chapter2>; rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel"}) {
            CAPTURE(member);
            CHECK(valid(member));
        }
        LinkParams params;
        const auto parsed = parse_link_value("</a>; rel = next; crossorigin; title=\"t\"", params);
        REQUIRE(parsed.ok());
        CHECK(parsed.target == "/a");
        REQUIRE(params.size() == 3);
        CHECK(params[0].name == "rel");
        CHECK(params[0].value == "next");
        CHECK(params[1].value.empty());
        CHECK(params[2].value == "\"t\"");
    }
    TEST_CASE("invalid link-values") {
        for (const char* member :
             {"https://example.com/page2; rel=next", "<https://example.com/page2> rel=next",
              "<https://example.com/page2>; rel=next page", "<https://example.com/a b>; rel=next",
              "</a>; rel=\"next", "</a", "</a>;", "</a>; =next", "</a>; rel=", "<http://[::1/>; rel=x",
              "</a>; rel=next;; title=x"}) {
            CAPTURE(member);
            CHECK_FALSE(valid(member));
        }
    }
}

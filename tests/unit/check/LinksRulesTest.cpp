#include <string>

#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string ok_with(std::string_view lines) {
    return string("HTTP/1.1 200 OK\n") + string(kDate) + "Content-Type: text/plain\n" + string(lines) +
           "Content-Length: 5\n";
}
}  // namespace

TEST_SUITE("links") {
    TEST_CASE("link-syntax") {
        for (const char* value :
             {"https://example.com/page2; rel=next", "<https://example.com/page2> rel=next",
              "<https://example.com/page2>; rel=next page", "<https://example.com/a b>; rel=next",
              "</a>; rel=\"next"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok_with(string("Link: ") + value + "\n")), "link-syntax", Level::error,
                          "Link \"");
        }
        CHECK_FINDING(check_head(ok_with("Link: <https://example.com/a b>; rel=next\n")), "link-syntax",
                      Level::error, "a raw space at offset 21");
        CHECK_FINDING(check_head(ok_with("Link: <https://example.com/page2> rel=next\n")), "link-syntax",
                      Level::error, "\">\" is not followed by");
        CHECK_FINDING(check_head(ok_with("Link: <https://example.com/page2>; rel=next page\n")), "link-syntax",
                      Level::error, "needs quoting");
        // The bad member is named; the good one beside it is still judged, and a malformed member
        // takes part in no other Link rule.
        const auto findings = check_head(ok_with("Link: </a>; rel=next, /b; title=x\n"));
        CHECK_FINDING(findings, "link-syntax", Level::error, "\"/b; title=x\"");
        CHECK_NO_FINDING(findings, "link-rel-missing");
    }

    TEST_CASE("link-rel-missing") {
        CHECK_FINDING(check_head(ok_with("Link: </style.css>; as=style\n")), "link-rel-missing", Level::error,
                      "\"</style.css>; as=style\"");
        CHECK_FINDING(check_head(ok_with("Link: <https://example.com/>; title=\"home\"\n")), "link-rel-missing",
                      Level::error, "title=\\\"home\\\"");
        CHECK_FINDING(check_head(ok_with("Link: </a>; rel=next\nLink: </b>; title=\"rel=next\"\n")),
                      "link-rel-missing", Level::error, "</b>");
    }

    TEST_CASE("link-param-repeated") {
        CHECK_FINDING(check_head(ok_with("Link: </a>; rel=next; rel=last\n")), "link-param-repeated",
                      Level::error, "\"rel\"");
        CHECK_FINDING(check_head(ok_with("Link: </a>; rel=next; Title=a; TITLE=b\n")), "link-param-repeated",
                      Level::error, "\"TITLE\"");
        CHECK_FINDING(check_head(ok_with("Link: </a>; rel=next; type=\"text/html\"; type=\"text/plain\"\n")),
                      "link-param-repeated", Level::error, "\"type\"");
        CHECK_NO_FINDING(check_head(ok_with("Link: </a>; rel=alternate; hreflang=de; hreflang=fr\n")),
                         "link-param-repeated");
        CHECK_NO_FINDING(check_head(ok_with("Link: </a>; rel=next; title=a; title*=UTF-8'de'b\n")),
                         "link-param-repeated");
        // The same rel on two different links is fine.
        CHECK_NO_FINDING(check_head(ok_with("Link: </a>; rel=next, </b>; rel=next\n")), "link-param-repeated");
    }

    TEST_CASE("clean Link values") {
        CHECK_CLEAN(check_head(ok_with("Link: <https://example.com/page2>; rel=\"next\", "
                                       "</a,b>; rel=prev; title=\"a, b; c\"\n")));
        CHECK_CLEAN(check_head(ok_with("Link: </style.css>; REL=preload; as=style; crossorigin\n"
                                       "Link: </font.woff2>; rel=preload; as=font; type=\"font/woff2\"\n")));
        CHECK_CLEAN(check_head(ok_with("Link: , </a>;rel=next ,\n")));
        CHECK_CLEAN(check_head(ok_with("Link: </a> ; rel = \"next last\" ; anchor=\"#x\"\n")));
        CHECK_CLEAN(check_head(ok_with("Link:\n")));
        // Interim responses are not judged by the v2 rules (RULES-v2.md, terms).
        CHECK_CLEAN(check_head("HTTP/1.1 103 Early Hints\nLink: </style.css>; as=style, /a\n"));
    }

    TEST_CASE("accept-patch-syntax") {
        for (const char* value : {"json-patch", "application/", "application/json-patch+json application/merge-patch+json",
                                  "text/plain;charset"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok_with(string("Accept-Patch: ") + value + "\n")), "accept-patch-syntax",
                          Level::error, string("\"") + value);
        }
        CHECK_FINDING(check_head(ok_with("Accept-Patch:\n")), "accept-patch-syntax", Level::error,
                      "no media type");
        CHECK_FINDING(check_head(ok_with("Accept-Patch: , \n")), "accept-patch-syntax", Level::error,
                      "no media type");
        CHECK_CLEAN(check_head(ok_with("Accept-Patch: application/json-patch+json, application/merge-patch+json\n")));
        CHECK_CLEAN(check_head(ok_with("Accept-Patch: text/example;charset=utf-8\n")));
        CHECK_CLEAN(check_head(ok_with("Accept-Patch: application/x;p=\"a, b\"\nAccept-Patch: application/y,\n")));
    }
}

#include <doctest/doctest.h>

#include "check/parse/ProductList.hpp"

using namespace cproxy::check;

TEST_SUITE("product list") {
    TEST_CASE("valid product lists") {
        for (const char* value : {"nginx", "nginx/1.25.3", "Apache/2.4.1 (Unix)", "a b c",
                                  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
                                  "curl/8.4.0", "a (nested (comment) \\( \\) x)", "a\t(tab)", "a (\xC3\xA9)",
                                  "a ()"}) {
            CAPTURE(value);
            CHECK(is_product_list(value));
        }
    }

    TEST_CASE("invalid product lists, with the reason and the offset") {
        struct Case {
            const char* value;
            std::size_t offset;
            const char* reason_part;
        };
        for (const Case& c : {Case{"", 0, "empty"}, Case{"(x) a", 0, "starts with a comment"},
                              Case{"Jetty(9)", 5, "no whitespace"}, Case{"Zope/(2.13)", 4, "not a token"},
                              Case{"a/b/c", 3, "second '/'"}, Case{"Foo/1.0 [x]", 8, "not allowed"},
                              Case{"a (b", 2, "unterminated"}, Case{"a (b\x01)", 2, "unterminated"},
                              Case{"a/", 1, "not a token"}, Case{"a,b", 1, "not allowed"},
                              Case{"a (b\\", 2, "unterminated"}}) {
            CAPTURE(c.value);
            const ProductListCheck result = check_product_list(c.value);
            CHECK_FALSE(result);
            CHECK(result.offset == c.offset);
            CHECK(result.reason.find(c.reason_part) != std::string_view::npos);
        }
    }

    TEST_CASE("comment_end") {
        CHECK(comment_end("(a) b", 0) == 3);
        CHECK(comment_end("x (a (b) c)", 2) == 11);
        CHECK(comment_end("(a \\) b)", 0) == 8);
        CHECK(comment_end("(a", 0) == std::string_view::npos);
        CHECK(comment_end("a", 0) == std::string_view::npos);
    }
}

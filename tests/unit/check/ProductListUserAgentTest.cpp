#include <doctest/doctest.h>

#include <string>

#include "check/parse/ProductList.hpp"

using cproxy::check::is_product_list;

// Field values reach the grammar OWS-trimmed (RawHead), so trailing whitespace is not judged here.
TEST_SUITE("product list grammar (User-Agent, Server)") {
    TEST_CASE("valid product lists") {
        for (const char* value : {
                 "curl/8.5.0",
                 "a",
                 "nginx",
                 "Apache/2.4.58 (Unix) OpenSSL/3.0.13",
                 "Jetty (9.4.z)",
                 "A B/1 C",
                 "A (x) (y)",
                 "A (nested (deeper (deepest)))",
                 "A (quoted \\( pair \\) and \\\\)",
                 "A (tab\there)",
                 "A\t\t(x)",
                 "A ()",
                 "A (caf\xC3\xA9 \xFF)",
                 "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
                 "!#$%&'*+-.^_`|~/1",
             }) {
            CAPTURE(value);
            CHECK(is_product_list(value));
        }
    }

    TEST_CASE("invalid product lists") {
        for (const char* value : {
                 "",
                 " curl/8",
                 "(bot)",
                 "Jetty(9.4.z)",
                 "Zope/(2.13)",
                 "Foo/1.0 [x]",
                 "a/b/c",
                 "Foo/",
                 "/1.0",
                 "A (unterminated",
                 "A (x))",
                 "A (x)B",
                 "A (bad \\",
                 "A (ctl \x01)",
                 "A,B",
                 "A \"quoted\"",
             }) {
            INFO("value: ", std::string(value));
            CHECK_FALSE(is_product_list(value));
        }
    }
}

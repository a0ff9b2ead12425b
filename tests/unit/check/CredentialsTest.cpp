#include <doctest/doctest.h>

#include "check/parse/Credentials.hpp"

using namespace cproxy::check;

TEST_SUITE("credentials parser") {
    TEST_CASE("parse_credentials") {
        const Credentials basic = parse_credentials("Basic  dXNlcjpwYXNz");
        CHECK(basic.problem == CredentialsProblem::none);
        CHECK(basic.scheme == "Basic");
        CHECK(basic.token68 == "dXNlcjpwYXNz");
        const Credentials digest = parse_credentials("Digest a=1, ,b=\"x, y\"");
        CHECK(digest.problem == CredentialsProblem::none);
        REQUIRE(digest.params.size() == 2);
        CHECK(digest.params[1].value == "\"x, y\"");
        CHECK(digest.params[1].quoted);
        CHECK(parse_credentials("Negotiate").problem == CredentialsProblem::none);
        CHECK(parse_credentials("").problem == CredentialsProblem::empty);
        CHECK(parse_credentials("\"x\"").problem == CredentialsProblem::no_auth_scheme);
        CHECK(parse_credentials("Basic:x").problem == CredentialsProblem::no_space_after_scheme);
        CHECK(parse_credentials("Token abc,def").problem == CredentialsProblem::bad_credentials);
        CHECK(nameable_auth_scheme("bearer") == "Bearer");
        CHECK(nameable_auth_scheme("3f9a0c1d2e").empty());
    }

    TEST_CASE("token68 wins over an auth-param reading; empty list elements are skipped") {
        CHECK(parse_credentials("Bearer abc=").token68 == "abc=");
        const Credentials params = parse_credentials("Newauth , a=b,");
        CHECK(params.problem == CredentialsProblem::none);
        CHECK(params.params.size() == 1);
        CHECK(parse_credentials("Bearer a=b c").problem == CredentialsProblem::bad_credentials);
        CHECK(parse_credentials("Bearer a=\"unterminated").problem == CredentialsProblem::bad_credentials);
    }
}

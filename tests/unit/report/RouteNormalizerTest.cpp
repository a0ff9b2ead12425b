#include <doctest/doctest.h>

#include "conformance_proxy/report/RouteNormalizer.hpp"

using cproxy::report::normalize_route;

TEST_SUITE("report.route") {
    TEST_CASE("numeric ids group into one route") {
        CHECK(normalize_route("/items/7") == "/items/{id}");
        CHECK(normalize_route("/items/8") == "/items/{id}");
        CHECK(normalize_route("/users/42/orders/1001") == "/users/{id}/orders/{id}");
        CHECK(normalize_route("/items/7.json") == "/items/{id}.json");
    }
    TEST_CASE("query and fragment are dropped") {
        CHECK(normalize_route("/search?q=secret&page=2") == "/search");
        CHECK(normalize_route("/items/7?x=1#top") == "/items/{id}");
        CHECK(normalize_route("/docs#intro") == "/docs");
    }
    TEST_CASE("uuids, long hex and opaque tokens are ids") {
        CHECK(normalize_route("/orders/123e4567-e89b-12d3-a456-426614174000") == "/orders/{id}");
        CHECK(normalize_route("/blobs/0123456789abcdef0123") == "/blobs/{id}");
        CHECK(normalize_route("/commits/da39a3ee5e6b4b0d3255bfef95601890afd80709") == "/commits/{id}");
        CHECK(normalize_route("/share/aGVsbG8gd29ybGQ9PT0xMjM0NQ") == "/share/{id}");
        CHECK(normalize_route("/sessions/01ARZ3NDEKTSV4RRFFQ69G5FAV") == "/sessions/{id}");
    }
    TEST_CASE("words, versions and short hex stay") {
        CHECK(normalize_route("/api/v1/items") == "/api/v1/items");
        CHECK(normalize_route("/cafe/beef") == "/cafe/beef");  // short hex words are words
        CHECK(normalize_route("/configuration-settings-page") == "/configuration-settings-page");
        CHECK(normalize_route("/deadbeef") == "/deadbeef");
    }
    TEST_CASE("root, empty and trailing slashes") {
        CHECK(normalize_route("/") == "/");
        CHECK(normalize_route("") == "/");
        CHECK(normalize_route("/items/") == "/items/");
        CHECK(normalize_route("/items//7") == "/items//{id}");
        CHECK(normalize_route("?x=1") == "/");
    }
    TEST_CASE("absolute form keeps the host and never the userinfo") {
        CHECK(normalize_route("http://example.com/items/7?x=1") == "example.com/items/{id}");
        CHECK(normalize_route("http://user:pw@example.com:8080/a/12") == "example.com:8080/a/{id}");
        CHECK(normalize_route("https://example.com") == "example.com/");
    }
    TEST_CASE("asterisk and authority form are kept") {
        CHECK(normalize_route("*") == "*");
        CHECK(normalize_route("example.com:443") == "example.com:443");
    }
    TEST_CASE("very long routes are capped") {
        const std::string longer = "/" + std::string(500, 'z');
        CHECK(normalize_route(longer).size() == 200);
    }
}

// The prober's pure parts: route sources, header parsing, and the probe plan (safe by default).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "conformance_proxy/probe/Probe.hpp"

using namespace cproxy::probe;

namespace {

bool has_method(const std::vector<ProbeRequest>& probes, std::string_view method) {
    return std::any_of(probes.begin(), probes.end(), [&](const ProbeRequest& p) { return p.method == method; });
}

bool has_field(const ProbeRequest& probe, std::string_view name) {
    return std::any_of(probe.fields.begin(), probe.fields.end(), [&](const HeaderField& f) { return f.name == name; });
}

}  // namespace

TEST_CASE("a plain route list: comments, blank lines, duplicates; a bad line is named") {
    const auto routes = routes_from_list("# the API\n/api/items\n\n  /api/items/7?x=1  \r\n/api/items\n", "r.txt");
    REQUIRE(routes.size() == 2);
    CHECK(routes[0] == "/api/items");
    CHECK(routes[1] == "/api/items/7?x=1");
    try {
        routes_from_list("/ok\napi/items\n", "r.txt");
        FAIL("expected an error");
    } catch (const ProbeInputError& e) {
        CHECK(std::string(e.what()).find("r.txt line 2") != std::string::npos);
    }
    CHECK_THROWS_AS(routes_from_list("http://other.example/x\n", "r.txt"), ProbeInputError);
}

TEST_CASE("HAR routes: only the upstream's origin, path and query") {
    const Upstream upstream{"http", "127.0.0.1", 3000};
    const std::string har = R"({"log":{"entries":[
        {"request":{"method":"GET","url":"http://127.0.0.1:3000/api/items?page=2#frag"}},
        {"request":{"method":"GET","url":"http://evil.example/steal"}},
        {"request":{"method":"GET","url":"http://127.0.0.1:3001/other-port"}},
        {"request":{"method":"POST","url":"http://127.0.0.1:3000/"}}]}})";
    const auto routes = routes_from_har(har, "a.har", upstream);
    REQUIRE(routes.size() == 2);
    CHECK(routes[0] == "/api/items?page=2");
    CHECK(routes[1] == "/");
    CHECK_THROWS_AS(routes_from_har("{\"log\":{}}", "a.har", upstream), ProbeInputError);
    CHECK_THROWS_AS(routes_from_har("not json", "a.har", upstream), ProbeInputError);
}

TEST_CASE("report.json and /routes.json routes") {
    const std::string report = R"({"rules":[{"id":"405-missing-allow","example":{"target":"/api/items/7"},
        "routes":[{"route":"/api/items/{id}","target":"/api/items/8"}]}],"routes":[]})";
    const auto from_report = routes_from_report(report, "report.json");
    REQUIRE(from_report.size() == 2);
    CHECK(from_report[1] == "/api/items/8");
    const std::string admin = R"({"routes":[{"route":"/api/items/{id}","example":"/api/items/7"},{"route":"/","example":"/"}]})";
    const auto from_admin = routes_from_admin(admin, "admin");
    REQUIRE(from_admin.size() == 2);
    CHECK(from_admin[0] == "/api/items/7");
    CHECK_THROWS_AS(routes_from_admin("{}", "admin"), ProbeInputError);
}

TEST_CASE("headers: 'Name: value'; a bad one is refused without quoting its value") {
    const auto field = parse_header_field("Authorization:  Bearer s3cret ", "--header");
    CHECK(field.name == "Authorization");
    CHECK(field.value == "Bearer s3cret");
    try {
        parse_header_field("Bad Name: s3cret", "--header");
        FAIL("expected an error");
    } catch (const ProbeInputError& e) {
        CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
    }
    const auto file = parse_header_file("# creds\nAuthorization: Basic YTpi\nCookie: s=1\n", "h.txt");
    CHECK(file.size() == 2);
}

TEST_CASE("the probe plan: safe by default, follow-ups from what the GET showed") {
    const std::vector<HeaderField> creds{{"Authorization", "Basic YTpi"}, {"X-Tenant", "7"}};
    const std::string head = "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                             "Content-Length: 5\r\n\r\n";
    const auto probes = follow_up_probes("/r", head, creds, false);
    CHECK(has_method(probes, "HEAD"));
    CHECK(has_method(probes, "OPTIONS"));
    CHECK(has_method(probes, "CONFORMANCE-PROBE"));
    for (const char* unsafe : {"PUT", "PATCH", "DELETE", "POST"}) CHECK_FALSE(has_method(probes, unsafe));
    const auto count_with = [&](std::string_view name) {
        return std::count_if(probes.begin(), probes.end(), [&](const ProbeRequest& p) { return has_field(p, name); });
    };
    CHECK(count_with("If-None-Match") == 1);
    CHECK(count_with("If-Modified-Since") == 1);
    CHECK(count_with("Range") == 2);
    // The unauthenticated repeat drops the credential but keeps the other fields.
    const auto without = std::find_if(probes.begin(), probes.end(), [](const ProbeRequest& p) {
        return p.method == "GET" && !has_field(p, "Authorization") && !has_field(p, "Range") &&
               !has_field(p, "If-None-Match") && !has_field(p, "If-Modified-Since");
    });
    REQUIRE(without != probes.end());
    CHECK(has_field(*without, "X-Tenant"));

    // No validators: no conditional or range probes; a 401 GET: no unauthenticated repeat.
    const auto plain = follow_up_probes("/p", "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", creds, false);
    CHECK(plain.size() == 3);
    CHECK(has_method(follow_up_probes("/p", "", {}, true), "DELETE"));
}

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "conformance_proxy/lint/lint_input.hpp"
#include "lint/ChunkedBody.hpp"

using namespace cproxy;
using namespace cproxy::lint;

namespace {

bool has_rule(const check::Findings& findings, std::string_view id) {
    for (const auto& finding : findings)
        if (finding.rule->id == id) return true;
    return false;
}

std::string ids_of(const check::Findings& findings) {
    std::string ids;
    for (const auto& finding : findings) ids += std::string(finding.rule->id) + " ";
    return ids;
}

check::Findings check_all(const LintExchange& exchange) {
    check::Findings findings;
    check_exchange(check::Checker{}, exchange, findings);
    return findings;
}

}  // namespace

TEST_SUITE("raw HTTP input") {
    TEST_CASE("a bare response") {
        const auto exchanges = load_lint_input(
            "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
            "Content-Length: 5\n\nhello\n",
            "resp.txt");
        REQUIRE(exchanges.size() == 1);
        CHECK(exchanges[0].method.empty());
        CHECK(exchanges[0].outcome.complete);
        CHECK(exchanges[0].label == "resp.txt response 1");
        CHECK(check_all(exchanges[0]).empty());
    }

    TEST_CASE("a request gives context") {
        const auto exchanges = load_lint_input(
            "DELETE /items/7 HTTP/1.1\r\nHost: example.com\r\n\r\n"
            "HTTP/1.1 405 Method Not Allowed\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Length: 0\r\n\r\n",
            "capture.http");
        REQUIRE(exchanges.size() == 1);
        CHECK(exchanges[0].method == "DELETE");
        CHECK(exchanges[0].target == "/items/7");
        const auto findings = check_all(exchanges[0]);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].message.find("/items/7") != std::string::npos);
    }

    TEST_CASE("a request with a body") {
        const auto exchanges = load_lint_input(
            "POST /x HTTP/1.1\nContent-Length: 4\n\nabcd\nHTTP/1.1 201 Created\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\nLocation: /x/1\nContent-Length: 0\n\n",
            "post.http");
        REQUIRE(exchanges.size() == 1);
        CHECK(exchanges[0].method == "POST");
        CHECK(check_all(exchanges[0]).empty());
    }

    TEST_CASE("a short body is content-length-mismatch") {
        const auto exchanges = load_lint_input(
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"
            "Content-Length: 100\r\n\r\nonly this",
            "short.txt");
        REQUIRE(exchanges.size() == 1);
        CHECK_FALSE(exchanges[0].outcome.complete);
        CHECK(has_rule(check_all(exchanges[0]), "content-length-mismatch"));
    }

    TEST_CASE("bytes after a 204 are no-content-status-has-body") {
        const auto exchanges = load_lint_input(
            "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhello", "204.txt");
        REQUIRE(exchanges.size() == 1);
        CHECK(exchanges[0].outcome.bytes_after_head == 5);
        CHECK(has_rule(check_all(exchanges[0]), "no-content-status-has-body"));
    }

    TEST_CASE("an editor's final newline after a 304 is not a body") {
        const auto exchanges = load_lint_input(
            "HTTP/1.1 304 Not Modified\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nETag: \"a\"\n\n\n", "304.txt");
        REQUIRE(exchanges.size() == 1);
        CHECK(check_all(exchanges[0]).empty());
    }

    TEST_CASE("HEAD response with Content-Length and no body") {
        const auto exchanges = load_lint_input(
            "HEAD /file HTTP/1.1\n\nHTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
            "Content-Type: text/plain\nContent-Length: 1234\n\n",
            "head.txt");
        REQUIRE(exchanges.size() == 1);
        INFO(ids_of(check_all(exchanges[0])));
        CHECK(check_all(exchanges[0]).empty());
    }

    TEST_CASE("1xx then the final response; chunked bodies") {
        const auto exchanges = load_lint_input(
            "HTTP/1.1 100 Continue\r\n\r\n"
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"
            "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "chunked.txt");
        REQUIRE(exchanges.size() == 2);
        CHECK(exchanges[0].raw_head == "HTTP/1.1 100 Continue\r\n\r\n");
        CHECK(exchanges[1].outcome.complete);
        CHECK(check_all(exchanges[0]).empty());
        CHECK(check_all(exchanges[1]).empty());
    }

    TEST_CASE("a chunked body that breaks off") {
        const auto exchanges = load_lint_input(
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n"
            "Transfer-Encoding: chunked\r\n\r\n10\r\nhello",
            "broken.txt");
        REQUIRE(exchanges.size() == 1);
        CHECK(has_rule(check_all(exchanges[0]), "content-length-mismatch"));
    }

    TEST_CASE("unparseable input names the file and the problem") {
        CHECK_THROWS_WITH_AS(load_lint_input("", "empty.txt"), "empty.txt: the input is empty", LintInputError);
        CHECK_THROWS_WITH_AS(load_lint_input("hello world\n", "notes.txt"),
                             doctest::Contains("notes.txt: line 1: expected a status line"), LintInputError);
        CHECK_THROWS_WITH_AS(load_lint_input("GET / HTTP/1.1\nHost: x\n", "req.txt"),
                             doctest::Contains("req.txt: the request head has no empty line"), LintInputError);
        CHECK_THROWS_WITH_AS(load_lint_input("GET / HTTP/1.1\n\nnot a response", "req.txt"),
                             doctest::Contains("\"not a response\""), LintInputError);
    }
}

TEST_CASE("scan_chunked_body") {
    CHECK(scan_chunked_body("0\r\n\r\n").complete);
    CHECK(scan_chunked_body("3\nabc\n0\n\nHTTP/1.1").length == 9);
    CHECK_FALSE(scan_chunked_body("zz\r\n").complete);
    CHECK_FALSE(scan_chunked_body("5\r\nabc").complete);
    CHECK_FALSE(scan_chunked_body("3\r\nabcX0\r\n\r\n").complete);
}

TEST_SUITE("HAR input") {
    TEST_CASE("a HAR file written by the test") {
        namespace json = boost::json;
        auto header = [](std::string_view name, std::string_view value) {
            return json::object{{"name", name}, {"value", value}};
        };
        auto entry = [](std::string_view method, std::string_view url, int status, std::string_view status_text,
                        json::array headers, int body_size) {
            return json::object{
                {"startedDateTime", "2026-11-21T10:00:00.000Z"},
                {"request", json::object{{"method", method}, {"url", url}, {"httpVersion", "HTTP/1.1"},
                                         {"headers", json::array{}}}},
                {"response", json::object{{"status", status},
                                          {"statusText", status_text},
                                          {"httpVersion", "HTTP/1.1"},
                                          {"headers", std::move(headers)},
                                          {"content", json::object{{"size", body_size}, {"mimeType", ""}}},
                                          {"bodySize", body_size}}}};
        };
        const std::string date = "Sun, 06 Nov 1994 08:49:37 GMT";
        json::array entries{
            entry("GET", "https://example.com/api/items?page=2", 200, "OK",
                  json::array{header("Date", date), header("Content-Type", "application/json"),
                              header("Content-Length", "13"), header("Set-Cookie", "a=1\nb=2")},
                  13),
            entry("DELETE", "https://example.com/items/7", 405, "Method Not Allowed",
                  json::array{header("Date", date), header("Content-Length", "0")}, 0),
            entry("GET", "https://example.com/blocked", 0, "", json::array{}, -1),
            entry("GET", "https://example.com/big", 200, "OK",
                  json::array{header("date", date), header("content-type", "text/plain"),
                              header("content-length", "1000"), header(":status", "200")},
                  10),
        };
        const json::object har{{"log", json::object{{"version", "1.2"},
                                                    {"creator", json::object{{"name", "test"}, {"version", "1"}}},
                                                    {"entries", std::move(entries)}}}};

        // Through a real file, as the lint command reads it.
        const auto path = std::filesystem::temp_directory_path() / "cproxy_lint_test.har";
        {
            std::ofstream out(path);
            out << "  \n" << json::serialize(har);
        }
        std::ifstream in(path);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::filesystem::remove(path);

        const auto exchanges = load_lint_input(text, "test.har");
        REQUIRE(exchanges.size() == 3);  // the status 0 entry got no response

        CHECK(exchanges[0].method == "GET");
        CHECK(exchanges[0].target == "/api/items?page=2");
        CHECK(exchanges[0].label == "test.har entry 1 (GET https://example.com/api/items?page=2)");
        CHECK(exchanges[0].raw_head.find("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n") != std::string::npos);
        CHECK(exchanges[0].raw_head.substr(0, 17) == "HTTP/1.1 200 OK\r\n");
        INFO(ids_of(check_all(exchanges[0])));
        CHECK(check_all(exchanges[0]).empty());

        const auto not_allowed = check_all(exchanges[1]);
        REQUIRE(not_allowed.size() == 1);
        CHECK(not_allowed[0].rule->id == "405-missing-allow");
        CHECK(not_allowed[0].message.find("/items/7") != std::string::npos);

        CHECK(exchanges[2].label == "test.har entry 4 (GET https://example.com/big)");
        CHECK(exchanges[2].raw_head.find(":status") == std::string::npos);
        CHECK_FALSE(exchanges[2].outcome.complete);
        CHECK(has_rule(check_all(exchanges[2]), "content-length-mismatch"));
    }

    TEST_CASE("broken HAR files name the file and the problem") {
        CHECK_THROWS_WITH_AS(load_lint_input("{\"log\": ", "a.har"),
                             doctest::Contains("a.har: not a valid HAR file"), LintInputError);
        CHECK_THROWS_WITH_AS(load_lint_input("{\"x\": 1}", "b.har"),
                             doctest::Contains("b.har: not a HAR file: no \"log\" object"), LintInputError);
        CHECK_THROWS_WITH_AS(load_lint_input("{\"log\": {\"entries\": 3}}", "c.har"),
                             doctest::Contains("log.entries"), LintInputError);
        CHECK_THROWS_WITH_AS(
            load_lint_input("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"/\"}, "
                            "\"response\": {\"statusText\": \"OK\"}}]}}",
                            "d.har"),
            "d.har: entry 1: response.status is missing or not a number", LintInputError);
        CHECK_THROWS_WITH_AS(
            load_lint_input("{\"log\": {\"entries\": [{\"request\": {\"url\": \"/\"}, "
                            "\"response\": {\"status\": 200}}]}}",
                            "e.har"),
            "e.har: entry 1: request.method is missing or not a string", LintInputError);
    }

    TEST_CASE("a number beyond int64 is an error, not undefined behaviour (fuzz/regressions/lint_har)") {
        for (const char* number : {"1e300", "-1.8446744073709551615e19"}) {
            const std::string status = std::string("{\"log\": {\"entries\": [{\"request\": {\"method\": "
                                                   "\"GET\", \"url\": \"/\"}, \"response\": {\"status\": ") +
                                       number + "}}]}}";
            CHECK_THROWS_WITH_AS(load_lint_input(status, "f.har"),
                                 "f.har: entry 1: response.status is out of range", LintInputError);
            const std::string size = std::string("{\"log\": {\"entries\": [{\"request\": {\"method\": "
                                                 "\"GET\", \"url\": \"/\"}, \"response\": {\"status\": 200, "
                                                 "\"bodySize\": ") +
                                     number + "}}]}}";
            CHECK_THROWS_WITH_AS(load_lint_input(size, "g.har"),
                                 "g.har: entry 1: bodySize is out of range", LintInputError);
        }
        // In range, a double still counts: HAR writers emit 200.0.
        CHECK(load_lint_input("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": "
                              "\"/\"}, \"response\": {\"status\": 200.0}}]}}",
                              "h.har")
                  .size() == 1);
    }
}

// The rules that read the request (its If-None-Match, Origin, ...) and the content rules run
// offline too: the request head and the de-chunked content reach the checker.
TEST_SUITE("request fields and content reach the checker") {
    TEST_CASE("raw capture: the whole request head, the first response only") {
        const auto exchanges = load_lint_input(
            "GET /items/7 HTTP/1.1\r\nHost: api.test\r\nIf-None-Match: \"v1\"\r\n\r\n"
            "HTTP/1.1 100 Continue\r\n\r\n"
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "capture.txt");
        REQUIRE(exchanges.size() == 2);
        const auto context = exchanges[1].request_context();
        CHECK(context.raw_head == "GET /items/7 HTTP/1.1\r\nHost: api.test\r\nIf-None-Match: \"v1\"\r\n\r\n");
        CHECK(exchanges[0].first_response_to_request);
        CHECK_FALSE(exchanges[1].first_response_to_request);
        CHECK(exchanges[1].content == "abcde");
        CHECK(exchanges[1].content_whole);
        CHECK(exchanges[1].trailer_section == "X-Trailer: 1\r\n");  // for trailer-forbidden-field
    }
    TEST_CASE("raw capture: content cut short is not whole") {
        const auto exchanges = load_lint_input("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "cut.txt");
        REQUIRE(exchanges.size() == 1);
        CHECK(exchanges[0].content == "abc");
        CHECK_FALSE(exchanges[0].content_whole);
        CHECK(exchanges[0].request_context().raw_head.empty());
    }
    TEST_CASE("a status line that breaks the grammar is still read as one") {
        for (const char* capture : {"http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "ICY 200 OK\r\nContent-Length: 0\r\n\r\n",
                                    "HTTP/2 200\r\nContent-Length: 0\r\n\r\n"}) {
            CAPTURE(capture);
            const auto exchanges = load_lint_input(capture, "odd.txt");
            REQUIRE(exchanges.size() == 1);
            CHECK(exchanges[0].raw_head == capture);
        }
        CHECK_THROWS_AS(load_lint_input("GET / HTTP/1.1\r\n\r\nnot a response\r\n", "bad.txt"), LintInputError);
    }
    TEST_CASE("HAR: request headers and the response content text") {
        const auto exchanges = load_lint_input(R"({"log":{"entries":[{
            "request":{"method":"GET","url":"https://api.test/a?b=1","headers":[
                {"name":"Origin","value":"https://app.test"},{"name":":authority","value":"api.test"}]},
            "response":{"status":200,"statusText":"OK","headers":[{"name":"Content-Type","value":"application/json"}],
                "content":{"mimeType":"application/json","text":"{\"a\":1}"}}}]}})",
                                               "api.har");
        REQUIRE(exchanges.size() == 1);
        CHECK(exchanges[0].request_context().raw_head == "GET /a?b=1 HTTP/1.1\r\nOrigin: https://app.test\r\n\r\n");
        CHECK(exchanges[0].content == "{\"a\":1}");
        CHECK(exchanges[0].content_whole);
    }
}

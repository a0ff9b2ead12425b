#include <string>

#include "ContentTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string response(std::string_view status_line, std::string_view content_type, std::size_t length,
                std::string_view more = "") {
    return string(status_line) + "\n" + string(kDate) + "Content-Type: " + string(content_type) + "\n" +
           string(more) + "Content-Length: " + std::to_string(length) + "\n";
}
Findings check_json(std::string_view content, std::string_view content_type = "application/json",
                    std::string_view status_line = "HTTP/1.1 200 OK", std::string_view more = "",
                    const RequestContext& context = request(), bool whole = true) {
    return check_with_content(response(status_line, content_type, content.size(), more), content, context,
                              whole);
}
Findings check_problem(std::string_view content, std::string_view status_line = "HTTP/1.1 404 Not Found") {
    return check_json(content, "application/problem+json", status_line);
}
}  // namespace

TEST_SUITE("json") {
    TEST_CASE("json-not-utf8") {
        CHECK_FINDING(check_json("{\"name\":\"caf\xE9\"}"), "json-not-utf8", Level::error, "offset 12 (octets E9 22 7D)");
        CHECK_FINDING(check_json("[\"\xC0\xAF\"]"), "json-not-utf8", Level::error, "C0 AF");   // overlong
        CHECK_FINDING(check_json("[\"\xED\xA0\x80\"]"), "json-not-utf8", Level::error, "ED A0 80"); // surrogate
        CHECK_FINDING(check_json("[\"\x80\"]", "application/vnd.api+json"), "json-not-utf8", Level::error,
                      "\"application/vnd.api+json\"");
        CHECK_FINDING(check_json(string("{\0\"\0a\0\"\0:\0001\0}\0", 14)), "json-not-utf8", Level::error,
                      "UTF-16");
        CHECK_FINDING(check_json(string("\xFF\xFE{\0}\0", 6)), "json-not-utf8", Level::error,
                      "offset 0 (octets FF FE 7B 00, a UTF-16 byte order mark)");
        CHECK_FINDING(check_json(string("\0\0\0[\0\0\0]", 8)), "json-not-utf8", Level::error, "UTF-32");
        CHECK_FINDING(check_json(string("1\0", 2)), "json-not-utf8", Level::error, "UTF-16");
        // A zero octet elsewhere is not an encoding: the text is just not JSON.
        const auto nul = check_json(string("{\"a\":\0}", 7));
        CHECK_NO_FINDING(nul, "json-not-utf8");
        CHECK_FINDING(nul, "json-invalid", Level::warning, "offset 5");
        // json-invalid stays quiet on text that is not UTF-8.
        CHECK_NO_FINDING(check_json("{\"name\":\"caf\xE9\",}"), "json-invalid");
        CHECK_CLEAN(check_json("{\"name\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}"));
        // Not a JSON type, or not judged: a Latin-1 text/plain body is none of these rules' business.
        CHECK_CLEAN(check_json("caf\xE9", "text/plain"));
    }

    TEST_CASE("json-bom") {
        const auto findings = check_json("\xEF\xBB\xBF{\"id\":7}");
        CHECK_FINDING(findings, "json-bom", Level::error, "EF BB BF");
        CHECK_NO_FINDING(findings, "json-invalid");  // one BOM is skipped before parsing
        const auto both = check_json("\xEF\xBB\xBF{\"id\":7,}");
        CHECK_FINDING(both, "json-bom", Level::error, "EF BB BF");
        CHECK_FINDING(both, "json-invalid", Level::warning, "offset 11");
        CHECK_CLEAN(check_json("[\"\xEF\xBB\xBF\"]"));  // a U+FEFF inside a string is data
    }

    TEST_CASE("json-invalid") {
        for (const char* text : {"{\"a\":1,}", "[1,2,]", "{'a':1}", "{\"a\":1 /* c */}", "[NaN]", "{a:1}",
                                 "[\"a\tb\"]", "{} {}", "{\"a\":", "[1] x", "", " ", "01", "tru", "{\"a\" 1}",
                                 "[\"\\x\"]", "\"\\ud800\\u00\""}) {
            CAPTURE(text);
            // An empty text is never judged (no content); the rest is not a JSON-text.
            if (string(text).empty()) {
                CHECK_CLEAN(check_json(text));
                continue;
            }
            CHECK_FINDING(check_json(text), "json-invalid", Level::warning, "is not valid JSON");
        }
        CHECK_FINDING(check_json("{\"items\":[1,2,]}"), "json-invalid", Level::warning, "offset 14");
        CHECK_FINDING(check_json("{} {}"), "json-invalid", Level::warning, "more follows");
        CHECK_FINDING(check_json("{\"a\":1}", "application/json; charset=utf-8",
                                 "HTTP/1.1 200 OK", "", request(), true),
                      "content-type-json-charset", Level::info, "charset");
    }

    TEST_CASE("valid JSON texts are clean") {
        for (const char* text :
             {"null", "\"ok\"", "42", "-0.5e-3", " \r\n\t{\"a\":[1,{\"b\":null}]} \n", "true", "[]", "{}",
              "\"\\ud800\"", "[\"\\uDC00x\", \"\\ud800\\u0041\"]", "\"\\ud83d\\ude00\"", "\"\\\\ud800\"",
              "1e400", "1e99999999999", "123456789012345678901234567890",
              "{\"a\":1,\"a\":2}", "[\"\\u0000\"]",
              "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"}) {
            CAPTURE(text);
            CHECK_CLEAN(check_json(text));
        }
    }

    TEST_CASE("content that is not judged") {
        const char* broken = "{\"a\":1,}";
        CHECK_CLEAN(check_json(broken, "text/plain"));
        CHECK_CLEAN(check_json(broken, "application/jsonx"));
        CHECK_CLEAN(check_json(broken, "application/json", "HTTP/1.1 200 OK", "", request("HEAD")));
        CHECK_CLEAN(check_json(broken, "application/json", "HTTP/1.1 200 OK", "", request(), false));  // a prefix
        CHECK_NO_FINDING(check_json(broken, "application/json", "HTTP/1.1 200 OK", "Content-Encoding: gzip\n"),
                         "json-invalid");  // (content-encoding-gzip-invalid says why)
        CHECK_CLEAN(check_json(broken, "application/json", "HTTP/1.1 200 OK", "Content-Encoding: br\n"));
        CHECK_CLEAN(check_json(broken, "application/json", "HTTP/1.1 206 Partial Content",
                               "Content-Range: bytes 0-7/20\n"));
        CHECK_FINDING(check_json(broken, "application/json", "HTTP/1.1 200 OK", "Content-Encoding: identity\n"),
                      "json-invalid", Level::warning, "offset 7");
        CHECK_FINDING(check_json(broken, "APPLICATION/Foo+JSON"), "json-invalid", Level::warning, "offset 7");
    }

    TEST_CASE("problem-not-object") {
        CHECK_FINDING(check_problem("\"error\""), "problem-not-object", Level::error, "a string");
        CHECK_FINDING(check_problem("[]"), "problem-not-object", Level::error, "an array");
        CHECK_FINDING(check_problem("null"), "problem-not-object", Level::error, "null");
        CHECK_FINDING(check_problem(" 404 "), "problem-not-object", Level::error, "a number");
        // Not valid JSON: json-invalid only.
        const auto invalid = check_problem("[1,]");
        CHECK_FINDING(invalid, "json-invalid", Level::warning, "offset 3");
        CHECK_NO_FINDING(invalid, "problem-not-object");
        CHECK_CLEAN(check_problem("{}"));
        CHECK_CLEAN(check_json("[]", "application/json"));  // only problem+json must be an object
    }

    TEST_CASE("problem-member-type") {
        CHECK_FINDING(check_problem("{\"status\":\"404\"}"), "problem-member-type", Level::error,
                      "\"status\" is a string, not a number");
        CHECK_FINDING(check_problem("{\"title\":null}"), "problem-member-type", Level::error,
                      "\"title\" is null, not a string");
        CHECK_FINDING(check_problem("{\"type\":42}"), "problem-member-type", Level::error, "\"type\" is a number");
        CHECK_FINDING(check_problem("{\"detail\":{\"x\":1}}"), "problem-member-type", Level::error, "an object");
        CHECK_FINDING(check_problem("{\"instance\":[\"/a\"]}"), "problem-member-type", Level::error, "an array");
        CHECK_FINDING(check_problem("{\"\\u0074itle\":false}"), "problem-member-type", Level::error, "a boolean");
        // Nested members, extension members and look-alike names are not judged.
        CHECK_CLEAN(check_problem("{\"type\":\"https://example.com/probs/out-of-credit\",\"title\":\"You do not "
                                  "have enough credit.\",\"status\":404,\"detail\":\"Balance 30, cost 50.\","
                                  "\"instance\":\"/account/12345/msgs/abc\",\"balance\":30,"
                                  "\"errors\":[{\"type\":1,\"status\":\"x\"}],\"Title\":1,\"statuses\":\"a\","
                                  "\"ext\":{\"title\":null}}"));
        CHECK_CLEAN(check_problem("{\"status\":404.0}"));
    }

    TEST_CASE("problem-status-mismatch") {
        CHECK_FINDING(check_problem("{\"title\":\"Invalid\",\"status\":400}", "HTTP/1.1 422 Unprocessable Content"),
                      "problem-status-mismatch", Level::error, "\"status\": 400 but the response status is 422");
        CHECK_FINDING(check_problem("{\"status\":4.04e2}", "HTTP/1.1 500 Internal Server Error"),
                      "problem-status-mismatch", Level::error, "4.04e2");
        CHECK_CLEAN(check_problem("{\"status\":404}"));
        CHECK_CLEAN(check_problem("{\"status\":4.04e2}"));
        CHECK_CLEAN(check_problem("{\"title\":\"x\"}", "HTTP/1.1 500 Internal Server Error"));
        // A string status is a type problem, not a mismatch.
        CHECK_NO_FINDING(check_problem("{\"status\":\"400\"}"), "problem-status-mismatch");
        // problem+json type only.
        CHECK_CLEAN(check_json("{\"status\":400}", "application/json", "HTTP/1.1 422 Unprocessable Content"));
    }
}

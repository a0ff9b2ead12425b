#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
string response(std::string_view status_line, std::string_view more) {
    return string(status_line) + "\n" + string(kDate) + string(more);
}

Findings check_body(std::string_view lines, const BodyOutcome& outcome,
                    const RequestContext& context = request()) {
    Findings findings;
    Checker{}.check_body(head_of(lines), context, outcome, findings);
    return findings;
}
}  // namespace

TEST_SUITE("framing") {
    TEST_CASE("clean framing") {
        SUBCASE("chunked") {
            CHECK_CLEAN(check_head(response("HTTP/1.1 200 OK",
                                            "Content-Type: text/plain\nTransfer-Encoding: chunked\n")));
        }
        SUBCASE("gzip, chunked") {
            CHECK_CLEAN(check_head(response("HTTP/1.1 200 OK",
                                            "Content-Type: text/plain\nTransfer-Encoding: gzip, chunked\n")));
        }
        SUBCASE("identical duplicate Content-Length lines") {
            CHECK_CLEAN(check_head(response("HTTP/1.1 200 OK",
                                            "Content-Type: text/plain\nContent-Length: 5\nContent-Length: 5\n")));
        }
        SUBCASE("HEAD with Content-Length and no body") {
            const string head = response("HTTP/1.1 200 OK", "Content-Type: text/plain\nContent-Length: 1234\n");
            CHECK_CLEAN(check_head(head, request("HEAD")));
            CHECK_CLEAN(check_body(head, BodyOutcome{false, 0}, request("HEAD")));
        }
        SUBCASE("304 with validators only") {
            CHECK_CLEAN(check_head(response("HTTP/1.1 304 Not Modified",
                                            "ETag: \"abc\"\nCache-Control: max-age=60\n")));
        }
        SUBCASE("304 with Content-Length describing the representation") {
            const string head = response("HTTP/1.1 304 Not Modified", "ETag: \"abc\"\nContent-Length: 1234\n");
            CHECK_CLEAN(check_head(head));
            CHECK_CLEAN(check_body(head, BodyOutcome{true, 0}));
        }
        SUBCASE("204 without framing fields") {
            CHECK_CLEAN(check_head(response("HTTP/1.1 204 No Content", "")));
        }
        SUBCASE("101 followed by the new protocol's bytes") {
            CHECK_CLEAN(check_body(response("HTTP/1.1 101 Switching Protocols",
                                            "Upgrade: websocket\nConnection: Upgrade\n"),
                                   BodyOutcome{true, 42}));
        }
        SUBCASE("complete body") {
            CHECK_CLEAN(check_body(response("HTTP/1.1 200 OK", "Content-Length: 5\n"), BodyOutcome{true, 0}));
        }
    }

    TEST_CASE("content-length-and-transfer-encoding") {
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK", "Content-Type: text/plain\nContent-Length: 5\n"
                                                             "Transfer-Encoding: chunked\n")),
                      "content-length-and-transfer-encoding", Level::error, "\"chunked\"");
    }

    TEST_CASE("content-length-invalid") {
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK", "Content-Type: text/plain\nContent-Length: 12abc\n")),
                      "content-length-invalid", Level::error, "\"12abc\"");
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK",
                                          "Content-Type: text/plain\nContent-Length: 5\nContent-Length: 6\n")),
                      "content-length-invalid", Level::error, "\"6\"");
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK", "Content-Type: text/plain\nContent-Length: 5, 5\n")),
                      "content-length-invalid", Level::error, "\"5, 5\"");
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK", "Content-Type: text/plain\nContent-Length: -1\n")),
                      "content-length-invalid", Level::error, "\"-1\"");
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK",
                                          "Content-Type: text/plain\nContent-Length: 99999999999999999999999\n")),
                      "content-length-invalid", Level::error, "99999999999999999999999");
    }

    TEST_CASE("content-length-mismatch") {
        CHECK_FINDING(check_body(response("HTTP/1.1 200 OK", "Content-Length: 100\n"), BodyOutcome{false, 0}),
                      "content-length-mismatch", Level::error, "100 bytes");
        CHECK_FINDING(check_body(response("HTTP/1.1 200 OK", "Transfer-Encoding: chunked\n"),
                                 BodyOutcome{false, 0}),
                      "content-length-mismatch", Level::error, "chunk");
    }

    TEST_CASE("transfer-encoding-chunked-not-last") {
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK", "Content-Type: text/plain\nTransfer-Encoding: gzip\n")),
                      "transfer-encoding-chunked-not-last", Level::warning, "\"gzip\"");
        CHECK_FINDING(check_head(response("HTTP/1.1 200 OK", "Content-Type: text/plain\n"
                                                             "Transfer-Encoding: chunked\nTransfer-Encoding: gzip\n")),
                      "transfer-encoding-chunked-not-last", Level::warning, "\"chunked\"");
    }

    TEST_CASE("no-content-status-has-body") {
        const auto announced = check_head(response("HTTP/1.1 204 No Content", "Content-Length: 5\n"));
        CHECK_FINDING(announced, "no-content-status-has-body", Level::error, "\"5\"");
        CHECK_FINDING(announced, "content-length-forbidden", Level::error, "\"5\"");

        CHECK_FINDING(check_head(response("HTTP/1.1 100 Continue", "Transfer-Encoding: chunked\n")),
                      "no-content-status-has-body", Level::error, "\"chunked\"");
        CHECK_FINDING(check_body(response("HTTP/1.1 304 Not Modified", "ETag: \"a\"\n"), BodyOutcome{true, 12}),
                      "no-content-status-has-body", Level::error, "12 bytes");
        CHECK_FINDING(check_body(response("HTTP/1.1 204 No Content", ""), BodyOutcome{true, 5}),
                      "no-content-status-has-body", Level::error, "5 bytes");
    }

    TEST_CASE("content-length-forbidden") {
        const auto findings = check_head(response("HTTP/1.1 204 No Content", "Content-Length: 0\n"));
        CHECK_FINDING(findings, "content-length-forbidden", Level::error, "\"0\"");
        CHECK_NO_FINDING(findings, "no-content-status-has-body");
    }

    TEST_CASE("transfer-encoding-forbidden") {
        CHECK_FINDING(check_head(response("HTTP/1.1 204 No Content", "Transfer-Encoding: chunked\n")),
                      "transfer-encoding-forbidden", Level::error, "\"chunked\"");
    }
}

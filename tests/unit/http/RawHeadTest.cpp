#include <doctest/doctest.h>

#include <string>

#include "conformance_proxy/http/RawHead.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/head_summary.hpp"

using namespace cproxy::check;
using namespace cproxy::http;

TEST_CASE("RawHead reads the status line and field lines as written") {
    const std::string raw =
        "HTTP/1.1 404 Not Found Here\r\ncontent-TYPE:  text/html \r\nX-A: 1\r\n  folded\r\nBad Name: x\r\n"
        "X-Ctl: a\x01z\r\n\r\nbody";
    const RawHead head(raw);
    CHECK(head.version() == "HTTP/1.1");
    CHECK(head.status_text() == "404");
    CHECK(head.status() == 404);
    CHECK(head.reason() == "Not Found Here");
    REQUIRE(head.field_count() == 4);
    CHECK(head.field(0).name == "content-TYPE");
    CHECK(head.field(0).value == "text/html");
    CHECK(head.field(0).known == KnownField::content_type);
    CHECK(head.first(KnownField::content_type) == &head.field(0));
    CHECK(head.field(1).has_obs_fold);
    CHECK(head.field(1).first_fold == "folded");
    CHECK_FALSE(head.field(2).name_is_token);
    CHECK(head.field(3).bad_char_offset == 1);
    CHECK(head.continuation_lines() == 1);
}

TEST_CASE("RawHead keeps each line as written and says how the head ends") {
    const std::string raw = "HTTP/1.1 200 OK\r\nConnection: close\r\nkeep-alive: 5\r\nTE: x\r\n\r\n";
    const RawHead head(raw);
    REQUIRE(head.field_count() == 3);
    CHECK(head.field(0).line == "Connection: close\r\n");
    CHECK(head.field(0).known == KnownField::connection);
    CHECK(head.field(1).known == KnownField::keep_alive);
    CHECK(head.field(2).known == KnownField::te);
    CHECK(head.all_lines_crlf());
    CHECK(head.ends_exactly());

    const RawHead bare_lf("HTTP/1.1 200 OK\r\nX-A: 1\n\r\n");
    CHECK(bare_lf.field(0).line == "X-A: 1\n");
    CHECK_FALSE(bare_lf.all_lines_crlf());
    CHECK(bare_lf.ends_exactly());
    CHECK_FALSE(RawHead("HTTP/1.1 200 OK\r\nX-A: 1\r\n").ends_exactly());           // no empty line
    CHECK_FALSE(RawHead("HTTP/1.1 200 OK\r\n\r\nmore").ends_exactly());             // bytes after it
    CHECK(classify_field_name("Proxy-Connection") == KnownField::proxy_connection);
    CHECK(classify_field_name("TRAILER") == KnownField::trailer);
    CHECK(classify_field_name("Content-Lengtx") == KnownField::other);
    CHECK(classify_field_name("Content_Length") == KnownField::other);
    CHECK(classify_field_name("WWW-Authenticate") == KnownField::www_authenticate);  // 16 bytes: two words
    CHECK(classify_field_name("WWW-Authenticatf") == KnownField::other);
}

TEST_CASE("RawHead status codes") {
    CHECK(RawHead("HTTP/1.1 600 X\r\n\r\n").status() == 600);
    CHECK_FALSE(RawHead("HTTP/1.1 600 X\r\n\r\n").status_valid());
    CHECK(RawHead("HTTP/1.1 099 X\r\n\r\n").status() == 99);
    CHECK(RawHead("HTTP/1.1 401.1 X\r\n\r\n").status() == -1);
    CHECK(RawHead("HTTP/1.1 20 X\r\n\r\n").status() == -1);
    CHECK(RawHead("HTTP/1.1 200\r\n\r\n").status() == 200);
    CHECK(RawHead("").status() == -1);
}

TEST_CASE("find_head_end") {
    CHECK(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody") == 25);
    CHECK(find_head_end("HTTP/1.1 200 OK\nA: b\n\nbody") == 22);
    CHECK(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n") == 0);
    CHECK(find_head_end("HTTP/1.1 200 OK\r\n\r\n") == 19);
}

TEST_CASE("summarize_head and body_framing") {
    const auto chunked = summarize_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
    CHECK(chunked.chunked);
    CHECK(body_framing(chunked, "GET") == BodyFraming::chunked);
    CHECK(body_framing(chunked, "HEAD") == BodyFraming::none);

    const auto sized = summarize_head("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n");
    CHECK(sized.content_length == 42);
    CHECK(body_framing(sized, "GET") == BodyFraming::content_length);

    CHECK(body_framing(summarize_head("HTTP/1.1 200 OK\r\nContent-Length: 4x\r\n\r\n"), "GET") ==
          BodyFraming::invalid);
    CHECK(body_framing(summarize_head("HTTP/1.1 200 OK\r\n\r\n"), "GET") == BodyFraming::until_close);
    CHECK(body_framing(summarize_head("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"), "GET") ==
          BodyFraming::none);
}

TEST_CASE("check_head returns the same summary as summarize_head") {
    const Checker checker;
    for (const char* raw : {"HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n",
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n",
                            "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n",
                            "HTTP/1.1 099 Odd\r\n\r\n", "garbage\n\n", "HTTP/1.0 204 No Content\n\n"}) {
        CAPTURE(raw);
        Findings findings;
        const auto checked = checker.check_head(raw, RequestContext{"GET", "/", true}, findings);
        const auto summary = summarize_head(raw);
        CHECK(checked.status == summary.status);
        CHECK(checked.status_valid == summary.status_valid);
        CHECK(checked.has_content_length == summary.has_content_length);
        CHECK(checked.content_length_valid == summary.content_length_valid);
        CHECK(checked.content_length == summary.content_length);
        CHECK(checked.has_transfer_encoding == summary.has_transfer_encoding);
        CHECK(checked.chunked == summary.chunked);
    }
    Findings findings;
    CHECK(checker.check_head("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", RequestContext{"GET", "/", true},
                             findings).content_length == 42);
}

TEST_CASE("rule_id_list") {
    Findings findings;
    findings.push_back(Finding{find_rule("date-missing"), Level::warning, "a"});
    findings.push_back(Finding{find_rule("obs-fold"), Level::error, "b"});
    findings.push_back(Finding{find_rule("date-missing"), Level::warning, "c"});
    CHECK(rule_id_list(findings) == "date-missing, obs-fold");
    CHECK(rule_id_list({}).empty());
}

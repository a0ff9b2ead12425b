#include <doctest/doctest.h>

#include <string>

#include "conformance_proxy/http/HttpGrammar.hpp"
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

// token_equals_lowercase compares in 8- and 4-byte blocks that may overlap at the end: at every
// length, a name must match each case variant and miss when any one byte differs.
TEST_CASE("token_equals_lowercase matches case variants and misses any changed byte, at every length") {
    const auto reference = [](std::string_view token, std::string_view lowercase) {
        if (token.size() != lowercase.size()) return false;
        for (std::size_t i = 0; i < token.size(); ++i)
            if ((token[i] | 0x20) != lowercase[i]) return false;
        return true;
    };
    const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghij";
    for (std::size_t size = 1; size <= 40; ++size) {
        const std::string lowercase = alphabet.substr(0, size);
        std::string upper = lowercase;
        for (char& c : upper)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 0x20);
        CAPTURE(size);
        CHECK(grammar::token_equals_lowercase(lowercase, lowercase));
        CHECK(grammar::token_equals_lowercase(upper, lowercase));
        CHECK_FALSE(grammar::token_equals_lowercase(upper + "a", lowercase));
        CHECK_FALSE(grammar::token_equals_lowercase(upper.substr(1), lowercase));
        for (std::size_t at = 0; at < size; ++at) {
            std::string changed = upper;
            changed[at] = '_';  // a tchar that no letter, digit or '-' becomes with 0x20
            CAPTURE(at);
            CHECK(grammar::token_equals_lowercase(changed, lowercase) == reference(changed, lowercase));
            CHECK_FALSE(grammar::token_equals_lowercase(changed, lowercase));
        }
    }
}

TEST_CASE("classify_field_name knows every field it names, in any case, and nothing else") {
    // Each known name, lower- and upper-case, and with its last letter changed.
    const std::pair<std::string_view, KnownField> names[] = {
        {"content-type", KnownField::content_type},     {"date", KnownField::date},
        {"etag", KnownField::etag},                     {"vary", KnownField::vary},
        {"host", KnownField::host},                     {"link", KnownField::link},
        {"if", KnownField::if_},                        {"te", KnownField::te},
        {"age", KnownField::age},                       {"via", KnownField::via},
        {"server", KnownField::server},                 {"cookie", KnownField::cookie},
        {"if-match", KnownField::if_match},             {"if-range", KnownField::if_range},
        {"access-control-allow-methods", KnownField::access_control_allow_methods},
        {"access-control-allow-headers", KnownField::access_control_allow_headers},
        {"access-control-request-method", KnownField::access_control_request_method},
        {"content-security-policy-report-only", KnownField::content_security_policy_report_only},
        {"cross-origin-embedder-policy-report-only", KnownField::cross_origin_embedder_policy_report_only},
        {"x-content-type-options", KnownField::x_content_type_options},
    };
    for (const auto& [name, field] : names) {
        std::string upper(name);
        for (char& c : upper)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 0x20);
        std::string changed(name);
        changed.back() = changed.back() == 'x' ? 'y' : 'x';
        CAPTURE(name);
        CHECK(classify_field_name(name) == field);
        CHECK(classify_field_name(upper) == field);
        CHECK(classify_field_name(changed) == KnownField::other);
    }
    CHECK(classify_field_name("") == KnownField::other);
    CHECK(classify_field_name("1f") == KnownField::other);
    CHECK(classify_field_name("@te") == KnownField::other);
    CHECK(classify_field_name("x-frame-options-and-then-some-more-text-here") == KnownField::other);
}

// A plain line (token name, colon, no control character, CRLF) is read in one pass, 16 bytes
// at a time; every other line goes the general way. A control character anywhere in a long
// value, a bare LF or a lone CR must still be seen wherever it falls in those 16-byte blocks.
TEST_CASE("RawHead finds what is wrong in a long value at every position") {
    const std::string clean(40, 'v');
    for (std::size_t at = 0; at < clean.size(); ++at) {
        for (const char bad : {'\x00', '\x01', '\x1f', '\x7f', '\r', '\n'}) {
            std::string value = clean;
            value[at] = bad;
            const std::string raw = "HTTP/1.1 200 OK\r\nX-Long: " + value + "\r\nX-B: 1\r\n\r\n";
            const RawHead head(raw);
            CAPTURE(at);
            CAPTURE(static_cast<int>(bad));
            if (bad == '\n') {  // the line ends there, without its CR: a bare LF
                REQUIRE(head.field_count() >= 1);
                CHECK(head.field(0).value == clean.substr(0, at));
                CHECK(head.field(0).line == "X-Long: " + clean.substr(0, at) + "\n");
                CHECK_FALSE(head.all_lines_crlf());
                continue;
            }
            REQUIRE(head.field_count() == 2);
            CHECK(head.field(0).bad_char_offset == at);
            CHECK(head.field(0).line == "X-Long: " + value + "\r\n");
            CHECK(head.field(1).value == "1");
            CHECK(head.all_lines_crlf());
        }
        std::string tabbed = clean;  // HTAB is allowed in a value
        tabbed[at] = '\t';
        const std::string raw = "HTTP/1.1 200 OK\r\nX-Long: " + tabbed + "\r\n\r\n";  // outlives the views
        const RawHead head(raw);
        REQUIRE(head.field_count() == 1);
        CHECK(head.field(0).bad_char_offset == FieldLine::no_bad_char);
        CHECK(head.field(0).value == grammar::trim_ows(tabbed));
    }
}

TEST_CASE("RawHead reads unusual but plain lines, and leaves the rest to the general path") {
    const std::string raw =
        "GET / HTTP/1.1\r\nHost:example.com\r\nX-Pad: \t a \t\r\nX-Obs: caf\xc3\xa9 \xff\r\nX-Empty:\r\n"
        "Bad Name: x\r\n: no name\r\nno-colon\r\nX-Last: 1";
    const RawHead head(raw, StartLine::request);
    REQUIRE(head.field_count() == 8);
    CHECK(head.field(0).value == "example.com");
    CHECK(head.field(0).known == KnownField::host);
    CHECK(head.field(1).value == "a");
    CHECK(head.field(2).value == "caf\xc3\xa9 \xff");  // obs-text is no control character
    CHECK(head.field(2).bad_char_offset == FieldLine::no_bad_char);
    CHECK(head.field(3).value.empty());
    CHECK_FALSE(head.field(4).name_is_token);  // a space before the colon
    CHECK_FALSE(head.field(5).name_is_token);  // no name at all
    CHECK_FALSE(head.field(6).has_colon);
    CHECK(head.field(7).value == "1");  // the last line, without its CRLF
    CHECK(head.field(7).line_number == 9);
    CHECK_FALSE(head.ends_exactly());
    CHECK(head.count(KnownField::host) == 1);
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

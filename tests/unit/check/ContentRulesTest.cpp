#include <string>

#include "ContentTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using std::string;

namespace {
// A 200 with Date, the given lines and a 5-octet body (text/plain unless the lines say).
string ok_with(std::string_view lines) {
    const bool typed = lines.find("Content-Type:") != std::string_view::npos;
    return string("HTTP/1.1 200 OK\n") + string(kDate) + (typed ? "" : "Content-Type: text/plain\n") +
           string(lines) + "Content-Length: 5\n";
}
}  // namespace

TEST_SUITE("content") {
    TEST_CASE("content-type-json-charset") {
        CHECK_FINDING(check_head(ok_with("Content-Type: application/json; charset=utf-8\n")),
                      "content-type-json-charset", Level::info, "\"application/json; charset=utf-8\"");
        CHECK_FINDING(check_head(ok_with("Content-Type: Application/JSON;CHARSET=\"UTF-8\"\n")),
                      "content-type-json-charset", Level::info, "CHARSET");
        CHECK_CLEAN(check_head(ok_with("Content-Type: application/json\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Type: application/json;\n")));
        // Another JSON type, a parameter merely containing "charset", a quoted "charset=".
        CHECK_CLEAN(check_head(ok_with("Content-Type: application/problem+json; charset=utf-8\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Type: application/json; xcharset=utf-8\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Type: application/json; profile=\"a;charset=b\"\n")));
        // An unparseable Content-Type belongs to content-type-syntax alone.
        CHECK_NO_FINDING(check_head(ok_with("Content-Type: application/json; charset\n")),
                         "content-type-json-charset");
    }

    TEST_CASE("content-type-html-missing-charset") {
        CHECK_FINDING(check_head(ok_with("Content-Type: text/html\n")),
                      "content-type-html-missing-charset", Level::info, "\"text/html\"");
        CHECK_FINDING(check_head(string("HTTP/1.1 200 OK\n") + string(kDate) +
                                 "Content-Type: TEXT/HTML; level=1\nTransfer-Encoding: chunked\n"),
                      "content-type-html-missing-charset", Level::info, "TEXT/HTML");
        CHECK_CLEAN(check_head(ok_with("Content-Type: text/html; charset=utf-8\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Type: text/html;Charset=\"windows-1252\"\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Type: text/plain\n")));
        // No content: HEAD, 304, Content-Length: 0.
        CHECK_CLEAN(check_head(ok_with("Content-Type: text/html\n"), request("HEAD")));
        // (a 304 with Content-Type draws 304-representation-metadata, an info of its own)
        CHECK_NO_FINDING(check_head(string("HTTP/1.1 304 Not Modified\n") + string(kDate) +
                                    "Content-Type: text/html\nContent-Length: 5\n"),
                         "content-type-html-missing-charset");
        CHECK_CLEAN(check_head(empty_response("HTTP/1.1 200 OK", "Content-Type: text/html\n")));
    }

    TEST_CASE("content-encoding-unregistered") {
        CHECK_FINDING(check_head(ok_with("Content-Encoding: utf-8\n")), "content-encoding-unregistered",
                      Level::warning, "\"utf-8\"");
        CHECK_FINDING(check_head(ok_with("Content-Encoding: chunked\n")), "content-encoding-unregistered",
                      Level::warning, "Transfer-Encoding");
        CHECK_FINDING(check_head(ok_with("Content-Encoding: gzip\nContent-Encoding: lz4\n")),
                      "content-encoding-unregistered", Level::warning, "\"lz4\"");
        for (const char* coding : {"UTF8", "binary", "none", "text", "base64"}) {
            CAPTURE(coding);
            CHECK_FINDING(check_head(ok_with(string("Content-Encoding: ") + coding + "\n")),
                          "content-encoding-unregistered", Level::warning, coding);
        }
        CHECK_CLEAN(check_head(ok_with("Content-Encoding: GZIP, br\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Encoding: aes128gcm, deflate, zstd, x-gzip, x-compress, "
                                       "compress, pack200-gzip, exi, dcb, dcz\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Encoding: gzip,, br,\n")));
        CHECK_NO_FINDING(check_head(ok_with("Content-Encoding: identity\n")), "content-encoding-unregistered");
    }

    TEST_CASE("content-encoding-identity") {
        CHECK_FINDING(check_head(ok_with("Content-Encoding: Identity\n")), "content-encoding-identity",
                      Level::warning, "\"Identity\"");
        CHECK_FINDING(check_head(ok_with("Content-Encoding: gzip\nContent-Encoding: identity\n")),
                      "content-encoding-identity", Level::warning, "\"identity\"");
        CHECK_CLEAN(check_head(ok_with("Content-Encoding: gzip\n")));
    }

    TEST_CASE("content-encoding-gzip-invalid") {
        const string gzip = ok_with("Content-Type: text/plain\nContent-Encoding: gzip\n");
        CHECK_FINDING(check_with_content(gzip, "hello"), "content-encoding-gzip-invalid", Level::warning,
                      "starts with 68 65");
        CHECK_FINDING(check_with_content(ok_with("Content-Type: text/plain\nContent-Encoding: X-GZIP\n"), "\x1F\x8C"),
                      "content-encoding-gzip-invalid", Level::warning, "1F 8C");
        // A prefix cut at the limit: two octets are enough.
        CHECK_FINDING(check_with_content(gzip, "{\"a", request(), false), "content-encoding-gzip-invalid",
                      Level::warning, "7B 22");
        CHECK_FINDING(check_with_content(gzip, "\x1F", request(), true), "content-encoding-gzip-invalid",
                      Level::warning, "1F");
        // Clean: real gzip, a 1-octet prefix that may still be gzip, other codings, several
        // codings, 206, HEAD, 304, nothing inspected.
        CHECK_CLEAN(check_with_content(gzip, "\x1F\x8B\x08\x00"));
        CHECK_CLEAN(check_with_content(gzip, "\x1F", request(), false));
        CHECK_CLEAN(check_with_content(ok_with("Content-Type: text/plain\nContent-Encoding: br\n"), "hello"));
        CHECK_CLEAN(check_with_content(ok_with("Content-Type: text/plain\nContent-Encoding: gzip, br\n"), "hello"));
        CHECK_CLEAN(check_with_content(ok_with("Content-Type: text/plain\nContent-Encoding: gzip\nContent-Encoding: gzip\n"),
                                  "hello"));
        CHECK_CLEAN(check_with_content(string("HTTP/1.1 206 Partial Content\n") + string(kDate) +
                                      "Content-Type: text/plain\nContent-Encoding: gzip\n"
                                      "Content-Range: bytes 5-9/20\nContent-Length: 5\n",
                                  "hello", request("GET")));
        CHECK_CLEAN(check_with_content(gzip, "hello", request("HEAD")));
        CHECK_CLEAN(check_with_content(gzip, ""));
    }

    TEST_CASE("content-language-syntax") {
        for (const char* tag : {"en_US", "en-", "*", "en--US", "e", "toolonglang", "en-US-x", "fr;q=0.8"}) {
            CAPTURE(tag);
            CHECK_FINDING(check_head(ok_with(string("Content-Language: ") + tag + "\n")),
                          "content-language-syntax", Level::error, string("\"") + tag);
        }
        CHECK_FINDING(check_head(ok_with("Content-Language: en\nContent-Language: de, fr_FR\n")),
                      "content-language-syntax", Level::error, "\"fr_FR\"");
        CHECK_CLEAN(check_head(ok_with("Content-Language: en-US, DE-ch, zh-Hant-TW, i-klingon, x-pirate\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Language: mi,, en\nContent-Language: sgn-BE-FR\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Language:\n")));
    }

    TEST_CASE("content-disposition-syntax") {
        for (const char* value :
             {"attachment; filename=my file.pdf", "attachment filename=\"a.pdf\"", "filename=\"a.pdf\"",
              "attachment; filename", "attachment; filename*=\"UTF-8''a.pdf\"", "attachment; filename*=a%20b.pdf",
              "attachment; filename*=UTF-8''a b.pdf", "attachment; filename=\"a.pdf\";", ""}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok_with(string("Content-Disposition: ") + value + "\n")),
                          "content-disposition-syntax", Level::error, "Content-Disposition \"");
        }
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename=my file.pdf\n")),
                      "content-disposition-syntax", Level::error, "needs quoting");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment filename=\"a.pdf\"\n")),
                      "content-disposition-syntax", Level::error, "type is not followed by");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: filename=\"a.pdf\"\n")),
                      "content-disposition-syntax", Level::error, "not a disposition type");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename*=UTF-8''a b.pdf\n")),
                      "content-disposition-syntax", Level::error, "raw space");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename*=\"UTF-8''a.pdf\"\n")),
                      "content-disposition-syntax", Level::error, "never quoted");
        // A malformed value takes part in no other Content-Disposition rule.
        const auto findings = check_head(ok_with("Content-Disposition: attachment; filename=\"a\"; filename=\"b\";\n"));
        CHECK_NO_FINDING(findings, "content-disposition-param-repeated");
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: INLINE\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename=\"a;b, c.pdf\"\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment ; FileName = report.pdf\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename=\"euro rates.txt\"; "
                                       "filename*=utf-8'en'%e2%82%ac%20rates.txt\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename=\"say \\\"hi\\\".txt\"\n")));
    }

    TEST_CASE("content-disposition-param-repeated") {
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename=\"a.pdf\"; filename=\"b.pdf\"\n")),
                      "content-disposition-param-repeated", Level::error, "\"filename\"");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename=a.pdf; FILENAME=a.pdf\n")),
                      "content-disposition-param-repeated", Level::error, "\"FILENAME\"");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename*=UTF-8''a; Filename*=UTF-8''b\n")),
                      "content-disposition-param-repeated", Level::error, "Filename*");
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename=\"a.pdf\"; filename*=UTF-8''a.pdf\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: form-data; name=\"filename\"; filename=\"name\"\n")));
    }

    TEST_CASE("content-disposition-ext-value-not-utf8") {
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename*=ISO-8859-1''caf%E9.txt\n")),
                      "content-disposition-ext-value-not-utf8", Level::error, "\"ISO-8859-1''caf%E9.txt\"");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename*=UTF-8''caf%E9.txt\n")),
                      "content-disposition-ext-value-not-utf8", Level::error, "labelled UTF-8");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; title*=UTF-8''%C3\n")),
                      "content-disposition-ext-value-not-utf8", Level::error, "title*");
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename*=utf-8''caf%c3%a9.txt\n")));
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename*=UTF-8''%F0%9F%98%80.png\n")));
        // A Latin-1 filename in the plain parameter is not an ext-value.
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: attachment; filename=\"caf\xE9.txt\"\n")));
    }

    TEST_CASE("content-disposition-repeated") {
        CHECK_FINDING(check_head(ok_with("Content-Disposition: attachment; filename=\"a.pdf\"\n"
                                         "Content-Disposition: inline\n")),
                      "content-disposition-repeated", Level::error, "\"inline\"");
        CHECK_FINDING(check_head(ok_with("Content-Disposition: inline\nContent-Disposition: inline\n")),
                      "content-disposition-repeated", Level::error, "2 times");
        CHECK_CLEAN(check_head(ok_with("Content-Disposition: inline\n")));
    }

    TEST_CASE("content-location-syntax") {
        for (const char* value : {"/docs/my report.txt", "/a<b", "/a>", "/\"a\"", "/{x}", "/a|b", "/a\\b",
                                  "/a^b", "/a`b", "/caf\xC3\xA9", "/a%2", "/a%zz", "/a#b#c"}) {
            CAPTURE(value);
            CHECK_FINDING(check_head(ok_with(string("Content-Location: ") + value + "\n")),
                          "content-location-syntax", Level::error, "Content-Location \"");
        }
        CHECK_FINDING(check_head(ok_with("Content-Location: /a#b#c\n")), "content-location-syntax",
                      Level::error, "second \"#\"");
        CHECK_FINDING(check_head(ok_with("Content-Location: /a%2g\n")), "content-location-syntax",
                      Level::error, "two hex digits");
        CHECK_CLEAN(check_head("HTTP/1.1 103 Early Hints\nContent-Location: /a b\nContent-Language: en_US\n"));
        for (const char* value : {"", "/docs/report.txt", "https://example.com/a?b=c#d", "report.txt", "//h/p",
                                  "/a%20b", "?q=1", "#frag", "/a;b=c,d", "urn:isbn:0451450523"}) {
            CAPTURE(value);
            CHECK_CLEAN(check_head(ok_with(string("Content-Location: ") + value + "\n")));
        }
    }
}

#include <doctest/doctest.h>

#include <string>

#include "check/parse/ContentDisposition.hpp"
#include "check/parse/Utf8.hpp"

using namespace cproxy::check;

namespace {
ContentDispositionParse parse(std::string_view value, DispositionParams& params) {
    params.clear();
    return parse_content_disposition(value, params);
}
}  // namespace

TEST_SUITE("content disposition parser") {
    TEST_CASE("valid values") {
        DispositionParams params;
        for (const char* value :
             {"inline", "attachment", "ATTACHMENT", "attachment; filename=a.pdf",
              "attachment;filename=\"a;b, c.pdf\"", "attachment ; filename = \"a.pdf\"",
              "attachment; filename*=UTF-8''na%C3%AFve%20file.txt",
              "attachment; filename*=utf-8'en'a.pdf; filename=\"a.pdf\"",
              "attachment; filename*=ISO-8859-1''caf%E9.txt", "form-data; name=\"f\"; filename=\"x\\\"y\"",
              "attachment; filename*=UTF-8''", "attachment; foo*=UTF-8'de-CH'x"}) {
            CAPTURE(value);
            CHECK(parse(value, params).ok());
        }
        parse("attachment; filename=\"a.pdf\"; filename*=UTF-8''a.pdf", params);
        REQUIRE(params.size() == 2);
        CHECK(params[0].name == "filename");
        CHECK(params[0].value == "\"a.pdf\"");
        CHECK_FALSE(params[0].extended());
        CHECK(params[1].extended());
        CHECK(params[1].value == "UTF-8''a.pdf");
    }
    TEST_CASE("invalid values") {
        DispositionParams params;
        for (const char* value :
             {"", "attachment; filename=my file.pdf", "attachment filename=\"a.pdf\"", "filename=\"a.pdf\"",
              "attachment; filename", "attachment; filename*=\"UTF-8''a.pdf\"", "attachment; filename*=a%20b.pdf",
              "attachment; filename*=UTF-8''a b.pdf", "attachment;", "attachment; filename=\"a.pdf",
              "attachment; filename=", "attachment; filename*=UTF-8''a%2", "attachment; filename*=UTF-8'e_n'a",
              "attachment; filename*=''a", "\"attachment\"", "attachment; filename*=UTF-8'a.pdf"}) {
            CAPTURE(value);
            CHECK_FALSE(parse(value, params).ok());
        }
    }
    TEST_CASE("ext-value parts") {
        const ExtValueParse ext = parse_ext_value("UTF-8'en'%E2%82%AC%20rates");
        CHECK(ext.problem.empty());
        CHECK(ext.value.charset == "UTF-8");
        CHECK(ext.value.language == "en");
        CHECK(ext.value.value_chars == "%E2%82%AC%20rates");
    }
}

TEST_SUITE("utf-8") {
    TEST_CASE("valid text") {
        for (std::string text : {std::string(""), std::string("plain ASCII that is longer than eight"),
                                 std::string("caf\xC3\xA9"), std::string("\xE2\x82\xAC"),
                                 std::string("\xF0\x9F\x98\x80 and more ASCII after it"),
                                 std::string("\xED\x9F\xBF"), std::string("\xEE\x80\x80"),
                                 std::string("\xF4\x8F\xBF\xBF"), std::string("a\0b", 3)}) {
            CAPTURE(text);
            CHECK(first_invalid_utf8(text) == std::string_view::npos);
        }
    }
    TEST_CASE("invalid text, with the offset of the bad sequence") {
        CHECK(first_invalid_utf8("caf\xE9") == 3);                      // Latin-1
        CHECK(first_invalid_utf8("abcdefghij\x80") == 10);              // lone continuation
        CHECK(first_invalid_utf8("\xC0\xAF") == 0);                     // overlong "/"
        CHECK(first_invalid_utf8("\xC1\xBF") == 0);                     // overlong
        CHECK(first_invalid_utf8("\xE0\x80\xAF") == 0);                 // overlong 3-octet
        CHECK(first_invalid_utf8("\xF0\x80\x80\xAF") == 0);             // overlong 4-octet
        CHECK(first_invalid_utf8("x\xED\xA0\x80") == 1);                // surrogate D800
        CHECK(first_invalid_utf8("\xED\xBF\xBF") == 0);                 // surrogate DFFF
        CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0);             // above U+10FFFF
        CHECK(first_invalid_utf8("\xF5\x80\x80\x80") == 0);
        CHECK(first_invalid_utf8("\xFF\xFE{") == 0);                    // UTF-16 BOM
        CHECK(first_invalid_utf8("ok \xE2\x82") == 3);                  // cut short
        CHECK(first_invalid_utf8("\xC3\xA9\xC3") == 2);
    }
}

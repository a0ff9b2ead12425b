#include <doctest/doctest.h>

#include "check/parse/LanguageTag.hpp"

using cproxy::check::is_language_tag;

TEST_SUITE("language tag") {
    TEST_CASE("well-formed tags (RFC 5646 §2.1)") {
        for (const char* tag :
             {"en", "EN", "en-US", "en-us", "de-CH-1901", "zh-Hant-TW", "sr-Latn-RS", "es-419",
              "zh-yue-HK", "zh-cmn-Hans-CN", "sl-rozaj-biske", "hy-Latn-IT-arevela", "de-DE-u-co-phonebk",
              "en-a-bbb-x-a-ccc", "x-whatever", "X-private", "qaa-Qaaa-QM-x-southern", "en-US-x-twain",
              "i-klingon", "I-KLINGON", "en-GB-oed", "sgn-BE-FR", "zh-min-nan", "art-lojban",
              "abcd", "abcdefgh", "en-1994", "en-a-bc-b-de", "en-US-POSIX"}) {
            CAPTURE(tag);
            CHECK(is_language_tag(tag));
        }
    }
    TEST_CASE("malformed tags") {
        for (const char* tag :
             {"", "en_US", "en-", "-en", "*", "en--US", "e", "toolonglang", "abcdefghi", "en-US-x",
              "fr;q=0.8", "en-a", "en-a-b", "en-US-a-x-y", "x", "x-", "x-abcdefghi", "en-abc-def-ghi-jkl",
              "abcd-abc", "en-12", "en-US-US", "12", "en US", "i-nonsense", "en-x-", "en-US-ab"}) {
            CAPTURE(tag);
            CHECK_FALSE(is_language_tag(tag));
        }
    }
}

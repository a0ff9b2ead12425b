// Content metadata (RFC 9110 §8.3–§8.7): charset parameters, content codings, Content-Language
// (RFC 5646), Content-Disposition (RFC 6266, RFC 8187) and Content-Location.
#include <boost/url/parse.hpp>
#include <string>

#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/ContentDisposition.hpp"
#include "check/parse/LanguageTag.hpp"
#include "check/parse/Text.hpp"
#include "check/parse/UriReference.hpp"
#include "check/parse/Utf8.hpp"
#include "check/rules/ContentCommon.hpp"

namespace cproxy::check {
namespace {

constinit Rule content_type_json_charset{
    .id = "content-type-json-charset",
    .level = Level::info,
    .reference = "RFC 8259 §11, §8.1",
    .summary = "application/json with a charset parameter (none is defined; JSON is UTF-8)",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "Content-Type: application/json; charset=iso-8859-1\nContent-Length: 2\n\n{}",
};
constinit Rule content_type_html_missing_charset{
    .id = "content-type-html-missing-charset",
    .level = Level::info,
    .reference = "RFC 9110 §8.3.2; HTML, determining the character encoding",
    .summary = "text/html content without a charset parameter",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n"
               "Content-Length: 13\n\n<p>caf\xC3\xA9</p>!",
};
constinit Rule content_encoding_unregistered{
    .id = "content-encoding-unregistered",
    .level = Level::warning,
    .reference = "RFC 9110 §8.4, §8.4.1, §18.6",
    .summary = "Content-Encoding names a coding missing from the IANA registry",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Content-Encoding: utf-8\nContent-Length: 5\n\nhello",
};
constinit Rule content_encoding_identity{
    .id = "content-encoding-identity",
    .level = Level::warning,
    .reference = "RFC 9110 §8.4, §12.5.3",
    .summary = "Content-Encoding: identity (reserved for Accept-Encoding)",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Content-Encoding: identity\nContent-Length: 5\n\nhello",
};
constinit Rule content_encoding_gzip_invalid{
    .id = "content-encoding-gzip-invalid",
    .level = Level::warning,
    .reference = "RFC 9110 §8.4.1.3; RFC 1952 §2.3.1",
    .summary = "Content-Encoding: gzip on content that does not start with the gzip magic",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Content-Encoding: gzip\nContent-Length: 5\n\nhello",
};
constinit Rule content_language_syntax{
    .id = "content-language-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §8.5; RFC 5646 §2.1",
    .summary = "Content-Language element is not a well-formed language tag",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Content-Language: en_US\nContent-Length: 5\n\nhello",
};
constinit Rule content_disposition_syntax{
    .id = "content-disposition-syntax",
    .level = Level::error,
    .reference = "RFC 6266 §3, §4.1; RFC 8187 §3.2.1",
    .summary = "Content-Disposition does not match the RFC 6266 grammar",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/pdf\n"
               "Content-Disposition: attachment; filename=my file.pdf\nContent-Length: 5\n\n%PDF-",
};
constinit Rule content_disposition_param_repeated{
    .id = "content-disposition-param-repeated",
    .level = Level::error,
    .reference = "RFC 6266 §3, §4.1",
    .summary = "Content-Disposition repeats a parameter name",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/pdf\n"
               "Content-Disposition: attachment; filename=\"a.pdf\"; filename=\"b.pdf\"\n"
               "Content-Length: 5\n\n%PDF-",
};
constinit Rule content_disposition_ext_value_not_utf8{
    .id = "content-disposition-ext-value-not-utf8",
    .level = Level::error,
    .reference = "RFC 8187 §3.2.1; RFC 6266 §4.3",
    .summary = "Content-Disposition ext-value (filename*) that is not UTF-8",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Content-Disposition: attachment; filename*=ISO-8859-1''caf%E9.txt\n"
               "Content-Length: 5\n\nhello",
};
constinit Rule content_disposition_repeated{
    .id = "content-disposition-repeated",
    .level = Level::error,
    .reference = "RFC 9110 §5.3; RFC 6266 §4.1",
    .summary = "more than one Content-Disposition field line",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/pdf\n"
               "Content-Disposition: attachment; filename=\"a.pdf\"\n"
               "Content-Disposition: inline\nContent-Length: 5\n\n%PDF-",
};
constinit Rule content_location_syntax{
    .id = "content-location-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §8.7; RFC 3986 §4.1",
    .summary = "Content-Location is not a URI-reference",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Content-Location: /docs/my report.txt\nContent-Length: 5\n\nhello",
};

using message::concat;
using message::quote;

// The IANA HTTP Content Coding registry (RFC 9110 §18.6).
constexpr std::string_view registered_codings[] = {
    "aes128gcm", "br",       "compress", "dcb",          "dcz",        "deflate",  "exi",
    "gzip",      "identity", "pack200-gzip", "x-compress", "x-gzip", "zstd"};

bool is_registered_coding(std::string_view coding) noexcept {
    for (std::string_view registered : registered_codings)
        if (grammar::iequals(coding, registered)) return true;
    return false;
}

// What a client should be told instead of an unregistered coding.
std::string_view coding_advice(std::string_view coding) {
    if (grammar::iequals(coding, "chunked"))
        return "chunked is a transfer coding: send it in Transfer-Encoding, not Content-Encoding";
    if (grammar::iequals(coding, "utf-8") || grammar::iequals(coding, "utf8") ||
        grammar::iequals(coding, "binary") || grammar::iequals(coding, "text") ||
        grammar::iequals(coding, "none") || grammar::iequals(coding, "base64"))
        return "a character set or transfer form is not a content coding: drop Content-Encoding "
               "(put a charset in Content-Type)";
    return "use a registered coding (gzip, br, deflate, zstd) or drop Content-Encoding";
}

void check_content_type_parameters(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::content_type)) return;
    const std::optional<MediaType>& media_type = check.media_type();
    if (!media_type) return;
    const std::string_view value = head.first(KnownField::content_type)->value;
    if (grammar::iequals(media_type->type, "application") &&
        grammar::iequals(media_type->subtype, "json") &&
        has_media_type_parameter(media_type->parameters, "charset")) {
        check.sink.report(content_type_json_charset, [&] {
            return concat({"Content-Type ", quote(value),
                           " has a charset parameter, which application/json does not define "
                           "(JSON is always UTF-8) and recipients ignore; send Content-Type: "
                           "application/json"});
        });
    }
    if (grammar::iequals(media_type->type, "text") && grammar::iequals(media_type->subtype, "html") &&
        !has_media_type_parameter(media_type->parameters, "charset") &&
        !check.is_head_request() && head.status_valid() && !status_has_no_content(head.status())) {
        const Framing& framing = check.framing();
        const bool has_content = framing.has_transfer_encoding ||
                                 (framing.content_length_valid && framing.content_length > 0);
        if (!has_content) return;
        check.sink.report(content_type_html_missing_charset, [&] {
            return concat({"Content-Type ", quote(value),
                           " declares no charset, so the browser has to guess the encoding; "
                           "send Content-Type: text/html; charset=utf-8"});
        });
    }
}

void check_content_encoding(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::content_encoding, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view coding) {
            if (coding.empty()) return true;
            if (grammar::iequals(coding, "identity")) {
                check.sink.report(content_encoding_identity, [&] {
                    return concat({"Content-Encoding ", quote(line.value),
                                   " lists identity, which is reserved for Accept-Encoding; drop "
                                   "it (no Content-Encoding means identity)"});
                });
            } else if (!is_registered_coding(coding)) {
                check.sink.report(content_encoding_unregistered, [&] {
                    return concat({"Content-Encoding ", quote(line.value), ": ", quote(coding),
                                   " is not a registered content coding, so clients cannot decode "
                                   "it; ", coding_advice(coding)});
                });
            }
            return true;
        });
    });
}

void check_content_language(const HeadCheck& check) {
    check.head.for_each(KnownField::content_language, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view tag) {
            if (tag.empty() || is_language_tag(tag)) return true;
            check.sink.report(content_language_syntax, [&] {
                return concat({"Content-Language ", quote(line.value), ": ", quote(tag),
                               " is not a language tag; write RFC 5646 tags separated by commas, "
                               "e.g. Content-Language: en-US, fr"});
            });
            return true;
        });
    });
}

// Whether the percent-decoded octets of an ext-value's value-chars are UTF-8.
bool decodes_to_utf8(std::string_view value_chars) noexcept {
    Utf8Stream stream;
    for (std::size_t i = 0; i < value_chars.size(); ++i) {
        unsigned octet = static_cast<unsigned char>(value_chars[i]);
        if (is_pct_encoded_at(value_chars, i)) {
            octet = hex_digit_value(value_chars[i + 1]) * 16 + hex_digit_value(value_chars[i + 2]);
            i += 2;
        }
        if (!stream.feed(static_cast<unsigned char>(octet))) return false;
    }
    return stream.complete();
}

void check_content_disposition(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::content_disposition)) return;
    const FieldLine& first = *head.first(KnownField::content_disposition);

    if (head.count(KnownField::content_disposition) > 1) {
        std::string_view differing;
        head.for_each(KnownField::content_disposition, [&](const FieldLine& line) {
            if (differing.empty() && line.value != first.value) differing = line.value;
        });
        check.sink.report(content_disposition_repeated, [&] {
            const std::string values =
                differing.empty() ? concat({"each ", quote(first.value)})
                                  : concat({quote(first.value), " and ", quote(differing),
                                            ", which Chromium refuses as an error"});
            return concat({"Content-Disposition is sent ",
                           std::to_string(head.count(KnownField::content_disposition)),
                           " times (", values, "); send exactly one Content-Disposition line"});
        });
    }

    DispositionParams params;
    const ContentDispositionParse parsed = parse_content_disposition(first.value, params);
    if (!parsed.ok()) {
        check.sink.report(content_disposition_syntax, [&] {
            return concat({"Content-Disposition ", quote(first.value), " is malformed: ",
                           parsed.problem,
                           "; write a type then parameters, quoting values with spaces, e.g. "
                           "Content-Disposition: attachment; filename=\"my file.pdf\"; "
                           "filename*=UTF-8''my%20file.pdf"});
        });
        return;
    }

    for (std::size_t i = 0; i < params.size(); ++i) {
        bool repeated = false;
        for (std::size_t j = 0; j < i && !repeated; ++j)
            repeated = grammar::iequals(params[i].name, params[j].name);
        if (repeated) {
            check.sink.report(content_disposition_param_repeated, [&] {
                return concat({"Content-Disposition ", quote(first.value), " repeats the ",
                               quote(params[i].name),
                               " parameter, so recipients cannot tell which one holds; send it "
                               "once (filename and filename* may both appear)"});
            });
            break;
        }
    }

    for (const DispositionParam& param : params) {
        if (!param.extended()) continue;
        const ExtValue ext = parse_ext_value(param.value).value;
        const bool utf8_charset = grammar::iequals(ext.charset, "UTF-8");
        if (utf8_charset && decodes_to_utf8(ext.value_chars)) continue;
        check.sink.report(content_disposition_ext_value_not_utf8, [&] {
            return concat({"Content-Disposition ", param.name, " ", quote(param.value),
                           utf8_charset ? std::string_view(" is labelled UTF-8 but its "
                                                           "percent-decoded octets are not UTF-8")
                                        : std::string_view(" is not in UTF-8"),
                           "; percent-encode the UTF-8 octets, e.g. ", param.name,
                           "=UTF-8''caf%C3%A9.txt"});
        });
    }
}

void check_content_location(const HeadCheck& check) {
    check.head.for_each(KnownField::content_location, [&](const FieldLine& line) {
        const auto parsed = boost::urls::parse_uri_reference(line.value);
        if (parsed) return;
        check.sink.report(content_location_syntax, [&] {
            return concat({"Content-Location ", quote(line.value), " is not a URI-reference (",
                           describe_uri_reference_problem(line.value, parsed.error()),
                           "); percent-encode it, e.g. Content-Location: /docs/my%20report.txt"});
        });
    });
}

}  // namespace

static void check_content_head(const HeadCheck& check) {
    if (check.head.status_class() == 1) return;  // v2 rules judge final responses only
    check_content_type_parameters(check);
    if (check.head.has(KnownField::content_encoding)) check_content_encoding(check);
    if (check.head.has(KnownField::content_language)) check_content_language(check);
    check_content_disposition(check);
    if (check.head.has(KnownField::content_location)) check_content_location(check);
}

// The one content coding named by every Content-Encoding line together, or "" when there are
// none or several.
static std::string_view single_content_coding(const RawHead& head) noexcept {
    std::string_view single;
    int count = 0;
    head.for_each(KnownField::content_encoding, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view coding) {
            if (coding.empty()) return true;
            single = coding;
            return ++count < 2;
        });
    });
    return count == 1 ? single : std::string_view();
}

static void check_content_body(const HeadCheck& check, const BodyOutcome& outcome) {
    if (!check.head.has(KnownField::content_encoding) || !content_may_be_judged(check, outcome))
        return;
    const std::string_view coding = single_content_coding(check.head);
    if (!grammar::iequals(coding, "gzip") && !grammar::iequals(coding, "x-gzip")) return;
    const std::string_view content = outcome.content;
    // Only the first two octets matter, so a capture cut at the limit is fine; one octet
    // judges only when it is all of the content or already wrong.
    const bool magic_differs =
        static_cast<unsigned char>(content[0]) != 0x1F ||
        (content.size() >= 2 ? static_cast<unsigned char>(content[1]) != 0x8B : outcome.content_whole);
    if (!magic_differs) return;
    check.sink.report(content_encoding_gzip_invalid, [&] {
        return concat({"Content-Encoding ", quote(coding), " but the content starts with ",
                       hex_octets(content, 2),
                       ", not the gzip magic 1F 8B; compress the content or drop Content-Encoding"});
    });
}

// Only content-encoding-gzip-invalid reads the content: a gzip or x-gzip coded response.
static bool content_wanted(const HeadCheck& check) {
    if (!check.sink.wants(content_encoding_gzip_invalid) || !check.head.has(KnownField::content_encoding) ||
        !content_may_come(check))
        return false;
    const std::string_view coding = single_content_coding(check.head);
    return grammar::iequals(coding, "gzip") || grammar::iequals(coding, "x-gzip");
}

namespace {
Rule* const content_rules[] = {
    &content_type_json_charset,         &content_type_html_missing_charset,
    &content_encoding_unregistered,     &content_encoding_identity,
    &content_encoding_gzip_invalid,     &content_language_syntax,
    &content_disposition_syntax,        &content_disposition_param_repeated,
    &content_disposition_ext_value_not_utf8, &content_disposition_repeated,
    &content_location_syntax,
};
}  // namespace

extern const Subject content_subject{"content", content_rules, check_content_head,
                                     check_content_body, nullptr, content_wanted};

}  // namespace cproxy::check

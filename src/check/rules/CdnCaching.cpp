// Cache-Status (RFC 9211) and CDN-Cache-Control (RFC 9213): Structured Fields (RFC 8941), all
// field lines of one field joined with ", " before parsing.
#include <array>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/StructuredField.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule cache_status_syntax{
    .id = "cache-status-syntax",
    .level = Level::error,
    .reference = "RFC 9211 §2; RFC 8941 §3.1, §4.2.1",
    .summary = "Cache-Status is not an sf-list of cache names (Token or String) with parameters",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=60\n"
               "Cache-Status: ExampleCache hit\nContent-Type: text/plain\nContent-Length: 2\n\nok",
};
constinit Rule cdn_cache_control_syntax{
    .id = "cdn-cache-control-syntax",
    .level = Level::error,
    .reference = "RFC 9213 §2.1; RFC 8941 §3.2, §4.2.2",
    .summary = "CDN-Cache-Control is not an sf-dictionary",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=60\n"
               "CDN-Cache-Control: Max-Age=600\nContent-Type: text/plain\nContent-Length: 2\n\nok",
};

}  // namespace

using message::concat;
using message::quote;

namespace {

// Joined values longer than this are parsed line by line (the only difference: a String that
// would span two lines).
constexpr std::size_t join_buffer_size = 4096;

// Parses the field's joined value with `parse`; on failure `failed_value` is the value parsed.
template <class Parse>
SfResult parse_field(const RawHead& head, KnownField field, std::span<char> buffer, Parse&& parse,
                     std::string_view& failed_value) {
    bool fits = true;
    const std::string_view joined = join_field_lines(head, field, buffer, fits);
    if (fits) {
        failed_value = joined;
        return parse(joined);
    }
    SfResult result;
    head.for_each(field, [&](const FieldLine& line) {
        if (!result) return;
        result = line.value.empty() ? SfResult{false, 0, "an empty field line leaves an empty member"}
                                    : parse(line.value);
        failed_value = line.value;
    });
    return result;
}

// "members are separated by ',' (at "hit")"
std::string describe_failure(const SfResult& result, std::string_view value) {
    if (result.error_offset >= value.size()) return concat({result.error, " (at the end)"});
    return concat({result.error, " (at ", quote(value.substr(result.error_offset)), ")"});
}

void check_cache_status(const HeadCheck& check, std::span<char> buffer) {
    std::string_view value;
    SfMember bad_member;
    bool has_bad_member = false;
    const SfResult result = parse_field(
        check.head, KnownField::cache_status, buffer,
        [&](std::string_view text) {
            return parse_sf_list(text, [&](const SfMember& member) {
                if (has_bad_member) return;
                if (member.inner_list || (member.item.type != SfType::token &&
                                          member.item.type != SfType::string)) {
                    has_bad_member = true;
                    bad_member = member;
                }
            });
        },
        value);
    if (result && !has_bad_member) return;
    check.sink.report(cache_status_syntax, [&] {
        if (!result)
            return concat({"Cache-Status ", quote(value), " is not a Structured Field list: ",
                           describe_failure(result, value),
                           "; send one member per cache, parameters after \";\" with lowercase "
                           "keys, e.g. Cache-Status: ExampleCache; hit, OriginCache; fwd=uri-miss"});
        return concat({"Cache-Status member ", quote(bad_member.text), " is ",
                       bad_member.inner_list ? std::string_view("an Inner List")
                                             : to_string(bad_member.item.type),
                       "; each member names a cache as a Token or a String, e.g. Cache-Status: "
                       "ExampleCache; hit"});
    });
}

void check_cdn_cache_control(const HeadCheck& check, std::span<char> buffer) {
    std::string_view value;
    const SfResult result = parse_field(
        check.head, KnownField::cdn_cache_control, buffer,
        [](std::string_view text) { return parse_sf_dictionary(text); }, value);
    if (result) return;
    check.sink.report(cdn_cache_control_syntax, [&] {
        return concat({"CDN-Cache-Control ", quote(value),
                       " is not a Structured Field dictionary, so caches ignore the whole field: ",
                       describe_failure(result, value),
                       "; write lowercase directives with no spaces around \"=\", e.g. "
                       "CDN-Cache-Control: max-age=600"});
    });
}

void check_cdn_caching(const HeadCheck& check) {
    const RawHead& head = check.head;
    const bool cache_status = head.has(KnownField::cache_status);
    const bool cdn_cache_control = head.has(KnownField::cdn_cache_control);
    if ((!cache_status && !cdn_cache_control) || head.status_class() == 1) return;
    std::array<char, join_buffer_size> buffer;
    if (cache_status) check_cache_status(check, buffer);
    if (cdn_cache_control) check_cdn_cache_control(check, buffer);
}

Rule* const cdn_caching_rules[] = {&cache_status_syntax, &cdn_cache_control_syntax};

}  // namespace

extern const Subject cdn_caching_subject{"cdn-caching", cdn_caching_rules, check_cdn_caching, nullptr,
                                         nullptr};

}  // namespace cproxy::check

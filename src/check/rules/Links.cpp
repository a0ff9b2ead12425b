// Link (RFC 8288 §3) and Accept-Patch (RFC 5789 §3.1).
#include <boost/url/parse.hpp>
#include <string>

#include "check/HeadRules.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/Link.hpp"
#include "check/parse/MediaType.hpp"
#include "check/parse/UriReference.hpp"

namespace cproxy::check {
namespace {

constinit Rule link_syntax{
    .id = "link-syntax",
    .level = Level::error,
    .reference = "RFC 8288 §3",
    .summary = "Link value is not a #link-value list",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\n"
               "Link: https://example.com/page2; rel=next\nContent-Length: 5\n\nhello",
};
constinit Rule link_rel_missing{
    .id = "link-rel-missing",
    .level = Level::error,
    .reference = "RFC 8288 §3.3",
    .summary = "link-value without a rel parameter",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html; charset=utf-8\n"
               "Link: </style.css>; as=style\nContent-Length: 5\n\nhello",
};
constinit Rule link_param_repeated{
    .id = "link-param-repeated",
    .level = Level::error,
    .reference = "RFC 8288 §3.3, §3.4.1",
    .summary = "link-value repeats rel, title, title*, media or type",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Link: </items?page=2>; rel=next; rel=last\nContent-Length: 2\n\n[]",
};
constinit Rule accept_patch_syntax{
    .id = "accept-patch-syntax",
    .level = Level::error,
    .reference = "RFC 5789 §3.1; RFC 9110 §8.3.1",
    .summary = "Accept-Patch value is not a 1#media-type list",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\n"
               "Accept-Patch: json-patch\nContent-Length: 2\n\n{}",
};

using message::concat;
using message::quote;

// The parameters a link-value must carry at most once (RFC 8288 §3.3, §3.4.1); hreflang may
// repeat.
constexpr std::string_view single_link_params[] = {"rel", "title", "title*", "media", "type"};

void check_link_member(const HeadCheck& check, std::string_view member) {
    LinkParams params;
    const LinkValueParse parsed = parse_link_value(member, params);
    if (!parsed.ok()) {
        check.sink.report(link_syntax, [&] {
            const auto target = boost::urls::parse_uri_reference(parsed.target);
            const std::string why =
                target ? std::string()
                       : concat({" (", describe_uri_reference_problem(parsed.target, target.error()), ")"});
            return concat({"Link ", quote(member), " is not a link-value: ", parsed.problem, why,
                           "; write <URI> then ;-separated parameters, quoting values with spaces, "
                           "e.g. Link: <https://example.com/page2>; rel=\"next\""});
        });
        return;
    }
    bool has_rel = false;
    std::string_view repeated;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const std::string_view name = params[i].name;
        if (grammar::iequals(name, "rel")) has_rel = true;
        if (!repeated.empty()) continue;
        bool single = false;
        for (std::string_view once : single_link_params) single = single || grammar::iequals(name, once);
        if (!single) continue;
        for (std::size_t j = 0; j < i; ++j)
            if (grammar::iequals(params[j].name, name)) repeated = name;
    }
    if (!has_rel) {
        check.sink.report(link_rel_missing, [&] {
            return concat({"Link ", quote(member),
                           " has no rel parameter, so the relation is unknown; add one, e.g. <",
                           parsed.target, ">; rel=\"preload\""});
        });
    }
    if (!repeated.empty()) {
        check.sink.report(link_param_repeated, [&] {
            return concat({"Link ", quote(member), " carries ", quote(repeated),
                           " more than once; send it once (several relation types go in one "
                           "rel: rel=\"next last\")"});
        });
    }
}

void check_accept_patch(const HeadCheck& check) {
    bool any_media_type = false;
    check.head.for_each(KnownField::accept_patch, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view element) {
            if (element.empty()) return true;
            any_media_type = true;
            const MediaTypeParse parsed = parse_media_type(element);
            if (parsed.media_type) return true;
            check.sink.report(accept_patch_syntax, [&] {
                return concat({"Accept-Patch ", quote(line.value), ": ", quote(element),
                               " is not a media type (", parsed.error.problem,
                               "); list patch formats separated by commas, e.g. Accept-Patch: "
                               "application/json-patch+json, application/merge-patch+json"});
            });
            return true;
        });
    });
    if (any_media_type) return;
    check.sink.report(accept_patch_syntax, [&] {
        return concat({"Accept-Patch ", quote(check.head.first(KnownField::accept_patch)->value),
                       " lists no media type; name at least one patch format, e.g. "
                       "Accept-Patch: application/merge-patch+json"});
    });
}

}  // namespace

static void check_links(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (head.status_class() == 1) return;  // v2 rules judge final responses only (103 included)
    head.for_each(KnownField::link, [&](const FieldLine& line) {
        for_each_link_member(line.value, [&](std::string_view member) {
            if (!member.empty()) check_link_member(check, member);
            return true;
        });
    });
    if (head.has(KnownField::accept_patch)) check_accept_patch(check);
}

namespace {
Rule* const links_rules[] = {&link_syntax, &link_rel_missing, &link_param_repeated,
                             &accept_patch_syntax};
}  // namespace

extern const Subject links_subject{"links", links_rules, check_links, nullptr, nullptr};

}  // namespace cproxy::check

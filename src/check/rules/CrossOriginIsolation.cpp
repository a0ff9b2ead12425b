// Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (HTML; and their -Report-Only
// variants): each an RFC 8941 Item whose bare item is one of a few case-sensitive tokens,
// parameters (report-to="endpoint") allowed. Two field lines join into a list, never an Item.
#include <array>
#include <span>
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"
#include "check/parse/StructuredField.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule cross_origin_opener_policy_invalid{
    .id = "cross-origin-opener-policy-invalid",
    .level = Level::error,
    .reference = "HTML, Cross-Origin-Opener-Policy headers",
    .summary = "Cross-Origin-Opener-Policy(-Report-Only) is not one structured-header opener policy token",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCross-Origin-Opener-Policy: Same-Origin\n"
               "Content-Type: text/html\nContent-Length: 2\n\nok",
};
constinit Rule cross_origin_embedder_policy_invalid{
    .id = "cross-origin-embedder-policy-invalid",
    .level = Level::error,
    .reference = "HTML, Cross-Origin-Embedder-Policy headers",
    .summary = "Cross-Origin-Embedder-Policy(-Report-Only) is not one structured-header embedder policy token",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCross-Origin-Embedder-Policy: require_corp\n"
               "Content-Type: text/html\nContent-Length: 2\n\nok",
};

constexpr std::array<std::string_view, 4> opener_policies{"same-origin", "same-origin-allow-popups",
                                                          "noopener-allow-popups", "unsafe-none"};
constexpr std::array<std::string_view, 3> embedder_policies{"require-corp", "credentialless",
                                                            "unsafe-none"};

struct PolicyField {
    KnownField field;
    std::string_view name;
    const Rule& rule;
    std::span<const std::string_view> values;
    std::string_view values_text;  // for the message
    std::string_view example;      // a valid value
};

}  // namespace

using message::concat;
using message::quote;

namespace {

void check_policy_field(const HeadCheck& check, const PolicyField& policy) {
    const RawHead& head = check.head;
    if (!head.has(policy.field)) return;
    const FieldLine& first = *head.first(policy.field);
    if (head.count(policy.field) > 1) {
        check.sink.report(policy.rule, [&] {
            return sent_on_lines(policy.name, head.count(policy.field), first,
                                 concat({": the lines join into a list, not one item, and browsers "
                                         "then use unsafe-none; send one line, e.g. ",
                                         policy.name, ": ", policy.example}));
        });
        return;
    }
    SfBareItem item;
    const SfResult result = parse_sf_item(first.value, &item);
    bool known = false;
    if (result && item.type == SfType::token)
        for (std::string_view value : policy.values) known = known || item.text == value;
    if (known) return;
    check.sink.report(policy.rule, [&] {
        std::string why;
        if (!result)
            why = concat({"is not a structured-header item (", result.error, ")"});
        else if (item.type != SfType::token)
            why = concat({"is ", to_string(item.type), ", not a token (no quotes)"});
        else
            why = concat({"names no policy (the values are case-sensitive: ", policy.values_text, ")"});
        return concat({policy.name, " ", quote(first.value), " ", why,
                       ", so browsers use unsafe-none; send e.g. ", policy.name, ": ",
                       policy.example});
    });
}

void check_cross_origin_isolation(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (head.status_class() == 1) return;
    if (!head.has(KnownField::cross_origin_opener_policy) &&
        !head.has(KnownField::cross_origin_opener_policy_report_only) &&
        !head.has(KnownField::cross_origin_embedder_policy) &&
        !head.has(KnownField::cross_origin_embedder_policy_report_only))
        return;
    constexpr std::string_view opener_text =
        "same-origin, same-origin-allow-popups, noopener-allow-popups, unsafe-none";
    constexpr std::string_view embedder_text = "require-corp, credentialless, unsafe-none";
    const PolicyField fields[] = {
        {KnownField::cross_origin_opener_policy, "Cross-Origin-Opener-Policy",
         cross_origin_opener_policy_invalid, opener_policies, opener_text, "same-origin"},
        {KnownField::cross_origin_opener_policy_report_only, "Cross-Origin-Opener-Policy-Report-Only",
         cross_origin_opener_policy_invalid, opener_policies, opener_text, "same-origin"},
        {KnownField::cross_origin_embedder_policy, "Cross-Origin-Embedder-Policy",
         cross_origin_embedder_policy_invalid, embedder_policies, embedder_text, "require-corp"},
        {KnownField::cross_origin_embedder_policy_report_only, "Cross-Origin-Embedder-Policy-Report-Only",
         cross_origin_embedder_policy_invalid, embedder_policies, embedder_text, "require-corp"},
    };
    for (const PolicyField& field : fields) check_policy_field(check, field);
}

Rule* const cross_origin_isolation_rules[] = {&cross_origin_opener_policy_invalid,
                                              &cross_origin_embedder_policy_invalid};

}  // namespace

extern const Subject cross_origin_isolation_subject{"cross-origin-isolation", cross_origin_isolation_rules,
                                                    check_cross_origin_isolation, nullptr, nullptr};

}  // namespace cproxy::check

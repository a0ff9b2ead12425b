// Validators (RFC 9110 §8.8): ETag is one entity-tag, Last-Modified an IMF-fixdate no later
// than Date.
#include <cstdint>
#include <optional>
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/EntityTag.hpp"
#include "check/parse/HttpDateText.hpp"

namespace cproxy::check {
namespace {

constinit Rule etag_syntax{
    .id = "etag-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §8.8.3",
    .summary = "ETag is not one [W/]\"opaque-tag\" entity-tag",
    .example = "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/html\nETag: 5f3c1a2b-1a4\nContent-Length: 0\n",
};
constinit Rule last_modified_syntax{
    .id = "last-modified-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §8.8.2, §5.6.7",
    .summary = "Last-Modified is not an IMF-fixdate",
    .example = "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/html\nLast-Modified: 2026-11-20T10:00:00Z\nContent-Length: 0\n",
};
constinit Rule last_modified_after_date{
    .id = "last-modified-after-date",
    .level = Level::error,
    .reference = "RFC 9110 §8.8.2.1",
    .summary = "Last-Modified is later than Date",
    .example = "HTTP/1.1 200 OK\nDate: Sat, 21 Nov 2026 10:00:00 GMT\nContent-Type: text/html\nLast-Modified: Sun, 22 Nov 2026 10:00:00 GMT\nContent-Length: 0\n",
};

using message::concat;
using message::quote;

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", already validated) as a number that orders
// like the instant: YYYYMMDDhhmmss.
std::optional<std::uint64_t> imf_fixdate_instant(std::string_view value) noexcept {
    if (value.size() != 29 || parse_http_date(value) != HttpDateForm::imf_fixdate) return std::nullopt;
    constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const std::size_t month_at = months.find(value.substr(8, 3));
    if (month_at == std::string_view::npos || month_at % 3 != 0) return std::nullopt;
    const auto number = [&](std::size_t pos, std::size_t length) {
        std::uint64_t n = 0;
        for (std::size_t i = pos; i < pos + length; ++i) n = n * 10 + static_cast<std::uint64_t>(value[i] - '0');
        return n;
    };
    std::uint64_t instant = number(12, 4);                  // year
    instant = instant * 100 + (month_at / 3 + 1);           // month
    instant = instant * 100 + number(5, 2);                 // day
    instant = instant * 100 + number(17, 2);                // hour
    instant = instant * 100 + number(20, 2);                // minute
    instant = instant * 100 + number(23, 2);                // second
    return instant;
}

void check_etag(const HeadCheck& check) {
    check.head.for_each(KnownField::etag, [&](const FieldLine& line) {
        if (parse_entity_tag(line.value)) return;
        check.sink.report(etag_syntax, [&] {
            const std::string_view value = line.value;
            bool etagc_only = !value.empty();
            for (char c : value)
                if (c == '"' || c == ',' || c == ' ' || c == '\t') etagc_only = false;
            if (etagc_only && (value.starts_with("W/") || value.starts_with("w/")) && value.size() > 2)
                return concat({"ETag ", quote(value),
                               " is not in double quotes; quote the tag after the weak prefix: "
                               "ETag: W/\"", value.substr(2), "\""});
            if (etagc_only && value != "*")
                return concat({"ETag ", quote(value),
                               " is not in double quotes; quote it: ETag: \"", value, "\""});
            if (value.starts_with("w/\""))
                return concat({"ETag ", quote(value),
                               " has a lowercase weak prefix; the prefix is case-sensitive: "
                               "ETag: W/", value.substr(2)});
            return concat({"ETag ", quote(value),
                           " is not one entity-tag; send a single tag in double quotes (no spaces, "
                           "no escapes, optional W/ prefix), e.g. ETag: \"v1\" or ETag: W/\"v1\""});
        });
    });
}

void check_last_modified(const HeadCheck& check) {
    const RawHead& head = check.head;
    head.for_each(KnownField::last_modified, [&](const FieldLine& line) {
        const auto form = parse_http_date(line.value);
        if (form == HttpDateForm::imf_fixdate) return;
        check.sink.report(last_modified_syntax, [&] {
            const std::string_view what = not_imf_fixdate_text(form);
            return concat({"Last-Modified ", quote(line.value), what,
                           "; send an IMF-fixdate in GMT, e.g. Last-Modified: Sat, 21 Nov 2026 "
                           "10:00:00 GMT"});
        });
    });

    if (head.count(KnownField::last_modified) != 1 || head.count(KnownField::date) != 1) return;
    const FieldLine& modified = *head.first(KnownField::last_modified);
    const FieldLine& date = *head.first(KnownField::date);
    const auto modified_at = imf_fixdate_instant(modified.value);
    if (!modified_at) return;
    const auto date_at = imf_fixdate_instant(date.value);
    if (!date_at || *modified_at <= *date_at) return;
    check.sink.report(last_modified_after_date, [&] {
        return concat({"Last-Modified ", quote(modified.value), " is later than Date ",
                       quote(date.value),
                       "; a modification time later than the message's origination is "
                       "impossible: send the Date value as Last-Modified instead"});
    });
}

}  // namespace

static void check_validators(const HeadCheck& check) {
    if (check.head.status_class() == 1) return;  // final responses only
    check_etag(check);
    check_last_modified(check);
}

namespace {
Rule* const validators_rules[] = {&etag_syntax, &last_modified_syntax, &last_modified_after_date};
}  // namespace

extern const Subject validators_subject{"validators", validators_rules, check_validators, nullptr, nullptr};

}  // namespace cproxy::check

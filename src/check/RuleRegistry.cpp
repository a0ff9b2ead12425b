// The rule catalogue of RULES.md, in catalogue order. Ids, levels and references are a
// public interface: copy them from RULES.md exactly, never rename.
#include <array>

#include "check/RuleId.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {
namespace {

constexpr Rule make(RuleId id, std::string_view rule_id, Level level,
                    std::string_view reference, std::string_view summary) {
    return Rule{static_cast<std::size_t>(id), rule_id, level, reference, summary};
}

using enum Level;
using R = RuleId;

constexpr std::array<Rule, rule_count> kRules{{
    // Authentication challenges (RFC 9110 §11, RFC 7617)
    make(R::missing_www_authenticate_401, "401-missing-www-authenticate", error,
         "RFC 9110 §15.5.2, §11.6.1", "401 without a WWW-Authenticate challenge"),
    make(R::missing_proxy_authenticate_407, "407-missing-proxy-authenticate", error,
         "RFC 9110 §15.5.8, §11.7.1", "407 without a Proxy-Authenticate challenge"),
    make(R::challenge_syntax, "challenge-syntax", error, "RFC 9110 §11.3, §11.2",
         "WWW-Authenticate / Proxy-Authenticate value is not a valid #challenge list"),
    make(R::challenge_duplicate_param, "challenge-duplicate-param", error, "RFC 9110 §11.2",
         "a challenge repeats an auth-param name"),
    make(R::realm_not_quoted, "realm-not-quoted", error, "RFC 9110 §11.5",
         "realm sent as a token instead of a quoted-string"),
    make(R::basic_missing_realm, "basic-missing-realm", error, "RFC 7617 §2",
         "Basic challenge without a realm"),
    make(R::basic_bad_charset, "basic-bad-charset", error, "RFC 7617 §2.1",
         "Basic challenge charset other than \"UTF-8\""),
    make(R::from_origin_407, "407-from-origin", warning, "RFC 9110 §15.5.8",
         "the origin answered 407 in reverse-proxy mode; origins use 401"),
    // Methods (RFC 9110 §10.2.1, §15.5.6)
    make(R::missing_allow_405, "405-missing-allow", error, "RFC 9110 §15.5.6",
         "405 without an Allow field"),
    make(R::allow_syntax, "allow-syntax", error, "RFC 9110 §10.2.1",
         "Allow value is not a #method list"),
    make(R::allow_lists_request_method_405, "405-allow-lists-request-method", warning,
         "RFC 9110 §15.5.6", "405 whose Allow lists the request's own method"),
    // Retry-After (RFC 9110 §10.2.3)
    make(R::missing_retry_after_413, "413-missing-retry-after", warning, "RFC 9110 §15.5.14",
         "413 without Retry-After"),
    make(R::retry_after_syntax, "retry-after-syntax", error, "RFC 9110 §10.2.3",
         "Retry-After is neither an HTTP-date nor delay-seconds"),
    make(R::retry_after_missing, "retry-after-missing", info, "RFC 9110 §15.6.4, RFC 6585 §4",
         "429 or 503 without Retry-After"),
    // Other status-code requirements (RFC 9110 §15)
    make(R::status_code_invalid, "status-code-invalid", error, "RFC 9110 §15",
         "status code is not three digits in 100-599"),
    make(R::status_code_unregistered, "status-code-unregistered", warning, "RFC 9110 §15",
         "status code is not in the IANA registry"),
    make(R::redirect_missing_location, "redirect-missing-location", warning,
         "RFC 9110 §15.4.2–§15.4.9", "301/302/303/307/308 without Location"),
    make(R::location_syntax, "location-syntax", error, "RFC 9110 §10.2.2",
         "Location is not a URI-reference"),
    make(R::missing_content_range_206, "206-missing-content-range", error,
         "RFC 9110 §15.3.7.1", "206 (not multipart/byteranges) without Content-Range"),
    make(R::missing_content_range_416, "416-missing-content-range", warning,
         "RFC 9110 §15.5.17", "416 without Content-Range: */length"),
    make(R::missing_upgrade_426, "426-missing-upgrade", error, "RFC 9110 §15.5.22",
         "426 without Upgrade"),
    make(R::no_content_status_has_body, "no-content-status-has-body", error,
         "RFC 9110 §15.3.5, §15.4.5, §8.6; RFC 9112 §6.1, §6.3",
         "1xx, 204 or 304 response announces or carries content"),
    make(R::content_length_forbidden, "content-length-forbidden", error, "RFC 9110 §8.6",
         "Content-Length on 1xx or 204"),
    make(R::transfer_encoding_forbidden, "transfer-encoding-forbidden", error, "RFC 9112 §6.1",
         "Transfer-Encoding on 1xx or 204"),
    // Framing and fields (RFC 9110 §5, §8; RFC 9112 §5, §6)
    make(R::content_length_and_transfer_encoding, "content-length-and-transfer-encoding", error,
         "RFC 9112 §6.1, §6.3", "both Content-Length and Transfer-Encoding"),
    make(R::content_length_invalid, "content-length-invalid", error, "RFC 9110 §8.6",
         "Content-Length is not 1*DIGIT, or several differing values"),
    make(R::content_length_mismatch, "content-length-mismatch", error, "RFC 9112 §6.3, §8",
         "body ended before its declared length or chunked framing broke off"),
    make(R::transfer_encoding_chunked_not_last, "transfer-encoding-chunked-not-last", warning,
         "RFC 9112 §6.1", "Transfer-Encoding without chunked as the final coding"),
    make(R::field_repeated_singleton, "field-repeated-singleton", error, "RFC 9110 §5.3",
         "several field lines for a singleton field"),
    make(R::field_name_invalid, "field-name-invalid", error, "RFC 9110 §5.1",
         "field name is not a token"),
    make(R::field_value_invalid, "field-value-invalid", error, "RFC 9110 §5.5",
         "field value contains CR, LF, NUL or another control character"),
    make(R::obs_fold, "obs-fold", error, "RFC 9112 §5.2", "obsolete line folding"),
    make(R::date_missing, "date-missing", warning, "RFC 9110 §6.6.1",
         "2xx, 3xx or 4xx without Date"),
    make(R::date_syntax, "date-syntax", error, "RFC 9110 §5.6.7", "Date is not an IMF-fixdate"),
    make(R::content_type_missing, "content-type-missing", warning, "RFC 9110 §8.3",
         "response with content but no Content-Type"),
    make(R::content_type_syntax, "content-type-syntax", error, "RFC 9110 §8.3.1",
         "Content-Type is not a valid media type"),
}};

constexpr bool every_rule_sits_at_its_index() {
    for (std::size_t i = 0; i < kRules.size(); ++i)
        if (kRules[i].index != i || kRules[i].id.empty()) return false;
    return true;
}
static_assert(every_rule_sits_at_its_index(), "registry order must follow enum RuleId");

}  // namespace

std::span<const Rule> all_rules() noexcept { return kRules; }

const Rule& rule_of(RuleId id) noexcept { return kRules[static_cast<std::size_t>(id)]; }

const Rule* find_rule(std::string_view id) noexcept {
    for (const Rule& rule : kRules)
        if (rule.id == id) return &rule;
    return nullptr;
}

std::string_view to_string(Level level) noexcept {
    switch (level) {
        case Level::info: return "info";
        case Level::warning: return "warning";
        case Level::error: return "error";
    }
    return "error";
}

std::optional<Level> parse_level(std::string_view text) noexcept {
    if (text == "info") return Level::info;
    if (text == "warning") return Level::warning;
    if (text == "error") return Level::error;
    return std::nullopt;
}

RulePolicy::RulePolicy() : levels_(kRules.size()), enabled_(kRules.size(), true), has_ignores_(kRules.size(), false) {
    for (const Rule& rule : kRules) levels_[rule.index] = rule.level;
}

void RulePolicy::set_level(const Rule& rule, Level level) { levels_.at(rule.index) = level; }

void RulePolicy::disable(const Rule& rule) { enabled_.at(rule.index) = false; }

}  // namespace cproxy::check

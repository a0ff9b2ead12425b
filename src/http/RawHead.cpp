#include "conformance_proxy/http/RawHead.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "conformance_proxy/http/ByteScan.hpp"
#include "conformance_proxy/http/HttpGrammar.hpp"

namespace cproxy::http {
namespace {

struct NamedField {
    std::string_view name;
    KnownField field;
};

constexpr NamedField kKnownFields[] = {
    {"content-type", KnownField::content_type},
    {"content-length", KnownField::content_length},
    {"transfer-encoding", KnownField::transfer_encoding},
    {"date", KnownField::date},
    {"location", KnownField::location},
    {"retry-after", KnownField::retry_after},
    {"allow", KnownField::allow},
    {"www-authenticate", KnownField::www_authenticate},
    {"proxy-authenticate", KnownField::proxy_authenticate},
    {"content-range", KnownField::content_range},
    {"content-location", KnownField::content_location},
    {"etag", KnownField::etag},
    {"last-modified", KnownField::last_modified},
    {"expires", KnownField::expires},
    {"age", KnownField::age},
    {"upgrade", KnownField::upgrade},
    {"authorization", KnownField::authorization},
    {"proxy-authorization", KnownField::proxy_authorization},
    {"cookie", KnownField::cookie},
    {"set-cookie", KnownField::set_cookie},
    {"connection", KnownField::connection},
    {"keep-alive", KnownField::keep_alive},
    {"te", KnownField::te},
    {"trailer", KnownField::trailer},
    {"proxy-connection", KnownField::proxy_connection},
    {"cache-control", KnownField::cache_control},
    {"pragma", KnownField::pragma},
    {"warning", KnownField::warning},
    {"vary", KnownField::vary},
    {"accept-ranges", KnownField::accept_ranges},
    {"cache-status", KnownField::cache_status},
    {"cdn-cache-control", KnownField::cdn_cache_control},
    {"access-control-allow-origin", KnownField::access_control_allow_origin},
    {"access-control-allow-credentials", KnownField::access_control_allow_credentials},
    {"access-control-allow-methods", KnownField::access_control_allow_methods},
    {"access-control-allow-headers", KnownField::access_control_allow_headers},
    {"access-control-expose-headers", KnownField::access_control_expose_headers},
    {"access-control-max-age", KnownField::access_control_max_age},
    {"access-control-request-method", KnownField::access_control_request_method},
    {"access-control-request-headers", KnownField::access_control_request_headers},
    {"origin", KnownField::origin},
    {"strict-transport-security", KnownField::strict_transport_security},
    {"x-content-type-options", KnownField::x_content_type_options},
    {"x-frame-options", KnownField::x_frame_options},
    {"referrer-policy", KnownField::referrer_policy},
    {"cross-origin-opener-policy", KnownField::cross_origin_opener_policy},
    {"cross-origin-opener-policy-report-only", KnownField::cross_origin_opener_policy_report_only},
    {"cross-origin-embedder-policy", KnownField::cross_origin_embedder_policy},
    {"cross-origin-embedder-policy-report-only", KnownField::cross_origin_embedder_policy_report_only},
    {"cross-origin-resource-policy", KnownField::cross_origin_resource_policy},
    {"content-security-policy", KnownField::content_security_policy},
    {"content-security-policy-report-only", KnownField::content_security_policy_report_only},
    {"x-xss-protection", KnownField::x_xss_protection},
    {"expect-ct", KnownField::expect_ct},
    {"public-key-pins", KnownField::public_key_pins},
    {"public-key-pins-report-only", KnownField::public_key_pins_report_only},
    {"p3p", KnownField::p3p},
    {"feature-policy", KnownField::feature_policy},
    {"set-cookie2", KnownField::set_cookie2},
    {"server", KnownField::server},
    {"x-powered-by", KnownField::x_powered_by},
    {"x-aspnet-version", KnownField::x_aspnet_version},
    {"x-aspnetmvc-version", KnownField::x_aspnetmvc_version},
    {"content-encoding", KnownField::content_encoding},
    {"content-language", KnownField::content_language},
    {"content-disposition", KnownField::content_disposition},
    {"link", KnownField::link},
    {"accept-patch", KnownField::accept_patch},
    {"authentication-info", KnownField::authentication_info},
    {"proxy-authentication-info", KnownField::proxy_authentication_info},
    {"via", KnownField::via},
    {"host", KnownField::host},
    {"if-match", KnownField::if_match},
    {"if-none-match", KnownField::if_none_match},
    {"if-modified-since", KnownField::if_modified_since},
    {"if-unmodified-since", KnownField::if_unmodified_since},
    {"if-range", KnownField::if_range},
    {"if", KnownField::if_},
    {"range", KnownField::range},
    {"expect", KnownField::expect},
    {"max-forwards", KnownField::max_forwards},
    {"user-agent", KnownField::user_agent},
};

struct Line {
    std::string_view text;   // without its LF and a CR right before it
    std::string_view whole;  // as written, line ending included
    bool crlf = false;
};

// Splits off the next line.
Line next_line(std::string_view& rest) noexcept {
    const std::size_t lf = rest.find('\n');
    Line line;
    line.whole = lf == std::string_view::npos ? rest : rest.substr(0, lf + 1);
    line.text = lf == std::string_view::npos ? rest : rest.substr(0, lf);
    rest.remove_prefix(line.whole.size());
    if (!line.text.empty() && line.text.back() == '\r') {
        line.text.remove_suffix(1);
        line.crlf = lf != std::string_view::npos;
    }
    return line;
}

}  // namespace

namespace {

// kKnownFields grouped by name length and first letter: a field name is compared with one
// candidate, rarely two or three, instead of every known name of its length (this runs for
// every field line of every head, request and response).
constexpr std::size_t kMaxKnownLength = [] {
    std::size_t longest = 0;
    for (const NamedField& known : kKnownFields) longest = std::max(longest, known.name.size());
    return longest;
}();
constexpr std::size_t kLetters = 26;
constexpr std::size_t letter_index(char lowercase) noexcept {
    return static_cast<std::size_t>(static_cast<unsigned char>(lowercase) - 'a');
}
constexpr std::size_t kMaxSameKey = [] {
    std::array<std::size_t, (kMaxKnownLength + 1) * kLetters> per_key{};
    for (const NamedField& known : kKnownFields)
        ++per_key[known.name.size() * kLetters + letter_index(known.name.front())];
    std::size_t most = 0;
    for (std::size_t count : per_key) most = std::max(most, count);
    return most;
}();
struct SameKey {
    std::uint8_t count = 0;
    std::uint8_t index[kMaxSameKey] = {};
};
constexpr auto kByLengthAndLetter = [] {
    std::array<SameKey, (kMaxKnownLength + 1) * kLetters> table{};
    for (std::size_t i = 0; i < std::size(kKnownFields); ++i) {
        const std::string_view name = kKnownFields[i].name;
        auto& slot = table[name.size() * kLetters + letter_index(name.front())];
        slot.index[slot.count++] = static_cast<std::uint8_t>(i);
    }
    return table;
}();
static_assert([] {
    for (const NamedField& known : kKnownFields)
        if (known.name.empty() || known.name.front() < 'a' || known.name.front() > 'z') return false;
    return true;
}(), "every known field name starts with a lowercase letter");

}  // namespace

KnownField classify_field_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > kMaxKnownLength) return KnownField::other;
    const char first = static_cast<char>(name.front() | 0x20);
    if (first < 'a' || first > 'z') return KnownField::other;
    const SameKey& candidates = kByLengthAndLetter[name.size() * kLetters + letter_index(first)];
    for (std::uint8_t i = 0; i < candidates.count; ++i) {
        const NamedField& known = kKnownFields[candidates.index[i]];
        if (grammar::token_equals_lowercase(name, known.name)) return known.field;
    }
    return KnownField::other;
}

RawHead::RawHead(std::string_view raw, StartLine start) noexcept {
    std::string_view rest = raw;
    const Line start_line = next_line(rest);
    all_lines_crlf_ = start_line.crlf;
    if (start == StartLine::status)
        parse_status_line(start_line.text);
    else
        parse_request_line(start_line.text);
    unsigned line_number = 1;
    while (!rest.empty()) {
        if (add_plain_field_line(rest, line_number + 1)) {
            ++line_number;
            continue;
        }
        const Line next = next_line(rest);
        const std::string_view line = next.text;
        all_lines_crlf_ = all_lines_crlf_ && next.crlf;
        ++line_number;
        if (line.empty()) {  // end of the head
            ends_exactly_ = rest.empty() && !next.whole.empty() && next.whole.back() == '\n';
            break;
        }
        if (grammar::is_ows(line.front())) {
            // obs-fold (RFC 9112 §5.2): belongs to the field line above.
            ++continuation_lines_;
            if (fields_.empty()) {
                if (orphan_continuation_.empty()) orphan_continuation_ = line;
            } else if (!fields_.back().has_obs_fold) {
                fields_.back().has_obs_fold = true;
                fields_.back().first_fold = grammar::trim_ows(line);
            }
            continue;
        }
        add_field_line(line, next.whole, line_number);
    }
}

void RawHead::parse_status_line(std::string_view line) noexcept {
    status_line_ = line;
    const std::size_t first_space = line.find(' ');
    version_ = line.substr(0, first_space);
    if (first_space == std::string_view::npos) return;
    std::string_view after_version = line.substr(first_space + 1);
    const std::size_t second_space = after_version.find(' ');
    status_text_ = after_version.substr(0, second_space);
    if (second_space != std::string_view::npos) reason_ = after_version.substr(second_space + 1);
    if (status_text_.size() == 3 && grammar::is_digits(status_text_))
        status_ = (status_text_[0] - '0') * 100 + (status_text_[1] - '0') * 10 +
                  (status_text_[2] - '0');
}

RequestLineParts split_request_line(std::string_view line) noexcept {
    RequestLineParts parts;
    const std::size_t first_space = line.find(' ');
    parts.method = line.substr(0, first_space);
    if (first_space == std::string_view::npos) return parts;
    const std::string_view after_method = line.substr(first_space + 1);
    const std::size_t second_space = after_method.find(' ');
    parts.target = after_method.substr(0, second_space);
    if (second_space != std::string_view::npos) parts.version = after_method.substr(second_space + 1);
    return parts;
}

RequestLineParts request_line_of(std::string_view raw_head) noexcept {
    return split_request_line(next_line(raw_head).text);
}

void RawHead::parse_request_line(std::string_view line) noexcept {
    status_line_ = line;
    const RequestLineParts parts = split_request_line(line);
    method_ = parts.method;
    target_ = parts.target;
    version_ = parts.version;
}

bool RawHead::add_plain_field_line(std::string_view& rest, unsigned line_number) noexcept {
    // The common line, "Name: value" + CRLF with a token name and no control character, in
    // one pass over its bytes (the general path below splits the line, finds the colon and
    // scans the value each on its own). Anything else is left to the general path, which
    // records what is wrong with it.
    const char* const begin = rest.data();
    const char* const end = begin + rest.size();
    const char* at = begin;
    while (at != end && grammar::is_tchar(*at)) ++at;
    if (at == begin || at == end || *at != ':') return false;
    const char* const colon = at;
    ++at;
    // To the first control character (HTAB aside): the CR of the line's CRLF, or the line is
    // not plain (a bare LF, a lone CR, a CTL in the value).
    for (;;) {
        at = first_control_or<0x7F>(at, end);  // DEL too
        if (at == end) return false;  // no line end: the general path
        if (*at != '\t') break;
        ++at;
    }
    if (*at != '\r' || at + 1 == end || at[1] != '\n') return false;
    const char* const line_end = at;
    const auto known = static_cast<std::size_t>(classify_field_name(
        std::string_view(begin, static_cast<std::size_t>(colon - begin))));
    if (counts_[known]++ == 0) first_index_[known] = static_cast<std::uint32_t>(fields_.size());
    FieldLine& field = fields_.emplace_back();  // in place: a field line is 80 bytes
    field.line_number = line_number;
    field.line = std::string_view(begin, static_cast<std::size_t>(line_end + 2 - begin));
    field.name = std::string_view(begin, static_cast<std::size_t>(colon - begin));
    field.value = grammar::trim_ows(std::string_view(colon + 1, static_cast<std::size_t>(line_end - colon - 1)));
    field.known = static_cast<KnownField>(known);
    rest.remove_prefix(field.line.size());
    return true;
}

void RawHead::add_field_line(std::string_view line, std::string_view whole_line, unsigned line_number) noexcept {
    FieldLine field;
    field.line_number = line_number;
    field.line = whole_line;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
        field.has_colon = false;
        field.name = line;
        field.name_is_token = false;
    } else {
        field.name = line.substr(0, colon);
        field.name_is_token = grammar::is_token(field.name);
        field.value = grammar::trim_ows(line.substr(colon + 1));
        field.bad_char_offset = grammar::first_forbidden_char(field.value);
        if (field.name_is_token) field.known = classify_field_name(field.name);
    }
    const auto known = static_cast<std::size_t>(field.known);
    if (counts_[known]++ == 0) first_index_[known] = static_cast<std::uint32_t>(fields_.size());
    fields_.push_back(field);
}

const FieldLine* RawHead::first(KnownField field) const noexcept {
    if (!has(field)) return nullptr;
    return &fields_[first_index_[static_cast<std::size_t>(field)]];
}

}  // namespace cproxy::http

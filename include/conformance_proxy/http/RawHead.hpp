#pragma once
// A lenient reader of a response head exactly as the upstream wrote it. It never refuses:
// it records what is wrong (obs-fold, bad names, control characters, odd status codes) so
// the rules can name it, where Beast's parser would normalise or reject the head.
// Views point into the caller's buffer, which must outlive the RawHead.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conformance_proxy/http/InlineVector.hpp"

namespace cproxy::http {

// Fields the rules look at; classified once while parsing so rules never compare names.
enum class KnownField : std::uint8_t {
    other,
    content_type,
    content_length,
    transfer_encoding,
    date,
    location,
    retry_after,
    allow,
    www_authenticate,
    proxy_authenticate,
    content_range,
    content_location,
    etag,
    last_modified,
    expires,
    age,
    upgrade,
    authorization,
    proxy_authorization,
    cookie,
    set_cookie,
    cache_control,
    pragma,
    warning,
    vary,
    accept_ranges,
    cache_status,
    cdn_cache_control,
    access_control_allow_origin,
    access_control_allow_credentials,
    access_control_allow_methods,
    access_control_allow_headers,
    access_control_expose_headers,
    access_control_max_age,
    access_control_request_method,
    access_control_request_headers,
    origin,
    strict_transport_security,
    x_content_type_options,
    x_frame_options,
    referrer_policy,
    cross_origin_opener_policy,
    cross_origin_opener_policy_report_only,
    cross_origin_embedder_policy,
    cross_origin_embedder_policy_report_only,
    cross_origin_resource_policy,
    content_security_policy,
    content_security_policy_report_only,
    x_xss_protection,
    expect_ct,
    public_key_pins,
    public_key_pins_report_only,
    p3p,
    feature_policy,
    set_cookie2,
    server,
    x_powered_by,
    x_aspnet_version,
    x_aspnetmvc_version,
    content_encoding,
    content_language,
    content_disposition,
    link,
    accept_patch,
    authentication_info,
    proxy_authentication_info,
    via,
    host,
    if_match,
    if_none_match,
    if_modified_since,
    if_unmodified_since,
    if_range,
    if_,
    range,
    expect,
    max_forwards,
    user_agent,
    // Hop-by-hop fields: the proxy's head rewrite drops them (RFC 9110 §7.6.1).
    connection,
    keep_alive,
    te,
    trailer,
    proxy_connection,
    count_
};

// Case-insensitive. Exact for tokens; for other text it may over-match (see
// grammar::token_equals_lowercase), never under-match.
KnownField classify_field_name(std::string_view name) noexcept;

// Fields whose values must never be quoted in a message.
constexpr bool is_credential_field(KnownField field) noexcept {
    return field == KnownField::authorization || field == KnownField::proxy_authorization ||
           field == KnownField::cookie || field == KnownField::set_cookie;
}

struct FieldLine {
    static constexpr std::size_t no_bad_char = static_cast<std::size_t>(-1);

    std::string_view name;   // as written, up to the colon (the whole line when no colon)
    std::string_view value;  // OWS trimmed; of an obs-folded field only the first line
    std::string_view first_fold;  // the first continuation line (obs-fold), if any
    std::string_view line;        // the whole line as written, with its CRLF or LF
    std::size_t bad_char_offset = no_bad_char;  // first control character in value
    KnownField known = KnownField::other;
    bool has_obs_fold = false;
    bool has_colon = true;
    bool name_is_token = true;
    unsigned line_number = 0;  // 1 = status line
};

// Whether a head starts with a status line (a response) or a request line.
enum class StartLine : std::uint8_t { status, request };

// The parts of a request line, split at its first two spaces: "GET /a HTTP/1.1" -> "GET",
// "/a", "HTTP/1.1" (a part that is missing is empty). RawHead splits its request line so.
struct RequestLineParts {
    std::string_view method;
    std::string_view target;
    std::string_view version;
};
RequestLineParts split_request_line(std::string_view line) noexcept;
// The request line of a raw request head, without parsing its fields.
RequestLineParts request_line_of(std::string_view raw_head) noexcept;

class RawHead {
public:
    static constexpr std::size_t inline_field_capacity = 128;

    explicit RawHead(std::string_view raw, StartLine start = StartLine::status) noexcept;

    // Of a request head: "GET /a HTTP/1.1" -> method "GET", target "/a", version "HTTP/1.1".
    std::string_view method() const noexcept { return method_; }
    std::string_view target() const noexcept { return target_; }

    std::string_view version() const noexcept { return version_; }
    std::string_view status_text() const noexcept { return status_text_; }
    std::string_view reason() const noexcept { return reason_; }
    std::string_view status_line() const noexcept { return status_line_; }
    // The status as a number when it is exactly three digits (600, 99 for "099"), else -1.
    int status() const noexcept { return status_; }
    // Three digits in 100..599 (RFC 9110 §15).
    bool status_valid() const noexcept { return status_ >= 100 && status_ <= 599; }
    int status_class() const noexcept { return status_valid() ? status_ / 100 : 0; }

    std::size_t field_count() const noexcept { return fields_.size(); }
    const FieldLine& field(std::size_t i) const noexcept { return fields_[i]; }
    const InlineVector<FieldLine, inline_field_capacity>& fields() const noexcept {
        return fields_;
    }

    std::size_t count(KnownField field) const noexcept {
        return counts_[static_cast<std::size_t>(field)];
    }
    bool has(KnownField field) const noexcept { return count(field) > 0; }
    const FieldLine* first(KnownField field) const noexcept;

    template <class OnField>
    void for_each(KnownField field, OnField&& on_field) const {
        if (!has(field)) return;
        for (const FieldLine& line : fields_)
            if (line.known == field) on_field(line);
    }

    // All obs-fold continuation lines, and the first one that follows the status line
    // directly (it cannot belong to any field).
    std::size_t continuation_lines() const noexcept { return continuation_lines_; }
    std::string_view orphan_continuation() const noexcept { return orphan_continuation_; }
    // Every line, the empty one at the end included, ended in CRLF (none in a bare LF).
    bool all_lines_crlf() const noexcept { return all_lines_crlf_; }
    // The empty line ending the head was found, and nothing follows it.
    bool ends_exactly() const noexcept { return ends_exactly_; }

private:
    void parse_status_line(std::string_view line) noexcept;
    void parse_request_line(std::string_view line) noexcept;
    // Adds the field line at the start of `rest` and consumes it when it is plain; else false.
    bool add_plain_field_line(std::string_view& rest, unsigned line_number) noexcept;
    void add_field_line(std::string_view line, std::string_view whole_line, unsigned line_number) noexcept;

    std::string_view status_line_;
    std::string_view version_;
    std::string_view status_text_;
    std::string_view reason_;
    std::string_view method_;
    std::string_view target_;
    int status_ = -1;
    InlineVector<FieldLine, inline_field_capacity> fields_;
    std::array<std::uint32_t, static_cast<std::size_t>(KnownField::count_)> counts_{};
    std::array<std::uint32_t, static_cast<std::size_t>(KnownField::count_)> first_index_{};
    std::size_t continuation_lines_ = 0;
    std::string_view orphan_continuation_;
    bool all_lines_crlf_ = true;
    bool ends_exactly_ = false;
};

}  // namespace cproxy::http

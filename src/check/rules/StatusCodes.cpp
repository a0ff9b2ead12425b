// Status codes (RFC 9110 §15): valid range, IANA registration, the raw status line (RFC 9112
// §4), and the statuses whose definition ties them to the request (101, 201, 205, 417, HEAD)
// or to a field (426's Upgrade, 451's Link to the blocking entity).
#include <string>

#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"
#include "check/MessageText.hpp"
#include "check/StatusCodeRegistry.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule status_code_invalid{
    .id = "status-code-invalid",
    .level = Level::error,
    .reference = "RFC 9110 §15",
    .summary = "status code is not three digits in 100-599",
    .example = "HTTP/1.1 600 Odd\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule status_code_unregistered{
    .id = "status-code-unregistered",
    .level = Level::warning,
    .reference = "RFC 9110 §15",
    .summary = "status code is not in the IANA registry",
    .example = "HTTP/1.1 419 Page Expired\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule missing_upgrade_426{
    .id = "426-missing-upgrade",
    .level = Level::error,
    .reference = "RFC 9110 §15.5.22",
    .summary = "426 without Upgrade",
    .example = "HTTP/1.1 426 Upgrade Required\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule missing_upgrade_101{
    .id = "101-missing-upgrade",
    .level = Level::error,
    .reference = "RFC 9110 §15.2.2, §7.8",
    .summary = "101 without an Upgrade naming the protocol now in effect",
    .example = "HTTP/1.1 101 Switching Protocols\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nConnection: upgrade\n",
    .example_request = "GET /chat\nConnection: upgrade\nUpgrade: websocket",
};
constinit Rule upgrade_not_requested_101{
    .id = "101-upgrade-not-requested",
    .level = Level::error,
    .reference = "RFC 9110 §7.8",
    .summary = "101 switching to a protocol the request's Upgrade did not offer",
    .example = "HTTP/1.1 101 Switching Protocols\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nConnection: upgrade\nUpgrade: websocket\n",
    .example_request = "GET /\nConnection: Upgrade, HTTP2-Settings\nUpgrade: h2c\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA",
};
constinit Rule missing_location_201{
    .id = "201-missing-location",
    .level = Level::info,
    .reference = "RFC 9110 §15.3.2",
    .summary = "201 to a POST without a Location naming the created resource",
    .example = "HTTP/1.1 201 Created\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: application/json\nContent-Length: 8\n\n{\"id\":7}",
    .example_request = "POST /items\nContent-Length: 0",
};
constinit Rule has_content_205{
    .id = "205-has-content",
    .level = Level::error,
    .reference = "RFC 9110 §15.3.6",
    .summary = "205 Reset Content with content",
    .example = "HTTP/1.1 205 Reset Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 5\n\nreset",
    .example_request = "POST /form\nContent-Length: 0",
};
constinit Rule head_response_has_content{
    .id = "head-response-has-content",
    .level = Level::error,
    .reference = "RFC 9110 §9.3.2; RFC 9112 §6.3",
    .summary = "response to HEAD followed by content bytes",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 11\n\nhello world",
    .example_request = "HEAD /hello.txt",
};
constinit Rule deprecated_305{
    .id = "305-deprecated",
    .level = Level::warning,
    .reference = "RFC 9110 §15.4.6; RFC 7231 Appendix B",
    .summary = "305 Use Proxy is deprecated",
    .example = "HTTP/1.1 305 Use Proxy\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nLocation: http://proxy.example:3128/\n",
};
constinit Rule without_expect_417{
    .id = "417-without-expect",
    .level = Level::warning,
    .reference = "RFC 9110 §15.5.18",
    .summary = "417 Expectation Failed to a request without Expect",
    .example = "HTTP/1.1 417 Expectation Failed\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
    .example_request = "PUT /upload\nContent-Length: 0",
};
constinit Rule missing_blocked_by_451{
    .id = "451-missing-blocked-by",
    .level = Level::warning,
    .reference = "RFC 7725 §4",
    .summary = "451 without a Link rel=\"blocked-by\" to the blocking entity",
    .example = "HTTP/1.1 451 Unavailable For Legal Reasons\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 8\n\nBlocked.",
};
constinit Rule status_line_version_invalid{
    .id = "status-line-version-invalid",
    .level = Level::error,
    .reference = "RFC 9112 §2.3, §4",
    .summary = "status line does not start with HTTP/1.x and a space",
    .example = "HTTP/2 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};
constinit Rule status_line_missing_space{
    .id = "status-line-missing-space",
    .level = Level::error,
    .reference = "RFC 9112 §4",
    .summary = "status line ends right after the status code, without its SP",
    .example = "HTTP/1.1 204\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
};

using message::concat;
using message::quote;

std::string describe_unregistered(int code, std::string_view code_text) {
    if (status_registration(code) == StatusRegistration::unused)
        return concat({"status ", code_text,
                       " is reserved as \"(Unused)\" in the IANA registry; send a registered "
                       "code that says what happened, e.g. ",
                       code / 100 == 4 ? "400" : "300"});
    if (const VendorStatus* vendor = find_vendor_status(code)) {
        if (vendor->say_instead.empty())
            return concat({"status ", code_text, " is not in the IANA registry (", vendor->used_by,
                           "); vendor-internal codes must not reach clients, send a registered "
                           "code"});
        return concat({"status ", code_text, " is not in the IANA registry (", vendor->used_by,
                       "); clients only understand its class, send ", vendor->say_instead,
                       " instead"});
    }
    constexpr std::string_view class_examples[] = {"", "100", "200", "300", "400", "500"};
    return concat({"status ", code_text,
                   " is not in the IANA registry; clients only understand its class, send the "
                   "registered code closest in meaning (e.g. ",
                   class_examples[code / 100], ")"});
}

// HTTP-version = HTTP-name "/" DIGIT "." DIGIT, then SP (RFC 9112 §2.3, §4); HTTP-name is
// case-sensitive and only major version 1 has a text status line.
bool is_http1_version(std::string_view version) {
    return version.size() == 8 && version.substr(0, 7) == "HTTP/1." && grammar::is_digit(version[7]);
}

// Calls on_protocol(name, element) for every non-empty member of the Upgrade list (all field
// lines), `protocol = protocol-name [ "/" protocol-version ]`; stops when it returns false.
template <class OnProtocol>
void for_each_upgrade_protocol(const RawHead& head, OnProtocol&& on_protocol) {
    for_each_element(head, KnownField::upgrade, [&](const FieldLine&, std::string_view element) {
        return on_protocol(grammar::trim_ows(element.substr(0, element.find('/'))), element);
    });
}

bool has_upgrade_protocol(const RawHead& head) {
    bool found = false;
    for_each_upgrade_protocol(head, [&](std::string_view, std::string_view) {
        found = true;
        return false;
    });
    return found;
}

bool offers_protocol(const RawHead& request, std::string_view name) {
    bool offered = false;
    for_each_upgrade_protocol(request, [&](std::string_view offered_name, std::string_view) {
        offered = grammar::iequals(offered_name, name);
        return !offered;
    });
    return offered;
}

// Whether a relation type list (a token, or the content of a quoted-string: types separated by
// whitespace, quoted-pairs resolved) names `wanted`, case-insensitively.
bool relation_types_include(std::string_view value, std::string_view wanted) {
    const bool quoted = value.size() >= 2 && value.front() == '"';
    if (quoted) value = value.substr(1, value.size() - 2);
    std::size_t matched = 0;  // characters of `wanted` matched in the current type
    bool in_type = false, mismatch = false;
    for (std::size_t i = 0; i <= value.size(); ++i) {
        char c = i < value.size() ? value[i] : ' ';
        if (quoted && c == '\\' && i + 1 < value.size()) c = value[++i];
        if (grammar::is_ows(c)) {
            if (in_type && !mismatch && matched == wanted.size()) return true;
            in_type = false, mismatch = false, matched = 0;
            continue;
        }
        in_type = true;
        if (matched < wanted.size() && grammar::to_lower(c) == grammar::to_lower(wanted[matched]))
            ++matched;
        else
            mismatch = true;
    }
    return false;
}

// Whether one Link field line (RFC 8288 §3: #link-value, link-value = "<" URI-Reference ">"
// *( OWS ";" OWS link-param ), link-param = token BWS [ "=" BWS ( token / quoted-string ) ])
// holds a link whose rel includes `relation`. Lenient: malformed links are link-syntax's
// business; commas and semicolons inside <...> and quoted-strings never split.
bool link_line_has_relation(std::string_view value, std::string_view relation) {
    std::size_t i = 0;
    while (i < value.size()) {
        // One link-value: skip to the end of its URI reference.
        const std::size_t open = value.find('<', i);
        if (open == std::string_view::npos) return false;
        const std::size_t close = value.find('>', open);
        if (close == std::string_view::npos) return false;
        i = close + 1;
        // Its parameters, up to a comma outside quoted-strings.
        while (i < value.size() && value[i] != ',') {
            if (value[i] != ';') {
                ++i;
                continue;
            }
            const std::size_t name_start = grammar::skip_ows(value, i + 1);
            const std::size_t name_length = grammar::token_length(value, name_start);
            const std::string_view name = value.substr(name_start, name_length);
            std::size_t pos = grammar::skip_ows(value, name_start + name_length);
            i = pos;
            if (pos >= value.size() || value[pos] != '=') continue;
            pos = grammar::skip_ows(value, pos + 1);
            std::size_t end = pos;
            if (pos < value.size() && value[pos] == '"') {
                end = grammar::quoted_string_end(value, pos);
                if (end == grammar::npos) return false;
            } else {
                while (end < value.size() && value[end] != ';' && value[end] != ',') ++end;
            }
            if (grammar::iequals(name, "rel") &&
                relation_types_include(grammar::trim_ows(value.substr(pos, end - pos)), relation))
                return true;
            i = end;
        }
        ++i;  // past the comma
    }
    return false;
}

bool links_to_blocking_entity(const RawHead& head) {
    bool found = false;
    head.for_each(KnownField::link, [&](const FieldLine& line) {
        found = found || link_line_has_relation(line.value, "blocked-by");
    });
    return found;
}

void check_status_line(const HeadCheck& check) {
    const RawHead& head = check.head;
    const std::string_view line = head.status_line();
    // "HTTP/1.1" alone is a status line without a status code: status-code-invalid says so.
    const bool version_valid = is_http1_version(line.substr(0, 8)) &&
                               (line.size() == 8 || line[8] == ' ');
    if (!version_valid) {
        check.sink.report(status_line_version_invalid, [&] {
            return concat({"status line ", quote(line),
                           " does not start with HTTP/1.1 (or HTTP/1.0) and a space; HTTP/2 and "
                           "HTTP/3 never use a text status line and HTTP-name is case-sensitive, "
                           "send e.g. HTTP/1.1 200 OK"});
        });
    }
    if (head.status() >= 0 && line.size() == head.version().size() + 4) {
        check.sink.report(status_line_missing_space, [&] {
            return concat({"status line ", quote(line),
                           " ends right after the status code; the space after the code is "
                           "required even when the reason phrase is empty, send ",
                           quote(concat({line, " "})), " or the code followed by a space and its "
                           "reason phrase"});
        });
    }
}

void check_request_bound_statuses(const HeadCheck& check) {
    const RawHead& head = check.head;
    switch (head.status()) {
        case 101: {
            if (!has_upgrade_protocol(head)) {
                check.sink.report(missing_upgrade_101, [&] {
                    if (const FieldLine* upgrade = head.first(KnownField::upgrade))
                        return concat({"101 Switching Protocols has an empty Upgrade ",
                                       quote(upgrade->value),
                                       "; name the protocol now in effect, e.g. Upgrade: websocket"});
                    return std::string(
                        "101 Switching Protocols has no Upgrade header; name the protocol now in "
                        "effect, e.g. Upgrade: websocket");
                });
            }
            const RawHead* request = check.request_head();
            if (!request) return;
            if (!has_upgrade_protocol(*request)) {
                check.sink.report(upgrade_not_requested_101, [&] {
                    return std::string(
                        "101 Switching Protocols answers a request without Upgrade; a server may "
                        "only switch to a protocol the client offered in its Upgrade header, "
                        "answer the request in HTTP/1.1 instead");
                });
                return;
            }
            std::string_view unoffered;
            for_each_upgrade_protocol(head, [&](std::string_view name, std::string_view element) {
                if (offers_protocol(*request, name)) return true;
                unoffered = element;
                return false;
            });
            if (!unoffered.empty()) {
                check.sink.report(upgrade_not_requested_101, [&] {
                    return concat({"101 Switching Protocols switches to ", quote(unoffered),
                                   ", which the request's Upgrade ",
                                   quote(request->first(KnownField::upgrade)->value),
                                   " did not offer; a server may only switch to a protocol the "
                                   "client listed (names compare case-insensitively)"});
                });
            }
            return;
        }
        case 201:
            if (check.request.method == "POST" && !head.has(KnownField::location)) {
                check.sink.report(missing_location_201, [&] {
                    return concat({"201 Created to POST ", check.request.target,
                                   " has no Location; if the POST created a new resource, send its "
                                   "URI, e.g. Location: /items/7 (without Location the created "
                                   "resource is the request target itself)"});
                });
            }
            return;
        case 205: {
            if (check.request.method.empty() || check.is_head_request()) return;
            const Framing& framing = check.framing();
            if (framing.content_length_valid && framing.content_length > 0) {
                check.sink.report(has_content_205, [&] {
                    return concat({"205 Reset Content has Content-Length ",
                                   quote(head.first(KnownField::content_length)->value),
                                   "; a 205 must not carry content, send Content-Length: 0 (or "
                                   "answer 200 with the content)"});
                });
            }
            return;
        }
        case 305:
            check.sink.report(deprecated_305, [&] {
                return std::string(
                    "305 Use Proxy is deprecated (configuring a proxy in-band is unsafe) and "
                    "clients ignore it; redirect with 307 or 308 and Location, or answer with "
                    "an error");
            });
            return;
        case 417:
            if (const RawHead* request = check.request_head();
                request && !request->has(KnownField::expect)) {
                check.sink.report(without_expect_417, [&] {
                    return std::string(
                        "417 Expectation Failed answers a request without Expect, yet it says the "
                        "request's expectation could not be met; answer with the status that "
                        "names the real problem (e.g. 400)");
                });
            }
            return;
        case 451:
            if (!links_to_blocking_entity(head)) {
                check.sink.report(missing_blocked_by_451, [&] {
                    if (const FieldLine* link = head.first(KnownField::link))
                        return concat({"451 Unavailable For Legal Reasons: Link ", quote(link->value),
                                       " has no rel=\"blocked-by\"; identify the entity that "
                                       "blocks the resource, e.g. Link: <https://authority.example/>; "
                                       "rel=\"blocked-by\""});
                    return std::string(
                        "451 Unavailable For Legal Reasons does not identify the blocking entity; "
                        "add e.g. Link: <https://authority.example/>; rel=\"blocked-by\"");
                });
            }
            return;
        default:
            return;
    }
}

}  // namespace

static void check_status_code(const HeadCheck& check) {
    const RawHead& head = check.head;
    check_status_line(check);
    if (!head.status_valid()) {
        check.sink.report(status_code_invalid, [&] {
            if (head.status_text().empty())
                return concat({"status line ", quote(head.status_line()),
                               " has no status code; send HTTP/1.1 followed by a three-digit "
                               "code, e.g. HTTP/1.1 200 OK"});
            if (head.status() >= 0)
                return concat({"status code ", quote(head.status_text()),
                               " is outside 100-599, so clients cannot classify it; send a "
                               "code from the five classes, e.g. 500"});
            return concat({"status code ", quote(head.status_text()),
                           " is not three digits; send a registered three-digit code (sub-status "
                           "codes such as 401.1 belong in logs and bodies only)"});
        });
        return;
    }
    if (status_registration(head.status()) != StatusRegistration::registered) {
        check.sink.report(status_code_unregistered,
                          [&] { return describe_unregistered(head.status(), head.status_text()); });
    }
    if (head.status() == 426 && !head.has(KnownField::upgrade)) {
        check.sink.report(missing_upgrade_426, [&] {
            return std::string(
                "426 Upgrade Required has no Upgrade header; name the protocol to switch to, "
                "e.g. Upgrade: HTTP/2.0 or Upgrade: websocket");
        });
    }
    check_request_bound_statuses(check);
}

// What only the bytes after the head show: content in a 205, or after a response to HEAD.
static void check_status_body(const HeadCheck& check, const BodyOutcome& outcome) {
    const RawHead& head = check.head;
    const int status = head.status();
    if (check.is_head_request()) {
        // After a 101 the bytes belong to the new protocol. A lone CRLF after the head is
        // tolerated; only a count is known here, so up to two bytes pass.
        if (status == 101 || outcome.bytes_after_head <= 2) return;
        check.sink.report(head_response_has_content, [&] {
            return concat({"the ", head.status_text(), " response to HEAD is followed by ",
                           std::to_string(outcome.bytes_after_head),
                           " bytes after its head; a response to HEAD never has content (its "
                           "Content-Length only describes what GET would send), and clients read "
                           "those bytes as the next response, so do not send them"});
        });
        return;
    }
    // A Content-Length above 0 was reported from the head; here only chunked or close-delimited
    // content, as the body stream revealed it.
    if (status != 205 || check.request.method.empty() || head.has(KnownField::content_length))
        return;
    const bool chunked_or_coded = head.has(KnownField::transfer_encoding);
    const bool has_content =
        !outcome.content.empty() || (!chunked_or_coded && outcome.bytes_after_head > 0);
    if (!has_content) return;
    check.sink.report(has_content_205, [&] {
        return std::string(
            chunked_or_coded
                ? "205 Reset Content carries content in its chunked body; a 205 must not carry "
                  "content, send Content-Length: 0 or an empty chunked body"
                : "205 Reset Content carries content up to the close of the connection; a 205 "
                  "must not carry content, send Content-Length: 0");
    });
}

namespace {
Rule* const status_codes_rules[] = {
    &status_code_invalid, &status_code_unregistered, &missing_upgrade_426,
    &missing_upgrade_101, &upgrade_not_requested_101, &missing_location_201,
    &has_content_205, &head_response_has_content, &deprecated_305,
    &without_expect_417, &missing_blocked_by_451, &status_line_version_invalid,
    &status_line_missing_space};
}  // namespace

// 205-has-content reads the content of a chunked or close-delimited 205.
static bool status_content_wanted(const HeadCheck& check) {
    return check.head.status() == 205 && !check.is_head_request() && !check.request.method.empty() &&
           !check.head.has(KnownField::content_length) && check.sink.wants(has_content_205);
}

extern const Subject status_codes_subject{"status-codes", status_codes_rules, check_status_code, check_status_body,
                                          nullptr, status_content_wanted};

}  // namespace cproxy::check

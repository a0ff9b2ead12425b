// Connection management and message framing (RFC 9110 §6.5, §7.6, §7.8, §10.2.4; RFC 9112 §6,
// §7): Connection options, the fields that must be listed in Connection, Trailer, a repeated
// chunked coding, Via and Server grammar. Interim (1xx) heads are checked like final ones.
// Connection, Upgrade, Keep-Alive and Via apply to requests too: those rules are declared for
// responses and check_request reports the same rules on the client's request, with messages
// that start with "request:".
#include <array>
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/ProductList.hpp"

namespace cproxy::check {
namespace {

constinit Rule connection_syntax{
    .id = "connection-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §7.6.1",
    .summary = "Connection value is not a #connection-option (token) list",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nConnection: keep-alive; timeout=5\n",
};
constinit Rule upgrade_missing_connection_option{
    .id = "upgrade-missing-connection-option",
    .level = Level::error,
    .reference = "RFC 9110 §7.8",
    .summary = "Upgrade sent without the 'upgrade' connection option",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nUpgrade: h2c\nConnection: close\n",
};
constinit Rule keep_alive_missing_connection_option{
    .id = "keep-alive-missing-connection-option",
    .level = Level::error,
    .reference = "RFC 9110 §7.6.1; RFC 9112 Appendix C.2.2",
    .summary = "Keep-Alive sent without the 'keep-alive' connection option",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nKeep-Alive: timeout=5, max=100\nConnection: close\n",
};
constinit Rule trailer_forbidden_field{
    .id = "trailer-forbidden-field",
    .level = Level::error,
    .reference = "RFC 9110 §6.5.1, §6.6.2; RFC 9112 §7.1.2",
    .summary = "Trailer announces a field that must not be sent as a trailer",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nTransfer-Encoding: chunked\nTrailer: Server-Timing, Content-Length\n\n5\nhello\n0\n\n",
};
constinit Rule transfer_encoding_chunked_repeated{
    .id = "transfer-encoding-chunked-repeated",
    .level = Level::error,
    .reference = "RFC 9112 §6.1",
    .summary = "chunked appears more than once in Transfer-Encoding",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n",
};
constinit Rule via_syntax{
    .id = "via-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §7.6.3",
    .summary = "Via value does not match received-protocol RWS received-by [ RWS comment ]",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nVia: proxy1\n",
};
constinit Rule server_syntax{
    .id = "server-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §10.2.4, §10.1.5, §5.6.5",
    .summary = "Server value is not product *( RWS ( product / comment ) )",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nServer: Jetty(9.4.z)\n",
};

// Fields whose definitions never permit them in a trailer section (RULES-v2.md).
constexpr std::array<std::string_view, 33> kNeverTrailers{
    "transfer-encoding", "content-length", "trailer", "host", "content-type", "content-encoding",
    "content-range", "authorization", "proxy-authorization", "www-authenticate",
    "proxy-authenticate", "cookie", "set-cookie", "cache-control", "expect", "max-forwards",
    "pragma", "range", "te", "if-match", "if-none-match", "if-modified-since",
    "if-unmodified-since", "if-range", "age", "date", "expires", "location", "retry-after",
    "vary", "connection", "keep-alive", "upgrade"};

bool never_a_trailer(std::string_view name) noexcept {
    if (!grammar::is_token(name)) return false;
    for (const std::string_view forbidden : kNeverTrailers)
        if (grammar::token_equals_lowercase(name, forbidden)) return true;
    return false;
}

bool contains_ignoring_case(std::string_view text, std::string_view lowercase) noexcept {
    if (lowercase.size() > text.size()) return false;
    for (std::size_t i = 0; i + lowercase.size() <= text.size(); ++i)
        if (grammar::iequals(text.substr(i, lowercase.size()), lowercase)) return true;
    return false;
}

// The Connection field of one message, all lines taken as one list.
struct ConnectionOptions {
    bool upgrade = false;
    bool keep_alive = false;
    const FieldLine* bad_line = nullptr;  // the first line with an element that is not a token
    std::string_view bad_element;
};

ConnectionOptions read_connection(const RawHead& head) {
    ConnectionOptions options;
    head.for_each(KnownField::connection, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view option) {
            if (option.empty()) return true;  // empty elements are ignored
            if (grammar::is_token(option)) {
                if (grammar::iequals(option, "upgrade")) options.upgrade = true;
                if (grammar::iequals(option, "keep-alive")) options.keep_alive = true;
                return true;
            }
            // A malformed element that still names the option (`upgrade;x`) is left to
            // connection-syntax: the missing-option rules stay silent for it.
            if (contains_ignoring_case(option, "upgrade")) options.upgrade = true;
            if (contains_ignoring_case(option, "keep-alive")) options.keep_alive = true;
            if (!options.bad_line) {
                options.bad_line = &line;
                options.bad_element = option;
            }
            return true;
        });
    });
    return options;
}

bool has_non_empty_list(const RawHead& head, KnownField field) {
    bool any = false;
    head.for_each(field, [&](const FieldLine& line) {
        grammar::for_each_list_element(line.value, [&](std::string_view element) {
            any = any || !element.empty();
            return !any;
        });
    });
    return any;
}

// Via = #( received-protocol RWS received-by [ RWS comment ] )
//   received-protocol = [ protocol-name "/" ] protocol-version   (tokens)
//   received-by = pseudonym [ ":" port ],  pseudonym = token,  port = *DIGIT
// The offset where a Via value breaks the grammar, or npos when it matches. Commas inside a
// comment do not split the list; empty elements are allowed.
std::size_t via_problem(std::string_view value) noexcept {
    std::size_t pos = 0;
    while (true) {
        // Empty list elements: OWS and commas.
        while (pos < value.size() && (grammar::is_ows(value[pos]) || value[pos] == ',')) ++pos;
        if (pos == value.size()) return grammar::npos;
        const std::size_t protocol = grammar::token_length(value, pos);
        if (protocol == 0) return pos;
        pos += protocol;
        if (pos < value.size() && value[pos] == '/') {
            const std::size_t version = grammar::token_length(value, pos + 1);
            if (version == 0) return pos;
            pos += 1 + version;
        }
        const std::size_t by = grammar::skip_ows(value, pos);
        if (by == pos || by == value.size()) return pos;  // no RWS received-by
        pos = by;
        const std::size_t pseudonym = grammar::token_length(value, pos);
        if (pseudonym == 0) return pos;
        pos += pseudonym;
        if (pos < value.size() && value[pos] == ':') {
            ++pos;
            while (pos < value.size() && grammar::is_digit(value[pos])) ++pos;
        }
        const std::size_t after = grammar::skip_ows(value, pos);
        if (after > pos && after < value.size() && value[after] == '(') {
            const std::size_t end = comment_end(value, after);
            if (end == grammar::npos) return after;
            pos = grammar::skip_ows(value, end);
        } else {
            pos = after;
        }
        if (pos == value.size()) return grammar::npos;
        if (value[pos] != ',') return pos;
        ++pos;
    }
}

}  // namespace

using message::concat;
using message::quote;

namespace {

// A field that controls the connection (Upgrade, Keep-Alive) whose option Connection lacks.
void report_unlisted_field(const RawHead& head, FindingSink& sink, std::string_view who, const Rule& rule,
                           KnownField field, std::string_view field_label, std::string_view advice) {
    sink.report(rule, [&] {
        const FieldLine* sent = head.first(field);
        const FieldLine* connection = head.first(KnownField::connection);
        return concat({who, field_label, quote(sent->value), " is sent ",
                       connection ? concat({"with Connection ", quote(connection->value)})
                                  : std::string("without Connection"),
                       "; ", advice});
    });
}

// The rules that apply to a request and a response alike; `who` is "" for the response and
// "request: " for the client's request.
void check_connection_fields(const RawHead& head, FindingSink& sink, std::string_view who) {
    const bool has_connection = head.has(KnownField::connection);
    const bool has_upgrade = head.has(KnownField::upgrade);
    const bool has_keep_alive = head.has(KnownField::keep_alive);
    if (has_connection || has_upgrade || has_keep_alive) {
        const ConnectionOptions options = read_connection(head);
        if (options.bad_line) {
            sink.report(connection_syntax, [&] {
                return concat({who, "Connection ", quote(options.bad_line->value), ": ",
                               quote(options.bad_element),
                               " is not a connection option (a token); list bare option names "
                               "separated by commas, e.g. Connection: keep-alive, upgrade"});
            });
        }
        if (has_upgrade && !options.upgrade && has_non_empty_list(head, KnownField::upgrade))
            report_unlisted_field(head, sink, who, upgrade_missing_connection_option, KnownField::upgrade,
                                  "Upgrade ", "a sender of Upgrade must also list the option: add "
                                              "Connection: upgrade");
        if (has_keep_alive && !options.keep_alive)
            report_unlisted_field(head, sink, who, keep_alive_missing_connection_option, KnownField::keep_alive,
                                  "Keep-Alive ", "a field that controls the connection must be listed in "
                                                 "Connection: add Connection: keep-alive, or drop Keep-Alive");
    }
    head.for_each(KnownField::via, [&](const FieldLine& line) {
        const std::size_t bad = via_problem(line.value);
        if (bad == grammar::npos) return;
        sink.report(via_syntax, [&] {
            return concat({who, "Via ", quote(line.value), " breaks the grammar at ",
                           bad < line.value.size() ? quote(line.value.substr(bad))
                                                   : std::string("its end"),
                           "; each element is protocol-version (or name/version), a space and "
                           "the receiver's name, e.g. Via: 1.1 proxy.example (comment)"});
        });
    });
}

}  // namespace

// The trailer section itself (chunked bodies): the fields that arrived after the content, not
// the ones Trailer announced. Its lines were already checked as field lines by the relay.
static void check_trailer_section(const HeadCheck& check, const BodyOutcome& outcome) {
    if (outcome.trailer_section.empty()) return;
    std::string names;
    std::string_view rest = outcome.trailer_section;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        const auto line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        const auto name = line.substr(0, line.find(':'));
        if (!never_a_trailer(name)) continue;
        if (!names.empty()) names += ", ";
        names += name;
    }
    if (names.empty()) return;
    check.sink.report(trailer_forbidden_field, [&] {
        return concat({"the trailer section carries ", quote(names),
                       ", which must not be sent as a trailer (framing, routing, authentication, control "
                       "and content-processing fields go in the head; the proxy did not forward it); send "
                       "it in the head instead"});
    });
}

static void check_connection(const HeadCheck& check) {
    const RawHead& head = check.head;
    check_connection_fields(head, check.sink, "");

    if (head.has(KnownField::trailer)) {
        bool forbidden = false;
        head.for_each(KnownField::trailer, [&](const FieldLine& line) {
            grammar::for_each_list_element(line.value, [&](std::string_view name) {
                forbidden = forbidden || never_a_trailer(name);
                return !forbidden;
            });
        });
        if (forbidden) {
            check.sink.report(trailer_forbidden_field, [&] {
                std::string names;
                head.for_each(KnownField::trailer, [&](const FieldLine& line) {
                    grammar::for_each_list_element(line.value, [&](std::string_view name) {
                        if (never_a_trailer(name)) {
                            if (!names.empty()) names += ", ";
                            names += name;
                        }
                        return true;
                    });
                });
                return concat({"Trailer announces ", quote(names),
                               ", which must not be sent as a trailer (framing, routing, "
                               "authentication, control and content-processing fields go in the "
                               "head); send it in the head and drop it from Trailer"});
            });
        }
    }

    if (head.has(KnownField::transfer_encoding)) {
        unsigned chunked = 0;
        head.for_each(KnownField::transfer_encoding, [&](const FieldLine& line) {
            grammar::for_each_list_element(line.value, [&](std::string_view coding) {
                const std::size_t semicolon = coding.find(';');
                if (semicolon != std::string_view::npos) coding = grammar::trim_ows(coding.substr(0, semicolon));
                if (grammar::iequals(coding, "chunked")) ++chunked;
                return true;
            });
        });
        if (chunked > 1) {
            check.sink.report(transfer_encoding_chunked_repeated, [&] {
                std::string codings;
                head.for_each(KnownField::transfer_encoding, [&](const FieldLine& line) {
                    if (!codings.empty()) codings += ", ";
                    codings += line.value;
                });
                return concat({"Transfer-Encoding ", quote(codings), " applies chunked ",
                               std::to_string(chunked),
                               " times; chunked must be applied once, as the last coding: send "
                               "Transfer-Encoding: chunked once"});
            });
        }
    }

    head.for_each(KnownField::server, [&](const FieldLine& line) {
        const ProductListCheck result = check_product_list(line.value);
        if (result) return;
        check.sink.report(server_syntax, [&] {
            return concat({"Server ", quote(line.value), " ", result.reason,
                           result.offset > 0 && result.offset < line.value.size()
                               ? concat({" (at ", quote(line.value.substr(result.offset)), ")"})
                               : std::string(),
                           "; send product/version items separated by spaces, comments in "
                           "parentheses after a space, e.g. Server: Jetty/9.4.z (Linux)"});
        });
    });
}

static void check_connection_request(const RequestCheck& check) {
    check_connection_fields(check.head, check.sink, "request: ");
}

namespace {
Rule* const connection_rules[] = {
    &connection_syntax,       &upgrade_missing_connection_option,
    &keep_alive_missing_connection_option, &trailer_forbidden_field,
    &transfer_encoding_chunked_repeated,   &via_syntax,
    &server_syntax,
};
}  // namespace

extern const Subject connection_subject{"connection", connection_rules, check_connection,
                                        check_trailer_section, check_connection_request};

}  // namespace cproxy::check

// The client's request alone (RFC 9110 §7.6.2, §9.3, §10.1): expectations, Max-Forwards, TE,
// User-Agent, and content on methods that give it no meaning. Findings say "request:": the
// client has to change, whatever the upstream answered.
#include <string>

#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/FieldElements.hpp"
#include "check/parse/ProductList.hpp"

namespace cproxy::check {
namespace {

constexpr std::string_view kOkResponse =
    "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 2\n\nok";

constinit Rule expect_100_continue_without_content{
    .id = "expect-100-continue-without-content",
    .level = Level::error,
    .reference = "RFC 9110 §10.1.1",
    .summary = "request: Expect: 100-continue on a request without content",
    .side = Side::request,
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
    .example_request = "PUT /upload\nExpect: 100-continue\nContent-Length: 0",
};
constinit Rule expect_unknown{
    .id = "expect-unknown",
    .level = Level::warning,
    .reference = "RFC 9110 §10.1.1, §15.5.18",
    .summary = "request: Expect names an expectation other than 100-continue",
    .side = Side::request,
    .example = "HTTP/1.1 417 Expectation Failed\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n",
    .example_request = "PUT /upload\nExpect: 200-ok\nContent-Length: 0",
};
constinit Rule max_forwards_syntax{
    .id = "max-forwards-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §7.6.2",
    .summary = "request: Max-Forwards is not 1*DIGIT",
    .side = Side::request,
    .example = kOkResponse,
    .example_request = "GET /\nMax-Forwards: -1",
};
constinit Rule te_chunked{
    .id = "te-chunked",
    .level = Level::error,
    .reference = "RFC 9110 §10.1.4",
    .summary = "request: TE lists chunked",
    .side = Side::request,
    .example = kOkResponse,
    .example_request = "GET /\nTE: trailers, chunked\nConnection: TE",
};
constinit Rule te_missing_connection_option{
    .id = "te-missing-connection-option",
    .level = Level::error,
    .reference = "RFC 9110 §10.1.4",
    .summary = "request: TE without the TE connection option",
    .side = Side::request,
    .example = kOkResponse,
    .example_request = "GET /\nTE: trailers",
};
constinit Rule user_agent_syntax{
    .id = "user-agent-syntax",
    .level = Level::error,
    .reference = "RFC 9110 §10.1.5, §5.6.5",
    .summary = "request: User-Agent is not product *( RWS ( product / comment ) )",
    .side = Side::request,
    .example = kOkResponse,
    .example_request = "GET /\nUser-Agent: Mozilla/5.0(X11; Linux x86_64)",
};
constinit Rule request_content_without_semantics{
    .id = "request-content-without-semantics",
    .level = Level::info,
    .reference = "RFC 9110 §9.3.1, §9.3.2, §9.3.5",
    .summary = "request: GET, HEAD or DELETE with content",
    .side = Side::request,
    .example = kOkResponse,
    // The empty line ends the head; the chunked body ("2" "{}" "0") follows it.
    .example_request = "GET /search\nContent-Type: application/json\nTransfer-Encoding: chunked\n\n2\n{}\n0\n",
};

using message::concat;
using message::quote;

void check_expect(const RequestCheck& check) {
    const RawHead& head = check.head;
    bool continue_100 = false;
    std::string_view unknown;
    const FieldLine* unknown_line = nullptr;
    for_each_element(head, KnownField::expect, [&](const FieldLine& line, std::string_view element) {
        const std::string_view name = grammar::trim_ows(element.substr(0, element.find_first_of("=;")));
        if (grammar::iequals(name, "100-continue")) {
            continue_100 = true;
        } else if (!unknown_line) {
            unknown = element;
            unknown_line = &line;
        }
        return true;
    });
    if (unknown_line) {
        check.sink.report(expect_unknown, [&] {
            return concat({"request: Expect ", quote(unknown_line->value), " names the expectation ",
                           quote(unknown),
                           "; 100-continue is the only one defined and servers may answer anything "
                           "else with 417 Expectation Failed, so remove it"});
        });
    }
    if (!continue_100) return;
    const Framing framing = read_framing(head);
    const bool no_content = !framing.has_transfer_encoding &&
                            (!framing.has_content_length ||
                             (framing.content_length_valid && framing.content_length == 0));
    if (!no_content) return;
    check.sink.report(expect_100_continue_without_content, [&] {
        return concat({"request: ", check.request.method, " sends Expect: 100-continue without content (",
                       framing.has_content_length ? "Content-Length: 0"
                                                  : "no Content-Length or Transfer-Encoding",
                       "); there is no body to wait for, so drop the expectation"});
    });
}

void check_te(const RequestCheck& check) {
    const RawHead& head = check.head;
    const FieldLine* chunked_line = nullptr;
    for_each_element(head, KnownField::te, [&](const FieldLine& line, std::string_view element) {
        const std::string_view coding = grammar::trim_ows(element.substr(0, element.find(';')));
        if (!grammar::iequals(coding, "chunked")) return true;
        chunked_line = &line;
        return false;
    });
    if (chunked_line) {
        check.sink.report(te_chunked, [&] {
            return concat({"request: TE ", quote(chunked_line->value),
                           " lists chunked, which every HTTP/1.1 recipient accepts and a client "
                           "must not list; send e.g. TE: trailers, or no TE"});
        });
    }
    bool listed = false;
    for_each_element(head, KnownField::connection, [&](const FieldLine&, std::string_view option) {
        listed = grammar::iequals(option, "te");
        return !listed;
    });
    if (listed) return;
    check.sink.report(te_missing_connection_option, [&] {
        const FieldLine* connection = head.first(KnownField::connection);
        return concat({"request: TE ", quote(head.first(KnownField::te)->value),
                       " is sent without the TE connection option",
                       connection ? concat({" (Connection ", quote(connection->value), ")"}) : "",
                       "; TE only concerns the immediate connection, so list it: Connection: TE"});
    });
}

void check_content_semantics(const RequestCheck& check) {
    const std::string_view method = check.request.method;
    if (method != "GET" && method != "HEAD" && method != "DELETE") return;
    const RawHead& head = check.head;
    if (!head.has(KnownField::content_length) && !head.has(KnownField::transfer_encoding)) return;
    const Framing framing = read_framing(head);
    if (!framing.has_transfer_encoding && !(framing.content_length_valid && framing.content_length > 0))
        return;
    check.sink.report(request_content_without_semantics, [&] {
        const std::string framing_text =
            framing.has_transfer_encoding
                ? concat({"Transfer-Encoding ", quote(head.first(KnownField::transfer_encoding)->value)})
                : concat({"Content-Length: ", std::to_string(framing.content_length)});
        return concat({"request: ", method, " carries content (", framing_text, "); content has no "
                       "defined meaning on ", method,
                       " and some servers and intermediaries reject such requests, so send the data "
                       "in the URI or use POST unless the origin documents support for it"});
    });
}

}  // namespace

static void check_request_messaging(const RequestCheck& check) {
    const RawHead& head = check.head;
    if (head.has(KnownField::expect)) check_expect(check);
    head.for_each(KnownField::max_forwards, [&](const FieldLine& line) {
        if (grammar::is_digits(line.value)) return;
        check.sink.report(max_forwards_syntax, [&] {
            return concat({"request: Max-Forwards ", quote(line.value),
                           " is not a non-negative decimal number; send digits only, e.g. "
                           "Max-Forwards: 10"});
        });
    });
    if (head.has(KnownField::te)) check_te(check);
    head.for_each(KnownField::user_agent, [&](const FieldLine& line) {
        if (is_product_list(line.value)) return;
        check.sink.report(user_agent_syntax, [&] {
            return concat({"request: User-Agent ", quote(line.value),
                           " is not a product list; write name/version products separated by "
                           "spaces, comments in parentheses after a space, e.g. User-Agent: "
                           "ExampleBot/1.2 (+https://example.com/bot)"});
        });
    });
    check_content_semantics(check);
}

namespace {
Rule* const request_messaging_rules[] = {
    &expect_100_continue_without_content, &expect_unknown, &max_forwards_syntax, &te_chunked,
    &te_missing_connection_option, &user_agent_syntax, &request_content_without_semantics};
}  // namespace

extern const Subject request_messaging_subject{"request-messaging", request_messaging_rules, nullptr,
                                               nullptr, check_request_messaging};

}  // namespace cproxy::check

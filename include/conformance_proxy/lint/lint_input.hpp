#pragma once
// Offline input of `conformance-proxy lint FILE`: recorded traffic turned into the same
// (request context, raw response head, body outcome) triples the live proxy checks.
// Pure: no file or network I/O; the caller reads the file and passes its text.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/checker.hpp"

namespace cproxy::lint {

// One recorded request/response pair to check.
struct LintExchange {
    std::string label;     // where it came from, for reports: "api.har entry 3 (GET https://...)"
    std::string method;    // request method, "" when the input has no request
    std::string target;    // origin-form request target ("/items/7?x=1"), "" when unknown
    std::string raw_head;  // the response head, status line to the empty line that ends it
    // The request head (request line, fields, empty line) when the input has it, else "".
    std::string raw_request_head;
    // Whether this response is the first one to its request (interim 1xx responses share the
    // request): the rules about the request alone run once, with the first.
    bool first_response_to_request = true;
    check::BodyOutcome outcome;  // framing facts from the recorded body (content: see below)
    std::string content;         // the content, transfer codings removed ("" when unknown)
    bool content_whole = false;  // `content` is all of it
    std::string trailer_section;  // a chunked body's trailer field lines, as recorded

    // The checker's view of the request. Recorded traffic may have passed through proxies
    // (a browser's HAR), so a 407 is not blamed on the origin unless the caller says so.
    check::RequestContext request_context(bool from_origin_in_reverse_mode = false) const {
        return check::RequestContext{method, target, from_origin_in_reverse_mode, raw_request_head};
    }
};

// Unparseable input; what() names the source and what is wrong, ready to print.
class LintInputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// text: the whole input, either
//  - a HAR 1.2 file (first non-space character `{`): one exchange per entry of log.entries
//    that received a response (status 0 entries, i.e. blocked or aborted, are skipped);
//    the head is rebuilt from response.headers, one field line per header (a value holding
//    newlines, as browsers write repeated Set-Cookie, becomes several field lines), and
//    response.bodySize gives the framing facts; or
//  - a raw HTTP/1.1 response (CRLF or bare LF), optionally preceded by the request line and
//    request fields (and body, if it has a Content-Length) for context; interim 1xx
//    responses and further responses may follow. Bytes after each head are its body,
//    framed by its fields (Content-Length, chunked, or until the end). A single trailing
//    newline after a bodiless response is taken as an editor's end of file, not a body.
// source_name: the file name used in labels and error messages ("-" for stdin).
// Throws LintInputError when the text is neither.
std::vector<LintExchange> load_lint_input(std::string_view text, std::string_view source_name);

// Runs the checker over one exchange (the request rules with the first response to a request,
// then the head and body rules), appending to out.
void check_exchange(const check::Checker& checker, const LintExchange& exchange,
                    check::Findings& out, bool from_origin_in_reverse_mode = false);

}  // namespace cproxy::lint

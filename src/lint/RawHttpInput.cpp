// A raw HTTP/1.1 capture: [request head [request body]] response [response ...].
#include <string>

#include "conformance_proxy/check/head_summary.hpp"
#include "lint/ChunkedBody.hpp"
#include "lint/LintInputParts.hpp"

namespace cproxy::lint {
namespace {

bool is_digits3(std::string_view text) {
    return text.size() == 3 && text[0] >= '0' && text[0] <= '9' && text[1] >= '0' && text[1] <= '9' &&
           text[2] >= '0' && text[2] <= '9';
}

// A status line: "HTTP/1.1 200 OK", or one that breaks the grammar the checker must still see
// ("http/1.1 200 OK", "HTTP/2 200", "ICY 200 OK"): a first word, then three digits, and no
// "HTTP/" version at the end as a request line has.
bool starts_with_status_line(std::string_view text) {
    if (text.substr(0, 5) == "HTTP/") return true;
    std::string_view line = text.substr(0, text.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first_space = line.find(' ');
    if (first_space == std::string_view::npos || first_space == 0) return false;
    const std::string_view after = line.substr(first_space + 1);
    if (!is_digits3(after.substr(0, 3)) || (after.size() > 3 && after[3] != ' ')) return false;
    const std::size_t last_space = line.rfind(' ');
    return line.substr(last_space + 1).substr(0, 5) != "HTTP/";
}

std::string_view skip_line_ends(std::string_view text) {
    const std::size_t first = text.find_first_not_of("\r\n");
    return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

// An editor's final newline after a bodiless response is not a body.
bool is_lone_newline(std::string_view bytes) { return bytes == "\n" || bytes == "\r\n"; }

struct RequestLine {
    std::string method;
    std::string target;
};

// "GET /path HTTP/1.1" -> method and target; false when the line is not a request line.
bool parse_request_line(std::string_view line, RequestLine& request) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first_space = line.find(' ');
    const std::size_t last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || first_space == last_space) return false;
    const std::string_view version = line.substr(last_space + 1);
    if (version.substr(0, 5) != "HTTP/" || first_space == 0) return false;
    request.method = std::string(line.substr(0, first_space));
    request.target = std::string(line.substr(first_space + 1, last_space - first_space - 1));
    return !request.target.empty() && request.target.find(' ') == std::string::npos;
}

}  // namespace

std::vector<LintExchange> load_raw_http(std::string_view text, std::string_view source_name) {
    RequestLine request;
    std::string_view request_head;
    std::string_view rest = text;
    if (!starts_with_status_line(rest)) {
        const std::string_view first_line = rest.substr(0, rest.find('\n'));
        if (!parse_request_line(first_line, request))
            fail(source_name,
                 "line 1: expected a status line such as \"HTTP/1.1 200 OK\" or a request line "
                 "such as \"GET /path HTTP/1.1\", found " + excerpt(first_line));
        const std::size_t request_head_length = check::find_head_end(rest);
        if (request_head_length == 0)
            fail(source_name,
                 "the request head has no empty line after it, so no response follows");
        request_head = rest.substr(0, request_head_length);
        // The request summary reads only its fields; its "status line" is the request line.
        const auto request_summary = check::summarize_head(request_head);
        rest.remove_prefix(request_head_length);
        if (request_summary.content_length_valid)
            rest.remove_prefix(std::min<std::uint64_t>(request_summary.content_length, rest.size()));
        rest = skip_line_ends(rest);
        if (!starts_with_status_line(rest))
            fail(source_name, "expected a response status line such as \"HTTP/1.1 200 OK\" after "
                              "the request, found " + excerpt(rest));
    }

    std::vector<LintExchange> exchanges;
    while (!rest.empty()) {
        const std::size_t head_length = check::find_head_end(rest);
        // A capture cut right after the fields has no empty line: the head is all there is.
        const std::string_view head = head_length ? rest.substr(0, head_length) : rest;
        const std::string_view body = rest.substr(head.size());
        const auto summary = check::summarize_head(head);

        LintExchange exchange;
        exchange.label = std::string(source_name) + " response " +
                         std::to_string(exchanges.size() + 1);
        if (!request.method.empty())
            exchange.label += " to " + request.method + " " + request.target;
        exchange.method = request.method;
        exchange.target = request.target;
        exchange.raw_head = std::string(head);
        exchange.raw_request_head = std::string(request_head);
        exchange.first_response_to_request = exchanges.empty();

        std::string_view next;
        switch (check::body_framing(summary, request.method)) {
            case check::BodyFraming::none:
                if (starts_with_status_line(skip_line_ends(body)))
                    next = skip_line_ends(body);  // e.g. 100 Continue, then the final response
                else if (!is_lone_newline(body) && request.method != "HEAD")
                    exchange.outcome.bytes_after_head = body.size();
                break;
            case check::BodyFraming::content_length:
                if (body.size() < summary.content_length) {
                    exchange.outcome.complete = false;
                    exchange.content = std::string(body);
                } else {
                    exchange.content = std::string(body.substr(0, summary.content_length));
                    exchange.content_whole = true;
                    next = body.substr(summary.content_length);
                }
                break;
            case check::BodyFraming::chunked: {
                const ChunkedScan scan = scan_chunked_body(body, &exchange.content);
                exchange.outcome.complete = scan.complete;
                exchange.content_whole = scan.complete;
                exchange.trailer_section = std::string(body.substr(scan.trailer_offset, scan.trailer_length));
                next = body.substr(scan.length);
                break;
            }
            case check::BodyFraming::until_close:
                exchange.content = std::string(body);  // the body runs to the end of the capture
                exchange.content_whole = true;
                break;
            case check::BodyFraming::invalid:
                break;
        }
        exchanges.push_back(std::move(exchange));
        // Bytes beyond a framed body that are not a response are not ours to judge.
        next = skip_line_ends(next);
        rest = starts_with_status_line(next) ? next : std::string_view();
    }
    return exchanges;
}

}  // namespace cproxy::lint

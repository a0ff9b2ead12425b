#pragma once
// A rule's declared example (rule.hpp) as the bytes a test sends: "\n" line ends become CRLF,
// the response head gets its empty line when the example has no body, and the example request
// ("METHOD target" plus field lines) becomes a whole HTTP/1.1 request head.
#include <string>
#include <string_view>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::test {

inline std::string with_crlf(std::string_view lines) {
    std::string out;
    for (char c : lines) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// The upstream's bytes: head (and empty line), then the example's body if it has one. An
// example that is only a head gets "Content-Length: 0" unless it frames itself or its status has
// no content, so a client through the proxy never waits for a close.
inline std::string example_response(const check::Rule& rule) {
    std::string bytes = with_crlf(rule.example);
    if (bytes.find("\r\n\r\n") != std::string::npos) return bytes;
    std::string lower;
    for (char c : bytes) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    const bool framed = lower.find("\r\ncontent-length:") != std::string::npos ||
                        lower.find("\r\ntransfer-encoding:") != std::string::npos;
    const std::string_view status = bytes.size() > 12 ? std::string_view(bytes).substr(9, 3) : "";
    const bool bodiless = status.starts_with('1') || status == "204" || status == "304";
    if (!framed && !bodiless) bytes += "Content-Length: 0\r\n";
    return bytes + "\r\n";
}

struct ExampleRequest {
    std::string method = "GET";
    std::string target = "/";
    std::string head;  // "GET / HTTP/1.1\r\nHost: example.test\r\n...\r\n\r\n"
};

inline ExampleRequest example_request(const check::Rule& rule, std::string_view target_override = {}) {
    ExampleRequest request;
    std::string_view lines = rule.example_request;
    const std::size_t line_end = lines.find('\n');
    const std::string_view first = lines.substr(0, line_end);
    const std::string_view fields = line_end == std::string_view::npos ? std::string_view() : lines.substr(line_end + 1);
    if (!first.empty()) {
        const std::size_t space = first.find(' ');
        request.method = std::string(first.substr(0, space));
        if (space != std::string_view::npos) request.target = std::string(first.substr(space + 1));
    }
    if (!target_override.empty()) request.target = std::string(target_override);
    request.head = request.method + " " + request.target + " HTTP/1.1\r\nHost: example.test\r\n" +
                   with_crlf(fields);
    if (!request.head.ends_with("\r\n")) request.head += "\r\n";
    request.head += "\r\n";
    return request;
}

}  // namespace cproxy::test

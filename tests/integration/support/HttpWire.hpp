#pragma once
// HTTP/1.1 on the wire, as the tests see it: heads parsed leniently from their exact bytes,
// bodies read by their framing (Content-Length, chunked, close) and hashed as they arrive,
// so the same reader serves the scripted upstream, the raw client and 100 MB transfers.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "integration/support/Digest.hpp"

namespace it {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct HttpHead {
    std::string raw;         // exactly as received, up to and including the blank line
    std::string start_line;  // without CRLF
    std::vector<std::pair<std::string, std::string>> fields;  // in order, values trimmed

    static HttpHead parse(std::string raw);
    // First value of the field (case-insensitive name), if present.
    std::optional<std::string> field(std::string_view name) const;
    std::string value(std::string_view name) const { return field(name).value_or(""); }
    bool has(std::string_view name) const { return count(name) > 0; }
    std::size_t count(std::string_view name) const;
    // All values of a list field joined and split at commas, trimmed and lower-cased.
    std::vector<std::string> tokens(std::string_view name) const;
    bool chunked() const;  // Transfer-Encoding's last coding is chunked
    std::optional<std::uint64_t> content_length() const;
};

bool iequals(std::string_view a, std::string_view b);

// A body as it streams past: its size, its SHA-256 and its first `keep_limit` bytes.
struct Body {
    std::string bytes;  // decoded (de-chunked); only the first keep_limit bytes
    std::uint64_t size = 0;
    std::string sha256;  // hex, of all `size` bytes; set when the body ends (or breaks off)
    bool complete = false;
    std::string wire;  // the body's bytes as framed on the wire (chunk lines included), capped too
};

// Buffered reads from a blocking socket with a deadline: every wait is bounded by it (or by
// a shutdown of the socket from another thread when the deadline is Clock::time_point::max()).
class SocketReader {
public:
    explicit SocketReader(int fd, std::size_t keep_limit = 16u << 20) : fd_(fd), keep_limit_(keep_limit) {}

    void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
    void set_timeout(Clock::duration timeout) { deadline_ = Clock::now() + timeout; }
    // Read until `marker` has arrived; returns everything up to and including it, consumed.
    std::optional<std::string> read_until(std::string_view marker, std::size_t limit = 1u << 20);
    std::optional<HttpHead> read_head(std::size_t limit = 1u << 20);
    // Reads the body that `head` announces. `request` picks the request framing rules (no
    // body without length or chunked); `no_body` is for HEAD responses, 1xx, 204 and 304.
    Body read_body(const HttpHead& head, bool request, bool no_body);
    std::string read_to_close();  // everything until EOF, error or deadline
    // Reads (keeping the bytes) until the peer closes or resets; false if the deadline came first.
    bool wait_closed();
    std::string take_buffered();  // bytes read but not consumed yet
    bool fill();                  // one more read; false on EOF, error or deadline
    bool saw_reset() const { return reset_; }
    bool saw_eof() const { return eof_; }

private:
    std::size_t available() const { return buffer_.size() - pos_; }
    bool read_exact(std::uint64_t n, Sha256& sha, Body& body);
    std::optional<std::string> read_line();
    void keep(Body& body, std::string_view bytes, bool wire_only = false) const;

    int fd_;
    std::size_t keep_limit_;
    std::string buffer_;
    std::size_t pos_ = 0;
    Clock::time_point deadline_ = Clock::time_point::max();
    bool reset_ = false;
    bool eof_ = false;
};

struct HttpResponse {
    HttpHead head;
    int status = 0;
    Body body;
    std::optional<std::string> field(std::string_view name) const { return head.field(name); }
};

// The response head's status code, or 0 when the start line is not a status line.
int status_of(const HttpHead& head);
// curl --include output: every response head (1xx first) with the final one's body.
std::vector<HttpResponse> parse_curl_include_output(std::string_view output);

bool send_all(int fd, std::string_view bytes);
// "http://127.0.0.1:PORT"
std::string loopback_url(std::uint16_t port);

}  // namespace it

#include "integration/support/HttpWire.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

namespace it {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

HttpHead HttpHead::parse(std::string raw) {
    HttpHead head;
    head.raw = std::move(raw);
    std::string_view rest = head.raw;
    bool first = true;
    while (!rest.empty()) {
        const auto eol = rest.find('\n');
        auto line = rest.substr(0, eol);
        rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (first) {
            head.start_line = std::string(line);
            first = false;
            continue;
        }
        if (line.empty()) break;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        head.fields.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
    }
    return head;
}

std::optional<std::string> HttpHead::field(std::string_view name) const {
    for (const auto& [n, v] : fields)
        if (iequals(n, name)) return v;
    return std::nullopt;
}

std::size_t HttpHead::count(std::string_view name) const {
    return static_cast<std::size_t>(
        std::count_if(fields.begin(), fields.end(), [&](const auto& f) { return iequals(f.first, name); }));
}

std::vector<std::string> HttpHead::tokens(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : fields) {
        if (!iequals(n, name)) continue;
        std::string_view list = v;
        while (!list.empty()) {
            const auto comma = list.find(',');
            const auto item = trim(list.substr(0, comma));
            if (!item.empty()) out.push_back(lower(item));
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
    }
    return out;
}

bool HttpHead::chunked() const {
    const auto codings = tokens("Transfer-Encoding");
    return !codings.empty() && codings.back() == "chunked";
}

std::optional<std::uint64_t> HttpHead::content_length() const {
    const auto text = field("Content-Length");
    if (!text) return std::nullopt;
    std::uint64_t n = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc{} || ptr != text->data() + text->size()) return std::nullopt;
    return n;
}

int status_of(const HttpHead& head) {
    // "HTTP/1.1 200 OK"
    const auto space = head.start_line.find(' ');
    if (head.start_line.rfind("HTTP/", 0) != 0 || space == std::string::npos) return 0;
    int status = 0;
    const char* begin = head.start_line.data() + space + 1;
    std::from_chars(begin, head.start_line.data() + head.start_line.size(), status);
    return status;
}

bool send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string loopback_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

bool SocketReader::fill() {
    if (pos_ == buffer_.size()) {
        buffer_.clear();
        pos_ = 0;
    } else if (pos_ > (1u << 20)) {
        buffer_.erase(0, pos_);
        pos_ = 0;
    }
    for (;;) {
        int wait_ms = -1;
        if (deadline_ != Clock::time_point::max()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
            if (left <= 0) return false;
            wait_ms = static_cast<int>(std::min<long long>(left, 1 << 30));
        }
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        char chunk[64 * 1024];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == ECONNRESET) reset_ = true;
        if (n == 0) eof_ = true;
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }
}

std::optional<std::string> SocketReader::read_until(std::string_view marker, std::size_t limit) {
    for (;;) {
        // Rescan from the unconsumed start: fill() may move bytes, and heads are small.
        const auto found = buffer_.find(marker, pos_);
        if (found != std::string::npos) {
            std::string out = buffer_.substr(pos_, found + marker.size() - pos_);
            pos_ = found + marker.size();
            return out;
        }
        if (available() > limit || !fill()) return std::nullopt;
    }
}

std::optional<HttpHead> SocketReader::read_head(std::size_t limit) {
    auto raw = read_until("\r\n\r\n", limit);
    if (!raw) return std::nullopt;
    return HttpHead::parse(std::move(*raw));
}

std::optional<std::string> SocketReader::read_line() { return read_until("\r\n", 64 * 1024); }

void SocketReader::keep(Body& body, std::string_view bytes, bool wire_only) const {
    if (body.wire.size() < keep_limit_) body.wire.append(bytes.substr(0, keep_limit_ - body.wire.size()));
    if (wire_only) return;
    if (body.bytes.size() < keep_limit_) body.bytes.append(bytes.substr(0, keep_limit_ - body.bytes.size()));
}

bool SocketReader::read_exact(std::uint64_t n, Sha256& sha, Body& body) {
    while (n > 0) {
        if (available() == 0 && !fill()) return false;
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(n, available()));
        const std::string_view piece(buffer_.data() + pos_, take);
        sha.update(piece);
        keep(body, piece);
        body.size += take;
        pos_ += take;
        n -= take;
    }
    return true;
}

Body SocketReader::read_body(const HttpHead& head, bool request, bool no_body) {
    Body body;
    Sha256 sha;
    if (no_body) {
        body.complete = true;
    } else if (head.chunked()) {
        for (;;) {
            const auto line = read_line();
            if (!line) break;
            keep(body, *line, true);
            std::uint64_t size = 0;
            const auto [ptr, ec] = std::from_chars(line->data(), line->data() + line->size(), size, 16);
            if (ec != std::errc{}) break;
            if (size == 0) {  // trailer section up to the blank line
                bool ended = false;
                while (const auto trailer = read_line()) {
                    keep(body, *trailer, true);
                    if (*trailer == "\r\n") {
                        ended = true;
                        break;
                    }
                }
                body.complete = ended;
                break;
            }
            if (!read_exact(size, sha, body)) break;
            const auto crlf = read_line();
            if (!crlf || *crlf != "\r\n") break;
            keep(body, *crlf, true);
        }
    } else if (const auto length = head.content_length()) {
        body.complete = read_exact(*length, sha, body);
    } else if (!request) {
        for (;;) {
            if (available() > 0) {
                const std::string_view piece(buffer_.data() + pos_, available());
                sha.update(piece);
                keep(body, piece);
                body.size += piece.size();
                pos_ = buffer_.size();
            }
            if (!fill()) break;
        }
        body.complete = !reset_;
    } else {
        body.complete = true;  // a request without Content-Length or chunked has no body
    }
    body.sha256 = sha.hex_digest();
    return body;
}

std::string SocketReader::read_to_close() {
    while (fill()) {
    }
    return take_buffered();
}

bool SocketReader::wait_closed() {
    while (fill()) {
    }
    return eof_ || reset_;
}

std::string SocketReader::take_buffered() {
    std::string out = buffer_.substr(pos_);
    buffer_.clear();
    pos_ = 0;
    return out;
}

std::vector<HttpResponse> parse_curl_include_output(std::string_view output) {
    std::vector<HttpResponse> responses;
    while (output.rfind("HTTP/", 0) == 0) {
        const auto end = output.find("\r\n\r\n");
        if (end == std::string_view::npos) break;
        HttpResponse response;
        response.head = HttpHead::parse(std::string(output.substr(0, end + 4)));
        response.status = status_of(response.head);
        output.remove_prefix(end + 4);
        const bool interim = response.status >= 100 && response.status < 200;
        if (!interim) {
            response.body.bytes = std::string(output);
            response.body.size = output.size();
            response.body.sha256 = sha256_hex(output);
            response.body.complete = true;
            output = {};
        }
        responses.push_back(std::move(response));
        if (!interim) break;
    }
    return responses;
}

}  // namespace it

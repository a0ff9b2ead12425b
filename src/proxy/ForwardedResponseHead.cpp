#include "proxy/ForwardedResponseHead.hpp"

#include <array>

namespace cproxy::proxy {

namespace {

bool is_tchar(unsigned char c) {
    static constexpr auto table = [] {
        std::array<bool, 256> t{};
        for (unsigned char c = '0'; c <= '9'; ++c) t[c] = true;
        for (unsigned char c = 'a'; c <= 'z'; ++c) t[c] = true;
        for (unsigned char c = 'A'; c <= 'Z'; ++c) t[c] = true;
        for (unsigned char c : std::string_view("!#$%&'*+-.^_`|~")) t[c] = true;
        return t;
    }();
    return table[c];
}

unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c | 0x20) : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(static_cast<unsigned char>(a[i])) != ascii_lower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Calls fn for each non-empty element of a comma-separated list.
template <class Fn>
void for_each_token(std::string_view list, Fn&& fn) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = trim(list.substr(0, comma));
        if (!item.empty()) fn(item);
        if (comma == std::string_view::npos) return;
        list.remove_prefix(comma + 1);
    }
}

bool is_fixed_hop_by_hop(std::string_view name) {
    return iequals(name, "Connection") || iequals(name, "Keep-Alive") || iequals(name, "Proxy-Connection") ||
           iequals(name, "TE") || iequals(name, "Trailer") || iequals(name, "Upgrade") ||
           iequals(name, "Proxy-Authenticate");
}

struct Line {
    std::string_view name, value, whole;  // whole includes the CRLF
};

// Splits the next CRLF-terminated line; false on a bare LF or a missing CRLF.
bool next_line(std::string_view& rest, std::string_view& line) {
    const auto lf = rest.find('\n');
    if (lf == std::string_view::npos || lf == 0 || rest[lf - 1] != '\r') return false;
    line = rest.substr(0, lf + 1);
    rest.remove_prefix(lf + 1);
    return true;
}

bool parse_field(std::string_view line, Line& out) {
    const auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    const auto name = line.substr(0, colon);
    for (unsigned char c : name)
        if (!is_tchar(c)) return false;
    const auto value = trim(line.substr(colon + 1, line.size() - colon - 3));
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    out = Line{name, value, line};
    return true;
}

}  // namespace

bool rewrite_response_head(std::string_view raw_head, const ForwardedHeadOptions& options, std::string& out,
                           ForwardedHead& info) {
    std::string_view rest = raw_head;
    std::string_view status_line;
    if (!next_line(rest, status_line)) return false;
    // "HTTP/1.x DDD[ reason]\r\n"
    if (status_line.size() < 14 || status_line.substr(0, 7) != "HTTP/1." ||
        (status_line[7] != '0' && status_line[7] != '1') || status_line[8] != ' ')
        return false;
    const bool http10 = status_line[7] == '0';
    unsigned status = 0;
    for (int i = 9; i < 12; ++i) {
        const char c = status_line[i];
        if (c < '0' || c > '9') return false;
        status = status * 10 + static_cast<unsigned>(c - '0');
    }
    if (status < 200 || status > 599 || (status_line[12] != ' ' && status_line[12] != '\r')) return false;
    const auto reason = status_line.size() > 15 ? status_line.substr(13, status_line.size() - 15) : std::string_view{};
    for (unsigned char c : reason)
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;

    // First pass: validate, and learn framing and the Connection tokens.
    std::string_view connection_tokens[8];
    std::size_t connection_count = 0;
    bool close = false, keep_alive_token = false, content_length_seen = false;
    std::string_view scan = rest;
    std::string_view line;
    for (;;) {
        if (!next_line(scan, line)) return false;
        if (line.size() == 2) break;  // the empty line
        if (line.front() == ' ' || line.front() == '\t') return false;  // obs-fold: general path repairs it
        Line field;
        if (!parse_field(line, field)) return false;
        if (iequals(field.name, "Transfer-Encoding")) return false;
        if (iequals(field.name, "Content-Length")) {
            if (content_length_seen || field.value.empty()) return false;
            for (char c : field.value)
                if (c < '0' || c > '9') return false;
            content_length_seen = true;
        } else if (iequals(field.name, "Connection")) {
            bool overflow = false;
            for_each_token(field.value, [&](std::string_view token) {
                if (iequals(token, "close")) close = true;
                else if (iequals(token, "keep-alive")) keep_alive_token = true;
                else if (connection_count < 8) connection_tokens[connection_count++] = token;
                else overflow = true;
            });
            if (overflow) return false;
        }
    }
    if (!scan.empty()) return false;  // more than one head: not ours to judge here
    if (!content_length_seen && status != 204 && status != 304) {
        // Without a length the body runs to the close: the general path re-frames it.
        // (A HEAD response is fine either way, but the caller does not tell us; keep it simple.)
        return false;
    }

    info.status = status;
    info.upstream_keep_alive = !close && (!http10 || keep_alive_token);

    out.clear();
    out.append("HTTP/1.1 ").append(status_line.substr(9, status_line.size() - 11)).append("\r\n");
    for (;;) {
        next_line(rest, line);
        if (line.size() == 2) break;
        Line field;
        parse_field(line, field);
        if (is_fixed_hop_by_hop(field.name)) continue;
        bool named = false;
        for (std::size_t i = 0; i < connection_count && !named; ++i) named = iequals(field.name, connection_tokens[i]);
        if (named && !iequals(field.name, "Content-Length")) continue;
        out.append(field.whole);
    }
    out.append("Via: ").append(http10 ? "1.0" : "1.1").append(" conformance-proxy\r\n");
    if (!options.findings_ids.empty()) out.append("Conformance-Findings: ").append(options.findings_ids).append("\r\n");
    if (!options.keep_alive)
        out.append("Connection: close\r\n");
    else if (options.client_http10)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
    return true;
}

}  // namespace cproxy::proxy

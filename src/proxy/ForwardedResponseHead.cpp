#include "proxy/ForwardedResponseHead.hpp"

#include <array>

#include "check/HttpGrammar.hpp"
#include "proxy/MessageRewriter.hpp"

namespace cproxy::proxy {

using namespace std::string_view_literals;  // append("..."sv): no strlen per call

namespace {

using check::grammar::iequals;

enum class FieldKind { other, hop_by_hop, connection, content_length, transfer_encoding };

// The names the rewrite cares about, matched by length first: most fields cost one switch.
FieldKind classify(std::string_view name) {
    switch (name.size()) {
    case 2:
        return iequals(name, "TE") ? FieldKind::hop_by_hop : FieldKind::other;
    case 7:
        return iequals(name, "Trailer") || iequals(name, "Upgrade") ? FieldKind::hop_by_hop : FieldKind::other;
    case 10:
        if (iequals(name, "Connection")) return FieldKind::connection;
        return iequals(name, "Keep-Alive") ? FieldKind::hop_by_hop : FieldKind::other;
    case 14:
        return iequals(name, "Content-Length") ? FieldKind::content_length : FieldKind::other;
    case 16:
        return iequals(name, "Proxy-Connection") ? FieldKind::hop_by_hop : FieldKind::other;
    case 17:
        return iequals(name, "Transfer-Encoding") ? FieldKind::transfer_encoding : FieldKind::other;
    case 18:
        return iequals(name, "Proxy-Authenticate") ? FieldKind::hop_by_hop : FieldKind::other;
    default:
        return FieldKind::other;
    }
}

struct Line {
    std::string_view name, value, whole;  // whole includes the CRLF
    FieldKind kind = FieldKind::other;
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
    if (!check::grammar::is_token(name)) return false;
    const auto value = check::grammar::trim_ows(line.substr(colon + 1, line.size() - colon - 3));
    if (check::grammar::first_forbidden_char(value) != check::grammar::npos) return false;
    out = Line{name, value, line, classify(name)};
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
    if (check::grammar::first_forbidden_char(reason) != check::grammar::npos) return false;

    // One pass over the fields: validate, classify, learn framing and the Connection tokens.
    // A head with more fields than this is rare enough for the general path.
    constexpr std::size_t max_fields = 96;
    struct Seen {  // trivial on purpose: the array stays uninitialized until used
        std::string_view name, whole;
        FieldKind kind;
    };
    union Storage {
        Storage() {}
        Seen seen[max_fields];
    } storage;
    Seen* const fields = storage.seen;
    std::size_t field_count = 0;
    std::string_view connection_tokens[8];
    std::size_t connection_count = 0;
    bool close = false, keep_alive_token = false, content_length_seen = false;
    std::string_view line;
    for (;;) {
        if (!next_line(rest, line)) return false;
        if (line.size() == 2) break;  // the empty line
        if (line.front() == ' ' || line.front() == '\t') return false;  // obs-fold: general path repairs it
        if (field_count == max_fields) return false;
        Line field;
        if (!parse_field(line, field)) return false;
        fields[field_count++] = Seen{field.name, field.whole, field.kind};
        if (field.kind == FieldKind::transfer_encoding) return false;
        if (field.kind == FieldKind::content_length) {
            if (content_length_seen || field.value.empty()) return false;
            for (char c : field.value)
                if (c < '0' || c > '9') return false;
            content_length_seen = true;
        } else if (field.kind == FieldKind::connection) {
            bool overflow = false;
            for_each_list_token(field.value, [&](std::string_view token) {
                if (iequals(token, "close")) close = true;
                else if (iequals(token, "keep-alive")) keep_alive_token = true;
                else if (connection_count < 8) connection_tokens[connection_count++] = token;
                else overflow = true;
            });
            if (overflow) return false;
        }
    }
    if (!rest.empty()) return false;  // more than one head: not ours to judge here
    if (!content_length_seen && status != 204 && status != 304) {
        // Without a length the body runs to the close: the general path re-frames it.
        // (A HEAD response is fine either way, but the caller does not tell us; keep it simple.)
        return false;
    }

    info.status = status;
    info.upstream_keep_alive = !close && (!http10 || keep_alive_token);

    out.clear();
    out.append("HTTP/1.1 "sv).append(status_line.substr(9, status_line.size() - 11)).append("\r\n"sv);
    // The kept lines are contiguous in raw_head: append them run by run.
    const char* run_begin = nullptr;
    const char* run_end = nullptr;
    for (std::size_t f = 0; f < field_count; ++f) {
        const Seen& field = fields[f];
        bool drop = field.kind == FieldKind::hop_by_hop || field.kind == FieldKind::connection;
        if (field.kind != FieldKind::content_length)
            for (std::size_t i = 0; i < connection_count && !drop; ++i) drop = iequals(field.name, connection_tokens[i]);
        if (drop) {
            if (run_begin) out.append(run_begin, run_end);
            run_begin = nullptr;
            continue;
        }
        if (!run_begin) run_begin = field.whole.data();
        run_end = field.whole.data() + field.whole.size();
    }
    if (run_begin) out.append(run_begin, run_end);
    out.append("Via: "sv).append(http10 ? "1.0" : "1.1").append(" conformance-proxy\r\n"sv);
    if (!options.findings_ids.empty()) out.append("Conformance-Findings: "sv).append(options.findings_ids).append("\r\n"sv);
    if (!options.keep_alive)
        out.append("Connection: close\r\n"sv);
    else if (options.client_http10)
        out.append("Connection: keep-alive\r\n"sv);
    out.append("\r\n"sv);
    return true;
}

}  // namespace cproxy::proxy

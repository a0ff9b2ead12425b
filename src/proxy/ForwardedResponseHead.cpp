#include "proxy/ForwardedResponseHead.hpp"

#include "conformance_proxy/http/HttpGrammar.hpp"
#include "conformance_proxy/http/RawHead.hpp"
#include "proxy/MessageRewriter.hpp"

namespace cproxy::proxy {

using namespace std::string_view_literals;  // append("..."sv): no strlen per call

namespace {

using cproxy::http::KnownField;
using cproxy::http::grammar::iequals;

enum class FieldKind { other, hop_by_hop, connection, content_length, transfer_encoding };

// The hop-by-hop fields of is_hop_by_hop_field (MessageRewriter.cpp), by the classification
// the checker's parse already made (no name lookup per field): change both lists together.
// (Proxy-Authorization is a request field; responses never carry it.)
FieldKind kind_of(KnownField field) {
    switch (field) {
    case KnownField::te:
    case KnownField::trailer:
    case KnownField::upgrade:
    case KnownField::keep_alive:
    case KnownField::proxy_connection:
    case KnownField::proxy_authenticate:
        return FieldKind::hop_by_hop;
    case KnownField::connection:
        return FieldKind::connection;
    case KnownField::content_length:
        return FieldKind::content_length;
    case KnownField::transfer_encoding:
        return FieldKind::transfer_encoding;
    default:
        return FieldKind::other;
    }
}

}  // namespace

bool rewrite_response_head(std::string_view raw_head, const ForwardedHeadOptions& options, std::string& out,
                           ForwardedHead& info) {
    return rewrite_response_head(cproxy::http::RawHead(raw_head), options, out, info);
}

bool rewrite_response_head(const cproxy::http::RawHead& head, const ForwardedHeadOptions& options, std::string& out,
                           ForwardedHead& info) {
    // Bare LF, obs-fold, a second head: the general path repairs or refuses them.
    if (!head.all_lines_crlf() || !head.ends_exactly() || head.continuation_lines() > 0) return false;
    // "HTTP/1.x DDD[ reason]"
    const std::string_view status_line = head.status_line();
    if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." ||
        (status_line[7] != '0' && status_line[7] != '1') || status_line[8] != ' ')
        return false;
    const bool http10 = status_line[7] == '0';
    unsigned status = 0;
    for (int i = 9; i < 12; ++i) {
        const char c = status_line[i];
        if (c < '0' || c > '9') return false;
        status = status * 10 + static_cast<unsigned>(c - '0');
    }
    if (status < 200 || status > 599 || (status_line.size() > 12 && status_line[12] != ' ')) return false;
    const auto reason = status_line.size() > 13 ? status_line.substr(13) : std::string_view{};
    if (cproxy::http::grammar::first_forbidden_char(reason) != cproxy::http::grammar::npos) return false;

    // One pass over the fields the checker's parse found: validity, framing, Connection tokens.
    std::string_view connection_tokens[8];
    std::size_t connection_count = 0;
    bool close = false, keep_alive_token = false;
    if (head.count(KnownField::content_length) > 1) return false;
    for (const auto& field : head.fields()) {
        if (!field.has_colon || !field.name_is_token || field.bad_char_offset != cproxy::http::FieldLine::no_bad_char)
            return false;
        const auto kind = kind_of(field.known);
        if (kind == FieldKind::transfer_encoding) return false;
        if (kind == FieldKind::content_length) {
            if (field.value.empty()) return false;
            for (char c : field.value)
                if (c < '0' || c > '9') return false;
        } else if (kind == FieldKind::connection) {
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
    if (!head.has(KnownField::content_length) && status != 204 && status != 304) {
        // Without a length the body runs to the close: the general path re-frames it.
        // (A HEAD response is fine either way, but the caller does not tell us; keep it simple.)
        return false;
    }

    info.status = status;
    info.upstream_keep_alive = !close && (!http10 || keep_alive_token);

    out.clear();
    out.append("HTTP/1.1 "sv).append(status_line.substr(9)).append("\r\n"sv);
    // The kept lines are contiguous in the raw head: append them run by run.
    const char* run_begin = nullptr;
    const char* run_end = nullptr;
    for (const auto& field : head.fields()) {
        const auto kind = kind_of(field.known);
        bool drop = kind == FieldKind::hop_by_hop || kind == FieldKind::connection;
        if (kind != FieldKind::content_length)
            for (std::size_t i = 0; i < connection_count && !drop; ++i) drop = iequals(field.name, connection_tokens[i]);
        if (drop) {
            if (run_begin) out.append(run_begin, run_end);
            run_begin = nullptr;
            continue;
        }
        if (!run_begin) run_begin = field.line.data();
        run_end = field.line.data() + field.line.size();
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

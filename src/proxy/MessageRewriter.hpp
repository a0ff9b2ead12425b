#pragma once
// What a proxy changes in a message it forwards (RFC 9110 §7.6): hop-by-hop fields go,
// Via is added, and the client's address is passed on in X-Forwarded-* or Forwarded.
#include <boost/beast/http/fields.hpp>
#include <string>
#include <string_view>

#include "conformance_proxy/proxy/ProxyOptions.hpp"
#include "proxy/RequestFields.hpp"

namespace cproxy::proxy {

// Removes Connection and every field it names, Keep-Alive, Proxy-Connection, TE, Trailer,
// Upgrade (kept when keep_upgrade, for a WebSocket handshake), and Proxy-Authorization /
// Proxy-Authenticate (credentials are for this hop only). Transfer-Encoding is left to the
// caller: Beast re-frames the body from it.
// (Each for both field types: the response's http::fields and the request's RequestFields.)
void remove_hop_by_hop_fields(boost::beast::http::fields& fields, bool keep_upgrade);
void remove_hop_by_hop_fields(RequestFields& fields, bool keep_upgrade);

// Identical duplicate Content-Length values may be accepted, but only one goes on (RFC 9112
// §6.3): the request then carries the single value the parser framed its body by.
void keep_one_content_length(RequestParser& request);

// The fields remove_hop_by_hop_fields always drops (not those named by Connection).
bool is_hop_by_hop_field(boost::beast::http::field name, bool keep_upgrade);

// Appends "1.1 conformance-proxy" (or "1.0 ..." for an HTTP/1.0 message) to Via.
void add_via(boost::beast::http::fields& fields, unsigned received_version);
void add_via(RequestFields& fields, unsigned received_version);

struct ClientInfo {
    std::string_view address;   // peer IP
    std::string_view proto;     // "http" or "https"
    std::string_view host;      // Host as the client sent it
};
void add_forwarded(boost::beast::http::fields& fields, ForwardedStyle style, const ClientInfo& client);
void add_forwarded(RequestFields& fields, ForwardedStyle style, const ClientInfo& client);

// The element this proxy appends to Via: "1.1 conformance-proxy" ("1.0 ..." for HTTP/1.0).
std::string_view via_hop(unsigned received_version);

// The element this proxy appends to Forwarded (RFC 7239), e.g. for=1.2.3.4;proto=http;host="h".
std::string forwarded_element(const ClientInfo& client);

// Calls fn for each non-empty, OWS-trimmed element of a comma-separated list.
template <class Fn>
void for_each_list_token(std::string_view list, Fn&& fn) {
    const auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = trim(list.substr(0, comma));
        if (!item.empty()) fn(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

// True if the field value lists token (case-insensitive), for Connection/Upgrade/Expect lists.
bool list_contains_token(std::string_view list, std::string_view token);

}  // namespace cproxy::proxy

#include "proxy/MessageRewriter.hpp"

#include <boost/beast/core/string.hpp>
#include <string>
#include <vector>

namespace cproxy::proxy {

namespace http = boost::beast::http;
using boost::beast::iequals;

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

template <class Fn>
void for_each_list_token(std::string_view list, Fn&& fn) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = trim(list.substr(0, comma));
        if (!item.empty()) fn(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

}  // namespace

bool list_contains_token(std::string_view list, std::string_view token) {
    bool found = false;
    for_each_list_token(list, [&](std::string_view item) { found = found || iequals(item, token); });
    return found;
}

void remove_hop_by_hop_fields(http::fields& fields, bool keep_upgrade) {
    // Fields named by Connection are hop-by-hop too (§7.6.1); collect before erasing.
    std::vector<std::string> named;
    for (auto it = fields.find(http::field::connection); it != fields.end() && it->name() == http::field::connection; ++it) {
        for_each_list_token(it->value(), [&](std::string_view item) {
            if (keep_upgrade && iequals(item, "upgrade")) return;
            if (iequals(item, "transfer-encoding") || iequals(item, "content-length")) return;  // framing stays
            named.emplace_back(item);
        });
    }
    for (const auto& name : named) fields.erase(name);
    fields.erase(http::field::connection);
    fields.erase(http::field::keep_alive);
    fields.erase("Proxy-Connection");
    fields.erase(http::field::te);
    fields.erase(http::field::trailer);
    fields.erase(http::field::proxy_authorization);
    fields.erase(http::field::proxy_authenticate);
    if (keep_upgrade)
        fields.set(http::field::connection, "upgrade");
    else
        fields.erase(http::field::upgrade);
}

void add_via(http::fields& fields, unsigned received_version) {
    const std::string_view hop = received_version == 10 ? "1.0 conformance-proxy" : "1.1 conformance-proxy";
    auto it = fields.find(http::field::via);
    if (it == fields.end()) {
        fields.set(http::field::via, hop);
    } else {
        std::string combined{it->value()};
        combined += ", ";
        combined += hop;
        fields.set(http::field::via, combined);
    }
}

void add_forwarded(http::fields& fields, ForwardedStyle style, const ClientInfo& client) {
    switch (style) {
    case ForwardedStyle::none:
        return;
    case ForwardedStyle::x_forwarded: {
        std::string xff;
        if (auto it = fields.find("X-Forwarded-For"); it != fields.end()) {
            xff = std::string{it->value()} + ", ";
        }
        xff += client.address;
        fields.set("X-Forwarded-For", xff);
        fields.set("X-Forwarded-Proto", client.proto);
        if (!client.host.empty()) fields.set("X-Forwarded-Host", client.host);
        return;
    }
    case ForwardedStyle::forwarded: {
        // RFC 7239: IPv6 addresses and anything beyond a token must be quoted.
        std::string element = "for=";
        const bool ipv6 = client.address.find(':') != std::string_view::npos;
        element += ipv6 ? "\"[" + std::string{client.address} + "]\"" : std::string{client.address};
        element += ";proto=";
        element += client.proto;
        if (!client.host.empty()) {
            element += ";host=\"";
            element += client.host;
            element += '"';
        }
        if (auto it = fields.find(http::field::forwarded); it != fields.end())
            element = std::string{it->value()} + ", " + element;
        fields.set(http::field::forwarded, element);
        return;
    }
    }
}

}  // namespace cproxy::proxy

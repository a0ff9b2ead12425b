#include "proxy/MessageRewriter.hpp"

#include <boost/beast/core/string.hpp>
#include <string>
#include <vector>

namespace cproxy::proxy {

namespace http = boost::beast::http;
using boost::beast::iequals;

// The response fast path keeps the same list by the checker's field classification
// (kind_of in ForwardedResponseHead.cpp): change both lists together.
bool is_hop_by_hop_field(http::field name, bool keep_upgrade) {
    switch (name) {
    case http::field::connection:
    case http::field::keep_alive:
    case http::field::proxy_connection:
    case http::field::te:
    case http::field::trailer:
    case http::field::proxy_authorization:  // credentials are for this hop only
    case http::field::proxy_authenticate:
        return true;
    case http::field::upgrade:
        return !keep_upgrade;
    default:
        return false;
    }
}

bool list_contains_token(std::string_view list, std::string_view token) {
    bool found = false;
    for_each_list_token(list, [&](std::string_view item) { found = found || iequals(item, token); });
    return found;
}

namespace {

// Most messages carry none of these; one pass over the fields spares a lookup per name.
template <class Fields>
bool has_hop_by_hop_field(const Fields& fields) {
    for (const auto& field : fields)
        if (is_hop_by_hop_field(field.name(), false)) return true;
    return false;
}

// insert() where the field is absent (the common case) skips set()'s erase lookup.
template <class Fields>
void put(Fields& fields, std::string_view name, std::string_view value) {
    if (fields.find(name) == fields.end())
        fields.insert(name, value);
    else
        fields.set(name, value);
}

}  // namespace

template <class Fields>
void remove_hop_by_hop_fields_in(Fields& fields, bool keep_upgrade) {
    if (!keep_upgrade && !has_hop_by_hop_field(fields)) return;
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
    fields.erase(http::field::proxy_connection);
    fields.erase(http::field::te);
    fields.erase(http::field::trailer);
    fields.erase(http::field::proxy_authorization);
    fields.erase(http::field::proxy_authenticate);
    if (keep_upgrade)
        fields.set(http::field::connection, "upgrade");
    else
        fields.erase(http::field::upgrade);
}

std::string_view via_hop(unsigned received_version) {
    return received_version == 10 ? "1.0 conformance-proxy" : "1.1 conformance-proxy";
}

std::string forwarded_element(const ClientInfo& client) {
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
    return element;
}

template <class Fields>
void add_via_in(Fields& fields, unsigned received_version) {
    const std::string_view hop = via_hop(received_version);
    auto it = fields.find(http::field::via);
    if (it == fields.end()) {
        fields.insert(http::field::via, hop);
    } else {
        std::string combined{it->value()};
        combined += ", ";
        combined += hop;
        fields.set(http::field::via, combined);
    }
}

template <class Fields>
void add_forwarded_in(Fields& fields, ForwardedStyle style, const ClientInfo& client) {
    switch (style) {
    case ForwardedStyle::none:
        return;
    case ForwardedStyle::x_forwarded: {
        if (auto it = fields.find("X-Forwarded-For"); it != fields.end()) {
            std::string xff{it->value()};
            xff += ", ";
            xff += client.address;
            fields.set("X-Forwarded-For", xff);
        } else {
            fields.insert("X-Forwarded-For", client.address);
        }
        put(fields, "X-Forwarded-Proto", client.proto);
        if (!client.host.empty()) put(fields, "X-Forwarded-Host", client.host);
        return;
    }
    case ForwardedStyle::forwarded: {
        std::string element = forwarded_element(client);
        if (auto it = fields.find(http::field::forwarded); it != fields.end())
            element = std::string{it->value()} + ", " + element;
        fields.set(http::field::forwarded, element);
        return;
    }
    }
}

void remove_hop_by_hop_fields(http::fields& fields, bool keep_upgrade) {
    remove_hop_by_hop_fields_in(fields, keep_upgrade);
}
void remove_hop_by_hop_fields(RequestFields& fields, bool keep_upgrade) {
    remove_hop_by_hop_fields_in(fields, keep_upgrade);
}
void add_via(http::fields& fields, unsigned received_version) { add_via_in(fields, received_version); }
void add_via(RequestFields& fields, unsigned received_version) { add_via_in(fields, received_version); }
void add_forwarded(http::fields& fields, ForwardedStyle style, const ClientInfo& client) {
    add_forwarded_in(fields, style, client);
}
void add_forwarded(RequestFields& fields, ForwardedStyle style, const ClientInfo& client) {
    add_forwarded_in(fields, style, client);
}

void keep_one_content_length(RequestParser& request) {
    const auto length = request.content_length();
    if (!length) return;
    auto& fields = request.get();
    const auto value = std::to_string(*length);
    if (fields.count(http::field::content_length) != 1 || fields[http::field::content_length] != value)
        fields.set(http::field::content_length, value);
}

}  // namespace cproxy::proxy

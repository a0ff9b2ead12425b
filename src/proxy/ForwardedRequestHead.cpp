#include "proxy/ForwardedRequestHead.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/container/small_vector.hpp>

namespace cproxy::proxy {

using namespace std::string_view_literals;  // append("..."sv): no strlen per call

namespace http = boost::beast::http;
using boost::beast::iequals;

namespace {

// Values of a list field that this proxy extends (Via, X-Forwarded-For, Forwarded): the
// client's lines are combined, in order, in front of this proxy's element.
class ListField {
public:
    void add(std::string_view value) {
        if (value.empty()) return;
        if (first_.empty() && rest_.empty()) {
            first_ = value;
            return;
        }
        rest_.append(", "sv).append(value);
    }
    void write(std::string& out, std::string_view name, std::string_view own) const {
        out.append(name).append(": "sv);
        if (!first_.empty()) out.append(first_).append(rest_).append(", "sv);
        out.append(own).append("\r\n"sv);
    }

private:
    std::string_view first_;  // the common case (one line) needs no copy
    std::string rest_;
};

}  // namespace

void write_forwarded_request_head(const RequestFields& fields, const ForwardedRequestOptions& options,
                                  std::string& out) {
    // Fields named by Connection are hop-by-hop too (RFC 9110 §7.6.1); framing fields stay.
    boost::container::small_vector<std::string_view, 8> named;
    for (const auto& field : fields) {
        if (field.name() != http::field::connection) continue;
        for_each_list_token(field.value(), [&](std::string_view token) {
            if (options.keep_upgrade && iequals(token, "upgrade")) return;
            if (iequals(token, "transfer-encoding") || iequals(token, "content-length")) return;
            named.push_back(token);
        });
    }
    const bool x_forwarded = options.forwarded == ForwardedStyle::x_forwarded;
    ListField via, forwarded_for;

    out.clear();
    out.append(options.method).append(" "sv).append(options.target).append(" HTTP/1.1\r\n"sv);
    for (const auto& field : fields) {
        const auto name = field.name();
        const auto name_text = field.name_string();
        if (is_hop_by_hop_field(name, options.keep_upgrade)) continue;
        bool drop = false;
        for (const auto token : named) drop = drop || iequals(name_text, token);
        if (drop) continue;
        if (name == http::field::via) {
            via.add(field.value());
            continue;
        }
        if (name == http::field::host && !options.host.empty()) continue;
        if (name == http::field::forwarded && options.forwarded == ForwardedStyle::forwarded) {
            forwarded_for.add(field.value());
            continue;
        }
        if (x_forwarded && name == http::field::unknown && name_text.size() >= 15 &&
            iequals(name_text.substr(0, 12), "X-Forwarded-")) {
            const auto suffix = name_text.substr(12);
            if (iequals(suffix, "For")) {
                forwarded_for.add(field.value());
                continue;
            }
            if (iequals(suffix, "Proto") || (iequals(suffix, "Host") && !options.client.host.empty()))
                continue;  // replaced below
        }
        out.append(name_text).append(": "sv).append(field.value()).append("\r\n"sv);
    }
    if (!options.host.empty()) out.append("Host: "sv).append(options.host).append("\r\n"sv);
    if (options.keep_upgrade) out.append("Connection: upgrade\r\n"sv);
    via.write(out, "Via", via_hop(options.received_version));
    switch (options.forwarded) {
    case ForwardedStyle::none:
        break;
    case ForwardedStyle::x_forwarded:
        forwarded_for.write(out, "X-Forwarded-For", options.client.address);
        out.append("X-Forwarded-Proto: "sv).append(options.client.proto).append("\r\n"sv);
        if (!options.client.host.empty()) out.append("X-Forwarded-Host: "sv).append(options.client.host).append("\r\n"sv);
        break;
    case ForwardedStyle::forwarded:
        forwarded_for.write(out, "Forwarded", forwarded_element(options.client));
        break;
    }
    out.append("\r\n"sv);
}

void rewrite_forwarded_request(http::request_header<RequestFields>& request, const ForwardedRequestOptions& options) {
    remove_hop_by_hop_fields(request, options.keep_upgrade);
    add_via(request, options.received_version);
    add_forwarded(request, options.forwarded, options.client);
    if (!options.host.empty()) request.set(http::field::host, options.host);
    request.version(11);
}

}  // namespace cproxy::proxy

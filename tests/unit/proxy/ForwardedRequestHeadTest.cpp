// Bodiless requests go upstream through a text writer; requests with a body through Beast's
// field tree (rewrite_forwarded_request). Both must forward the same fields, or a request would
// change meaning with its body.
#include <doctest/doctest.h>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <map>
#include <string>

#include "proxy/ForwardedRequestHead.hpp"
#include "proxy/MessageRewriter.hpp"

namespace http = boost::beast::http;
using namespace cproxy::proxy;

namespace {

// Into the field type the proxy parses client requests into (RequestFields).
http::request<http::empty_body, RequestFields> parse(const std::string& raw) {
    http::request_parser<http::empty_body, RequestAllocator> parser;
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(raw), ec);
    REQUIRE_MESSAGE(!ec, raw << ": " << ec.message());
    REQUIRE(parser.is_header_done());
    return parser.release();
}

// Field name (lower case) -> values of its lines combined in order, as RFC 9110 §5.3 allows.
std::map<std::string, std::string> combined(const RequestFields& fields) {
    std::map<std::string, std::string> out;
    for (const auto& field : fields) {
        std::string name{field.name_string()};
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto& value = out[name];
        if (!value.empty()) value += ", ";
        value += field.value();
    }
    return out;
}

struct Case {
    std::string raw;
    ForwardedStyle style = ForwardedStyle::x_forwarded;
    bool keep_upgrade = false;
    std::string host_override{};  // most cases leave it out; {} keeps -Wextra quiet
};

ForwardedRequestOptions options_for(const http::request<http::empty_body, RequestFields>& req, const Case& c,
                                    const ClientInfo& client) {
    ForwardedRequestOptions options;
    options.method = req.method_string();
    options.target = req.target();
    options.received_version = req.version();
    options.keep_upgrade = c.keep_upgrade;
    options.host = c.host_override;
    options.forwarded = c.style;
    options.client = client;
    return options;
}

std::string via_text(const Case& c, const ClientInfo& client) {
    const auto req = parse(c.raw);
    std::string out;
    write_forwarded_request_head(req, options_for(req, c, client), out);
    return out;
}

// The path of a request with a body: its parsed head rewritten in place.
std::map<std::string, std::string> via_beast(const Case& c, const ClientInfo& client) {
    auto req = parse(c.raw);
    const auto options = options_for(req, c, client);
    rewrite_forwarded_request(req, options);
    return combined(req);
}

}  // namespace

TEST_CASE("a plain GET: request line as HTTP/1.1, fields kept byte for byte, Via and X-Forwarded-* added") {
    const auto out = via_text({"GET /a?b=1 HTTP/1.1\r\nHost: api.test\r\nAccept:  */*\r\nX-Custom: 1\r\n\r\n"},
                              ClientInfo{"10.0.0.7", "http", "api.test"});
    CHECK(out ==
          "GET /a?b=1 HTTP/1.1\r\nHost: api.test\r\nAccept: */*\r\nX-Custom: 1\r\nVia: 1.1 conformance-proxy\r\n"
          "X-Forwarded-For: 10.0.0.7\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: api.test\r\n\r\n");
}

TEST_CASE("the text writer forwards the same fields as the Beast rewriter") {
    const ClientInfo client{"192.0.2.1", "https", "front.test"};
    const ClientInfo v6{"2001:db8::1", "http", "front.test"};
    const Case cases[] = {
        {"GET / HTTP/1.1\r\nHost: front.test\r\n\r\n"},
        {"GET / HTTP/1.0\r\nHost: front.test\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n"},
        {"GET /x HTTP/1.1\r\nHost: front.test\r\nConnection: X-Secret, close\r\nX-Secret: s\r\nTE: trailers\r\n"
         "Trailer: X\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic dTpw\r\nUpgrade: h2c\r\n"
         "Accept: text/html\r\n\r\n"},
        {"GET / HTTP/1.1\r\nHost: front.test\r\nVia: 1.0 edge\r\nX-Forwarded-For: 198.51.100.9\r\n"
         "X-Forwarded-Proto: http\r\nX-Forwarded-Host: edge.test\r\n\r\n"},
        {"GET / HTTP/1.1\r\nHost: front.test\r\nForwarded: for=198.51.100.9\r\n\r\n", ForwardedStyle::forwarded},
        {"GET / HTTP/1.1\r\nHost: front.test\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n", ForwardedStyle::none},
        {"GET /chat HTTP/1.1\r\nHost: front.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
         ForwardedStyle::x_forwarded, true},
        {"DELETE /items/7 HTTP/1.1\r\nHost: front.test\r\nConnection: content-length, x-a\r\nX-A: 1\r\n\r\n",
         ForwardedStyle::x_forwarded, false, "10.0.0.2:3000"},
    };
    for (const auto& c : cases) {
        for (const auto& who : {client, v6}) {
            CAPTURE(c.raw);
            const auto text = via_text(c, who);
            const auto forwarded = parse(text);
            CHECK(forwarded.version() == 11);
            CHECK(combined(forwarded) == via_beast(c, who));
        }
    }
}

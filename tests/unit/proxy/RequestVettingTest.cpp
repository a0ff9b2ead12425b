// The proxy's own refusals of a client request, without a socket: each one's status and the
// reason it gives, and that a sound request passes and goes where its target says.
#include <doctest/doctest.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

#include "proxy/RequestVetting.hpp"

using namespace cproxy::proxy;

namespace {

ProxyOptions reverse_mode() {
    ProxyOptions options;
    options.upstream = UpstreamTarget{"http", "origin.test", 8080};
    return options;
}

ProxyOptions forward_mode(std::vector<std::string> allowed = {}) {
    ProxyOptions options;
    options.allowed_destinations = std::move(allowed);
    return options;
}

// Parses and vets a head as the session does, with the session's limits.
struct Vetted {
    RequestArena arena;
    RequestParser parser{std::piecewise_construct, std::make_tuple(), std::make_tuple(arena.allocator())};
    RequestVerdict verdict;

    Vetted(const std::string& raw_head, const ProxyOptions& options) {
        parser.header_limit(static_cast<std::uint32_t>(options.max_request_head_bytes));
        parser.body_limit(options.max_request_body_bytes);
        verdict = vet_request(parser, parse_request_head(parser, raw_head), raw_head, options);
    }
    unsigned status() const { return verdict.refusal ? verdict.refusal->status : 0; }
    std::string detail() const { return verdict.refusal ? verdict.refusal->detail : std::string(); }
};

#define CHECK_REFUSED(vetted, expected_status, reason)                                \
    do {                                                                              \
        CHECK((vetted).status() == (expected_status));                                \
        CHECK_MESSAGE((vetted).detail().find(reason) != std::string::npos, (vetted).detail()); \
    } while (0)

}  // namespace

TEST_CASE("vetting: a sound request passes") {
    for (const char* raw : {"GET /a HTTP/1.1\r\nHost: api.test\r\n\r\n",
                            "POST /a HTTP/1.1\r\nHost: api.test\r\nContent-Length: 5\r\n\r\n",
                            "POST /a HTTP/1.1\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "OPTIONS * HTTP/1.1\r\nHost: api.test\r\n\r\n",
                            "GET / HTTP/1.0\r\n\r\n"}) {
        const Vetted vetted(raw, reverse_mode());
        CHECK_MESSAGE(vetted.verdict.accepted(), raw, " refused: ", vetted.detail());
    }
}

TEST_CASE("vetting: obs-fold in the request head is refused, not repaired") {
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\nHost: a.test\r\nX-Folded: a\r\n b\r\n\r\n", reverse_mode()), 400u,
                  "obsolete line folding");
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\nHost: a.test\r\nX-Folded: a\r\n\tb\r\n\r\n", reverse_mode()), 400u,
                  "obsolete line folding");
}

TEST_CASE("vetting: heads Beast refuses, and the limits") {
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\nHost: a.test\r\nBad Field: 1\r\n\r\n", reverse_mode()), 400u,
                  "could not be parsed");
    auto small_head = reverse_mode();
    small_head.max_request_head_bytes = 64;
    const Vetted too_large("GET / HTTP/1.1\r\nHost: a.test\r\nX-Long: " + std::string(100, 'x') + "\r\n\r\n",
                           small_head);
    CHECK_REFUSED(too_large, 431u, "exceeds 64 bytes");
    CHECK(too_large.verdict.refusal->title == "Request header fields too large");
    auto small_body = reverse_mode();
    small_body.max_request_body_bytes = 1000;
    CHECK_REFUSED(Vetted("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1001\r\n\r\n", small_body), 413u,
                  "limit of 1000 bytes");
    CHECK(Vetted("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1000\r\n\r\n", small_body).verdict.accepted());
}

TEST_CASE("vetting: Transfer-Encoding shapes that could smuggle a request") {
    CHECK_REFUSED(Vetted("POST / HTTP/1.0\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n", reverse_mode()),
                  400u, "HTTP/1.0 request cannot be trusted");
    // Beast itself refuses Content-Length with chunked; either way it is a 400.
    CHECK(Vetted("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                 reverse_mode())
              .status() == 400u);
    CHECK_REFUSED(Vetted("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: gzip\r\n\r\n", reverse_mode()), 400u,
                  "does not end in chunked");
    CHECK_REFUSED(Vetted("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", reverse_mode()),
                  400u, "does not end in chunked");
    const Vetted unknown("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", reverse_mode());
    CHECK_REFUSED(unknown, 501u, "does not implement");
}

TEST_CASE("vetting: target form and Host") {
    CHECK_REFUSED(Vetted("GET * HTTP/1.1\r\nHost: a.test\r\n\r\n", reverse_mode()), 400u, "only for OPTIONS");
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\n\r\n", reverse_mode()), 400u, "without a Host header field");
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n", reverse_mode()), 400u,
                  "more than one Host");
    CHECK_REFUSED(Vetted("GET / HTTP/1.0\r\nHost: a.test\r\nHost: b.test\r\n\r\n", reverse_mode()), 400u,
                  "more than one Host");
}

namespace {

Route routed(const std::string& raw_head, const ProxyOptions& options) {
    const Vetted vetted(raw_head, options);
    REQUIRE_MESSAGE(vetted.verdict.accepted(), vetted.detail());
    return route_request(vetted.parser.get(), options);
}

}  // namespace

TEST_CASE("routing: reverse mode sends origin-form targets to the upstream, CONNECT nowhere") {
    const auto plain = routed("GET /a HTTP/1.1\r\nHost: a.test\r\n\r\n", reverse_mode());
    CHECK(!plain.refusal);
    CHECK(!plain.named);
    const auto connect = routed("CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n", reverse_mode());
    REQUIRE(connect.refusal);
    CHECK(connect.refusal->status == 501);
    CHECK(connect.refusal->detail.find("forward-proxy mode only") != std::string::npos);
    // An absolute-form target names its own origin-form and Host, which go upstream.
    const auto absolute = routed("GET http://a.test/x?y HTTP/1.1\r\nHost: other.test\r\n\r\n", reverse_mode());
    CHECK(!absolute.refusal);
    REQUIRE(absolute.named);
    CHECK(absolute.named->origin_form == "/x?y");
    CHECK(absolute.named->host_header == "a.test");
}

TEST_CASE("routing: forward mode goes where an absolute-form target or CONNECT says, on the allow-list only") {
    const auto absolute = routed("GET http://a.test:8081/x HTTP/1.1\r\nHost: a.test:8081\r\n\r\n", forward_mode());
    CHECK(!absolute.refusal);
    REQUIRE(absolute.named);
    CHECK(absolute.named->key == "a.test:8081");
    CHECK(absolute.named->origin_form == "/x");

    const auto connect = routed("CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n", forward_mode());
    CHECK(!connect.refusal);
    REQUIRE(connect.named);
    CHECK(connect.named->key == "a.test:443");

    const auto origin_form = routed("GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n", forward_mode());
    REQUIRE(origin_form.refusal);
    CHECK(origin_form.refusal->status == 400);
    CHECK(origin_form.refusal->detail.find("This is a forward proxy") != std::string::npos);

    const auto https = routed("GET https://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n", forward_mode());
    REQUIRE(https.refusal);
    CHECK(https.refusal->status == 400);
    CHECK(https.refusal->detail.find("use CONNECT for https") != std::string::npos);
    CHECK(!https.named);

    const auto not_allowed = routed("GET http://b.test/ HTTP/1.1\r\nHost: b.test\r\n\r\n", forward_mode({"a.test"}));
    REQUIRE(not_allowed.refusal);
    CHECK(not_allowed.refusal->status == 403);
    CHECK(not_allowed.refusal->detail.find("b.test:80 is not on this proxy's allow-list") != std::string::npos);
    CHECK(!not_allowed.named);
    CHECK(!routed("GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n", forward_mode({"a.test"})).refusal);
}

TEST_CASE("vetting: the strict request grammar of the hardening branch") {
    CHECK_REFUSED(Vetted("GET /a#frag HTTP/1.1\r\nHost: a.test\r\n\r\n", reverse_mode()), 400u, "fragment");
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\nHost: user@a.test\r\n\r\n", reverse_mode()), 400u, "userinfo");
    CHECK_REFUSED(Vetted("GET / HTTP/1.1\r\nHost: a.test/path\r\n\r\n", reverse_mode()), 400u, "Host");
    CHECK(Vetted("GET /%C3%A9 HTTP/1.1\r\nHost: a.test:8080\r\n\r\n", reverse_mode()).verdict.accepted());
}

TEST_CASE("vetting: a head over the limit is 400, 414 or 431 by what was received") {
    const auto options = reverse_mode();
    CHECK(request_head_too_large(options).status == 431u);
    CHECK(request_head_too_large(options, "GET /" + std::string(200, 'a')).status == 414u);
    CHECK(request_head_too_large(options, std::string(200, 'A')).status == 400u);
    CHECK(request_head_too_large(options, "GET / HTTP/1.1\r\nX-A: aaaa").status == 431u);
}

TEST_CASE("vetting: the version is settled before the parser sees it") {
    auto settle = [](std::string head, std::string& after) {
        boost::beast::flat_buffer buffer;
        const auto n = boost::asio::buffer_copy(buffer.prepare(head.size()), boost::asio::buffer(head));
        buffer.commit(n);
        auto problem = settle_request_head(buffer, head.size());
        after.assign(static_cast<const char*>(buffer.data().data()), buffer.size());
        return problem;
    };
    std::string after;
    CHECK_FALSE(settle("GET / HTTP/1.2\r\nHost: a.test\r\n\r\n", after));
    CHECK(after.starts_with("GET / HTTP/1.1\r\n"));
    const auto other_major = settle("GET / HTTP/2.0\r\nHost: a.test\r\n\r\n", after);
    REQUIRE(other_major);
    CHECK(other_major->status == 505u);
    // obs-fold is vet_request's to refuse, with its own reason.
    CHECK_FALSE(settle("GET / HTTP/2.0\r\nHost: a.test\r\nX: a\r\n b\r\n\r\n", after));
}

TEST_CASE("vetting: a request body that broke off") {
    const auto options = reverse_mode();
    Problem out;
    CHECK(refuse_request_body(boost::beast::http::error::body_limit, "", options, out));
    CHECK(out.status == 413u);
    CHECK(refuse_request_body(boost::beast::http::error::bad_chunk, "a bare LF ends the chunk line", options, out));
    CHECK(out.status == 400u);
    CHECK_FALSE(refuse_request_body(boost::asio::error::eof, "", options, out));
}

// The strict request grammar the proxy applies before forwarding (RFC 9112 §3.2, RFC 9110
// §7.2, RFC 3986): pure functions over text, no sockets.
#include <doctest/doctest.h>

#include "proxy/RequestGrammar.hpp"

using namespace cproxy::proxy;

TEST_CASE("Host: host[:port] passes; userinfo, a path, a list and an empty origin-form Host are refused") {
    CHECK_FALSE(host_value_problem("example.com", false));
    CHECK_FALSE(host_value_problem("example.com:8080", false));
    CHECK_FALSE(host_value_problem("127.0.0.1:80", false));
    CHECK_FALSE(host_value_problem("[::1]:8080", false));
    CHECK_FALSE(host_value_problem("Node_1.EXAMPLE~x:08080", false));  // unreserved characters, leading zero
    CHECK(host_value_problem("example.com:", false));                  // an empty port
    CHECK(host_value_problem("example.com:8o", false));
    CHECK(host_value_problem(":8080", false));
    CHECK(host_value_problem("example.com:80:81", false));
    CHECK_FALSE(host_value_problem("", true));  // absolute-form target: it names the host
    CHECK(host_value_problem("", false));
    CHECK(host_value_problem("user@example.com", false));
    CHECK(host_value_problem("user:pw@example.com", false));
    CHECK(host_value_problem("example.com/path", false));
    CHECK(host_value_problem("a.example, b.example", false));
    CHECK(host_value_problem("a.example,b.example", false));
    CHECK(host_value_problem("example.com:80x", false));
    CHECK(host_value_problem("exa mple.com", false));
    CHECK(host_value_problem("example.com:", false));
}

TEST_CASE("origin-form: percent-encoded bytes pass; raw non-ASCII, overlong UTF-8 and fragments are refused") {
    CHECK_FALSE(origin_form_problem("/"));
    CHECK_FALSE(origin_form_problem("/caf%C3%A9?q=a%20b&x=1"));
    CHECK_FALSE(origin_form_problem("/a/b;c=d?e=f/g?h"));
    CHECK(origin_form_problem("/caf\xC3\xA9"));
    CHECK(origin_form_problem("/\xC0\xAF"));
    CHECK(origin_form_problem("/a#b"));
    CHECK(origin_form_problem("/a?b#"));
    CHECK(origin_form_problem("/a%zz"));
    CHECK_FALSE(origin_form_problem("/~user/x_y.z-1!$&'()*+,;=:@?k=/v?"));  // every pchar, "/" and "?"
    CHECK(origin_form_problem("/a b"));
    CHECK(origin_form_problem("/a\"b"));
    CHECK(origin_form_problem("/a[0]"));
    CHECK(origin_form_problem("/a{b}"));
    CHECK(origin_form_problem("/a|b"));
    // Other forms are not this function's business.
    CHECK_FALSE(origin_form_problem("*"));
    CHECK_FALSE(origin_form_problem("http://example.com/"));
    CHECK_FALSE(origin_form_problem("example.com:443"));
}

TEST_CASE("an oversized head: a long method is 400, a long target 414, long fields 431") {
    const std::string long_method(40'000, 'G');
    CHECK(classify_oversized_head(long_method, 32768).status == 400);
    CHECK(classify_oversized_head(std::string(65, 'G') + " / HTTP/1.1\r\n", 32768).status == 400);
    CHECK(classify_oversized_head("GET /" + std::string(40'000, 'a'), 32768).status == 414);
    CHECK(classify_oversized_head("GET / HTTP/1.1\r\nX-A: " + std::string(40'000, 'a'), 32768).status == 431);
    CHECK(classify_oversized_head("", 32768).status == 431);  // nothing to tell by: the fields' answer
    CHECK(method_problem(std::string(max_method_length + 1, 'G')));
    CHECK_FALSE(method_problem("UPDATEREDIRECTREF"));
}

TEST_CASE("field names with an underscore are the smuggling kind") {
    CHECK(field_name_smuggles_by_underscore("Content_Length"));
    CHECK(field_name_smuggles_by_underscore("Transfer_Encoding"));
    CHECK(field_name_smuggles_by_underscore("X_Api_Key"));
    CHECK_FALSE(field_name_smuggles_by_underscore("Content-Length"));
}

TEST_CASE("request versions: a higher 1.x minor is read as 1.1, another major is not HTTP/1") {
    using Kind = RequestVersion::Kind;
    CHECK(classify_request_version("GET / HTTP/1.1\r\nHost: a\r\n\r\n").kind == Kind::as_is);
    CHECK(classify_request_version("GET / HTTP/1.0\r\n\r\n").kind == Kind::as_is);
    const std::string head = "GET / HTTP/1.2\r\nHost: a\r\n\r\n";
    const auto v = classify_request_version(head);
    CHECK(v.kind == Kind::higher_minor);
    CHECK(head[v.minor_offset] == '2');
    CHECK(classify_request_version("GET / HTTP/2.0\r\n\r\n").kind == Kind::other_major);
    CHECK(classify_request_version("GET / HTTP/0.9\r\n\r\n").kind == Kind::other_major);
    CHECK(classify_request_version("GET / HTTP/1.10\r\n\r\n").kind == Kind::as_is);
    CHECK(classify_request_version("GET /\r\n\r\n").kind == Kind::as_is);
    CHECK(classify_request_version("").kind == Kind::as_is);
}

// The stateful rules (RULES-v2 Part B): each fires on a sequence of exchanges and stays quiet
// on a tricky conformant one; the store stays within its capacity.
#include <chrono>
#include <string>

#include "CheckTestSupport.hpp"
#include "conformance_proxy/check/history.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;
using namespace std::chrono_literals;

namespace {

// Feeds exchanges to one History as the proxy would, numbering them and moving a fake clock.
class Sequence {
public:
    explicit Sequence(std::size_t capacity = History::default_capacity) : history_(capacity) {}

    // request/response: "\n"-separated lines without the empty line; body: the whole content.
    Findings send(std::string_view request, std::string_view response, std::string_view body = "",
                  std::string_view client = "10.0.0.1") {
        const std::string request_head = head_of(request);
        const std::string response_head = head_of(response);
        ObservedExchange exchange;
        exchange.number = ++number_;
        exchange.time = std::chrono::system_clock::time_point{} + elapsed_;
        exchange.now = start_ + elapsed_;
        exchange.origin = origin_;
        exchange.client = client;
        exchange.raw_request_head = request_head;
        exchange.raw_response_head = response_head;
        exchange.complete = true;
        exchange.content_octets = body.size();
        Findings out;
        history_.observe(exchange, policy_, out);
        return out;
    }
    void wait(std::chrono::seconds seconds) { elapsed_ += seconds; }
    void set_origin(std::string origin) { origin_ = std::move(origin); }
    History& history() { return history_; }
    RulePolicy& policy() { return policy_; }

private:
    History history_;
    RulePolicy policy_;
    std::string origin_ = "http://upstream.test:8080";
    std::uint64_t number_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::seconds elapsed_{0};
};

const Finding& the(const Findings& findings, std::string_view id) {
    const Finding* finding = find_finding(findings, id);
    INFO("findings: ", ids_of(findings));
    REQUIRE(finding != nullptr);
    return *finding;
}

}  // namespace

TEST_CASE("every stateful rule is registered and only History runs it") {
    int stateful = 0;
    for (const Rule* rule : all_rules())
        if (is_stateful(*rule)) ++stateful;
    CHECK(stateful == 15);
    CHECK(is_stateful(*find_rule("redirect-loop")));
    CHECK_FALSE(is_stateful(*find_rule("405-missing-allow")));
}

TEST_CASE("head-content-length-differs: HEAD and GET of one representation disagree on its length") {
    Sequence s;
    CHECK_CLEAN(s.send("GET /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 5", "hello"));
    const auto findings = s.send("HEAD /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 13");
    CHECK_FINDING(findings, "head-content-length-differs", Level::error, "Content-Length: 13");
    const Finding& finding = the(findings, "head-content-length-differs");
    REQUIRE(finding.earlier);
    CHECK(finding.earlier->exchange == 1);
    CHECK(finding.message.find("exchange #1") != std::string::npos);

    SUBCASE("reported on the GET when the HEAD came first") {
        Sequence t;
        CHECK_CLEAN(t.send("HEAD /p HTTP/1.1", "HTTP/1.1 200 OK\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 9"));
        CHECK_FINDING(t.send("GET /p HTTP/1.1", "HTTP/1.1 200 OK\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 5", "hello"),
                      "head-content-length-differs", Level::error, "9");
    }
}

TEST_CASE("one resource whatever the spelling of its origin; the query is part of it") {
    for (const std::string origin : {"HTTP://Upstream.TEST:8080", "http://upstream.test:8080"}) {
        CAPTURE(origin);
        Sequence s;
        s.set_origin(origin);
        s.send("GET /r?q=1 HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 5", "hello");
        // The same resource in absolute form, host in another case: compared.
        CHECK_FINDING(s.send("HEAD http://UPSTREAM.test:8080/r?q=1 HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 7"),
                      "head-content-length-differs", Level::error, "7");
        // Another query is another resource: nothing to compare with.
        CHECK_CLEAN(s.send("HEAD /r?q=2 HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 9"));
    }
}

TEST_CASE("head-content-length-differs: clean when the representations may differ") {
    Sequence s;
    s.send("GET /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 5", "hello");
    // Another ETag: the representation changed in between.
    CHECK_CLEAN(s.send("HEAD /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v2\"\nContent-Length: 13"));
    // A weak ETag says nothing about octets.
    s.send("GET /w HTTP/1.1", "HTTP/1.1 200 OK\nETag: W/\"v1\"\nContent-Length: 5", "hello");
    CHECK_CLEAN(s.send("HEAD /w HTTP/1.1", "HTTP/1.1 200 OK\nETag: W/\"v1\"\nContent-Length: 13"));
    // Vary: Accept-Encoding and the requests differ in it.
    s.send("GET /v HTTP/1.1\nAccept-Encoding: gzip", "HTTP/1.1 200 OK\nETag: \"v1\"\nVary: Accept-Encoding\nContent-Length: 5", "hello");
    CHECK_CLEAN(s.send("HEAD /v HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nVary: Accept-Encoding\nContent-Length: 13"));
    // Vary: * never pairs; a HEAD without Content-Length is fine; another query is another resource.
    s.send("GET /s HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nVary: *\nContent-Length: 5", "hello");
    CHECK_CLEAN(s.send("HEAD /s HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nVary: *\nContent-Length: 13"));
    CHECK_CLEAN(s.send("HEAD /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v2\""));
    CHECK_CLEAN(s.send("HEAD /page?x=1 HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 13"));
    // Equal lengths.
    s.send("GET /e HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"e\"\nContent-Length: 5", "hello");
    CHECK_CLEAN(s.send("HEAD /e HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"e\"\nContent-Length: 5"));
}

TEST_CASE("head-field-differs: Content-Type of HEAD and GET differ; case and quoting do not count") {
    Sequence s;
    s.send("GET /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Type: text/html; charset=utf-8\nContent-Length: 5", "hello");
    CHECK_FINDING(s.send("HEAD /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Type: text/plain\nContent-Length: 5"),
                  "head-field-differs", Level::warning, "Content-Type");
    CHECK_CLEAN(s.send("HEAD /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Type: Text/HTML;Charset=\"UTF-8\"\nContent-Length: 5"));
    CHECK_CLEAN(s.send("HEAD /page HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 5"));  // omitted: fine
}

TEST_CASE("304-content-length-differs and 304-missing-200-field") {
    Sequence s;
    s.send("GET /r HTTP/1.1",
           "HTTP/1.1 200 OK\nETag: \"v1\"\nCache-Control: max-age=60\nVary: Accept\nContent-Length: 5", "hello");
    const auto findings = s.send("GET /r HTTP/1.1\nIf-None-Match: \"v1\"",
                                 "HTTP/1.1 304 Not Modified\nETag: \"v1\"\nVary: Accept\nContent-Length: 13");
    CHECK_FINDING(findings, "304-content-length-differs", Level::error, "Content-Length: 13");
    CHECK_FINDING(findings, "304-missing-200-field", Level::error, "Cache-Control");
    CHECK(the(findings, "304-missing-200-field").message.find("Vary") == std::string::npos);
    REQUIRE(the(findings, "304-missing-200-field").earlier);

    SUBCASE("clean: the 304 repeats the fields (values may differ) and omits Content-Length") {
        CHECK_CLEAN(s.send("GET /r HTTP/1.1\nIf-None-Match: W/\"v1\"",
                           "HTTP/1.1 304 Not Modified\nETag: \"v1\"\nCache-Control: max-age=30\nVary: Accept"));
    }
    SUBCASE("clean: the If-None-Match named another tag, so the 304 stands for another 200") {
        CHECK_CLEAN(s.send("GET /r HTTP/1.1\nIf-None-Match: \"v0\"", "HTTP/1.1 304 Not Modified\nETag: \"v0\""));
    }
}

TEST_CASE("strong-etag-reused: one strong tag, two lengths; clean when the tag changes or is weak") {
    Sequence s;
    s.send("GET /d HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"same\"\nContent-Length: 5", "hello");
    CHECK_FINDING(s.send("GET /d HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"same\"\nContent-Length: 7", "goodbye"),
                  "strong-etag-reused", Level::warning, "5 then 7");
    CHECK_FINDING(s.send("GET /d HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"same\"\nContent-Encoding: gzip\nContent-Length: 7", "gzipped"),
                  "strong-etag-reused", Level::warning, "Content-Encoding");
    CHECK_FINDING(s.send("GET /d HTTP/1.1\nRange: bytes=0-0", "HTTP/1.1 206 Partial Content\nETag: \"same\"\nContent-Range: bytes 0-0/99\nContent-Length: 1", "g"),
                  "strong-etag-reused", Level::warning, "99");
    Sequence t;
    t.send("GET /d HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"a\"\nContent-Length: 5", "hello");
    CHECK_CLEAN(t.send("GET /d HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"b\"\nContent-Length: 7", "goodbye"));
    CHECK_CLEAN(t.send("GET /d HTTP/1.1\nRange: bytes=0-0", "HTTP/1.1 206 Partial Content\nETag: \"b\"\nContent-Range: bytes 0-0/7\nContent-Length: 1", "g"));
    t.send("GET /w HTTP/1.1", "HTTP/1.1 200 OK\nETag: W/\"a\"\nContent-Length: 5", "hello");
    CHECK_CLEAN(t.send("GET /w HTTP/1.1", "HTTP/1.1 200 OK\nETag: W/\"a\"\nContent-Length: 7", "goodbye"));
}

TEST_CASE("allow-omits-succeeded-method, 405-after-success, head-rejected-get-succeeded") {
    Sequence s;
    s.send("GET /items/7 HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 2", "{}");
    s.send("PUT /items/7 HTTP/1.1", "HTTP/1.1 204 No Content");
    const auto options = s.send("OPTIONS /items/7 HTTP/1.1", "HTTP/1.1 200 OK\nAllow: GET, HEAD, OPTIONS\nContent-Length: 0");
    CHECK_FINDING(options, "allow-omits-succeeded-method", Level::info, "PUT");
    CHECK(the(options, "allow-omits-succeeded-method").earlier->exchange == 2);
    const auto put = s.send("PUT /items/7 HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0");
    CHECK_FINDING(put, "405-after-success", Level::info, "PUT");
    CHECK_NO_FINDING(put, "allow-omits-succeeded-method");  // the request's own method is left out
    // Reported once: the next 405 to PUT is not news.
    CHECK_NO_FINDING(s.send("PUT /items/7 HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0"),
                     "405-after-success");
    CHECK_FINDING(s.send("HEAD /items/7 HTTP/1.1", "HTTP/1.1 501 Not Implemented\nContent-Length: 0"),
                  "head-rejected-get-succeeded", Level::error, "GET succeeded");
    CHECK_FINDING(s.send("HEAD /other HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET, POST\nContent-Length: 0"),
                  "head-rejected-get-succeeded", Level::error, "own Allow");

    SUBCASE("clean: Allow case-sensitive list that includes the method; HEAD/OPTIONS never owed") {
        Sequence t;
        t.send("POST /c HTTP/1.1", "HTTP/1.1 201 Created\nLocation: /c/1\nContent-Length: 0");
        t.send("OPTIONS /c HTTP/1.1", "HTTP/1.1 200 OK\nAllow: GET, POST, OPTIONS\nContent-Length: 0");
        CHECK_CLEAN(t.send("DELETE /c HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET,, POST\nContent-Length: 0"));
        CHECK_CLEAN(t.send("HEAD /c HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: POST\nContent-Length: 0"));
    }
}

TEST_CASE("auth-repeated-rejected-credentials: the third refusal of the same credentials") {
    Sequence s;
    const std::string_view request = "GET /private HTTP/1.1\nAuthorization: Basic d3Jvbmc6d3Jvbmc=";
    const std::string_view refusal = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"api\"\nContent-Length: 0";
    CHECK_CLEAN(s.send("GET /private HTTP/1.1", refusal));  // no credentials yet: the normal first step
    CHECK_CLEAN(s.send(request, refusal));
    CHECK_CLEAN(s.send(request, refusal));
    const auto third = s.send(request, refusal);
    CHECK_FINDING(third, "auth-repeated-rejected-credentials", Level::info, "third 401");
    CHECK(the(third, "auth-repeated-rejected-credentials").message.find("d3Jvbmc") == std::string::npos);

    SUBCASE("clean: new credentials each time, another client, or a success in between") {
        Sequence t;
        t.send("GET /p HTTP/1.1\nAuthorization: Basic YTpi", refusal);
        t.send("GET /p HTTP/1.1\nAuthorization: Basic YTpj", refusal);
        CHECK_CLEAN(t.send("GET /p HTTP/1.1\nAuthorization: Basic YTpk", refusal));
        t.send("GET /q HTTP/1.1\nAuthorization: Basic YTpi", refusal);
        t.send("GET /q HTTP/1.1\nAuthorization: Basic YTpi", "HTTP/1.1 200 OK\nContent-Length: 0");
        t.send("GET /q HTTP/1.1\nAuthorization: Basic YTpi", refusal);
        CHECK_CLEAN(t.send("GET /q HTTP/1.1\nAuthorization: Basic YTpi", refusal));
        t.send("GET /r HTTP/1.1\nAuthorization: Basic YTpi", refusal, "", "10.0.0.1");
        t.send("GET /r HTTP/1.1\nAuthorization: Basic YTpi", refusal, "", "10.0.0.2");
        CHECK_CLEAN(t.send("GET /r HTTP/1.1\nAuthorization: Basic YTpi", refusal, "", "10.0.0.3"));
    }
}

TEST_CASE("206-after-accept-ranges-none") {
    Sequence s;
    s.send("GET /f HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"f1\"\nAccept-Ranges: none\nContent-Length: 5", "hello");
    CHECK_FINDING(s.send("GET /f HTTP/1.1\nRange: bytes=0-0", "HTTP/1.1 206 Partial Content\nETag: \"f1\"\nContent-Range: bytes 0-0/5\nContent-Length: 1", "h"),
                  "206-after-accept-ranges-none", Level::warning, "Accept-Ranges: none");
    // Clean: the representation changed (another strong ETag), or the server now says bytes.
    CHECK_CLEAN(s.send("GET /f HTTP/1.1\nRange: bytes=0-0", "HTTP/1.1 206 Partial Content\nETag: \"f2\"\nContent-Range: bytes 0-0/5\nContent-Length: 1", "h"));
    Sequence t;
    t.send("GET /f HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"f1\"\nAccept-Ranges: none\nContent-Length: 5", "hello");
    t.send("GET /f HTTP/1.1", "HTTP/1.1 200 OK\nETag: \"f1\"\nAccept-Ranges: bytes\nContent-Length: 5", "hello");
    CHECK_CLEAN(t.send("GET /f HTTP/1.1\nRange: bytes=0-0", "HTTP/1.1 206 Partial Content\nETag: \"f1\"\nContent-Range: bytes 0-0/5\nContent-Length: 1", "h"));
}

TEST_CASE("redirect-loop: an edge repeated by a client following redirects; one self-redirect is fine") {
    Sequence s;
    CHECK_CLEAN(s.send("GET /a HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /b"));
    CHECK_CLEAN(s.send("GET /b HTTP/1.1", "HTTP/1.1 302 Found\nLocation: http://UPSTREAM.test:8080/a#top"));
    const auto loop = s.send("GET /a HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /b");
    CHECK_FINDING(loop, "redirect-loop", Level::warning, "/b");
    CHECK(the(loop, "redirect-loop").earlier->exchange == 1);

    Sequence t;  // set a cookie and reload: one self-redirect, then the page
    CHECK_CLEAN(t.send("GET /login HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /login\nSet-Cookie: s=1"));
    CHECK_CLEAN(t.send("GET /login HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));
    // The same edge 31 s later, or from another client, is no loop.
    Sequence u;
    u.send("GET /a HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /b");
    u.send("GET /b HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /a");
    u.wait(31s);
    CHECK_CLEAN(u.send("GET /a HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /b"));
    u.send("GET /b HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /a", "", "10.0.0.9");
    CHECK_CLEAN(u.send("GET /a HTTP/1.1", "HTTP/1.1 302 Found\nLocation: /b", "", "10.0.0.8"));
}

TEST_CASE("created-resource-not-found") {
    Sequence s;
    s.send("POST /items HTTP/1.1", "HTTP/1.1 201 Created\nLocation: /items/8\nContent-Length: 0");
    const auto findings = s.send("GET /items/8 HTTP/1.1", "HTTP/1.1 404 Not Found\nContent-Length: 0");
    CHECK_FINDING(findings, "created-resource-not-found", Level::info, "/items/8");
    // Clean: deleted in between; more than 60 s later; another resource.
    s.send("DELETE /items/8 HTTP/1.1", "HTTP/1.1 204 No Content");
    CHECK_CLEAN(s.send("GET /items/8 HTTP/1.1", "HTTP/1.1 404 Not Found\nContent-Length: 0"));
    s.send("PUT /items/9 HTTP/1.1", "HTTP/1.1 201 Created\nContent-Length: 0");
    CHECK_CLEAN(s.send("GET /items/10 HTTP/1.1", "HTTP/1.1 404 Not Found\nContent-Length: 0"));
    s.wait(61s);
    CHECK_CLEAN(s.send("GET /items/9 HTTP/1.1", "HTTP/1.1 404 Not Found\nContent-Length: 0"));
}

TEST_CASE("retry-after-not-honoured: seconds and HTTP-date minus Date") {
    Sequence s;
    s.send("GET /api HTTP/1.1", "HTTP/1.1 429 Too Many Requests\nRetry-After: 60\nContent-Length: 0");
    s.wait(10s);
    CHECK_FINDING(s.send("GET /api HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"), "retry-after-not-honoured",
                  Level::info, "request:");
    Sequence t;
    t.send("GET /api HTTP/1.1",
           "HTTP/1.1 503 Service Unavailable\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nRetry-After: Sun, 06 Nov 1994 08:50:37 GMT\nContent-Length: 0");
    t.wait(30s);
    CHECK_FINDING(t.send("GET /api HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"), "retry-after-not-honoured", Level::info, "request:");
    // Clean: after the wait, on another route, from another client.
    Sequence u;
    u.send("GET /api HTTP/1.1", "HTTP/1.1 429 Too Many Requests\nRetry-After: 5\nContent-Length: 0");
    CHECK_CLEAN(u.send("GET /other HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));
    CHECK_CLEAN(u.send("GET /api HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0", "", "10.0.0.2"));
    u.wait(6s);
    CHECK_CLEAN(u.send("GET /api HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));
}

TEST_CASE("expect-100-continue-after-417") {
    Sequence s;
    const std::string_view expecting = "PUT /upload HTTP/1.1\nExpect: 100-continue\nContent-Length: 3";
    s.send(expecting, "HTTP/1.1 417 Expectation Failed\nContent-Length: 0");
    CHECK_FINDING(s.send(expecting, "HTTP/1.1 417 Expectation Failed\nContent-Length: 0"),
                  "expect-100-continue-after-417", Level::warning, "request:");
    Sequence t;  // clean: the client dropped the expectation as it should, then may use it again later
    t.send(expecting, "HTTP/1.1 417 Expectation Failed\nContent-Length: 0");
    CHECK_CLEAN(t.send("PUT /upload HTTP/1.1\nContent-Length: 3", "HTTP/1.1 204 No Content"));
    CHECK_CLEAN(t.send(expecting, "HTTP/1.1 204 No Content"));
}

TEST_CASE("redirect-method-changed: POST turned into GET after a 307; 303 may change it") {
    Sequence s;
    s.send("POST /old HTTP/1.1\nContent-Length: 1", "HTTP/1.1 307 Temporary Redirect\nLocation: /new\nContent-Length: 0");
    const auto findings = s.send("GET /new HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0");
    CHECK_FINDING(findings, "redirect-method-changed", Level::warning, "POST");
    Sequence t;
    t.send("POST /old HTTP/1.1", "HTTP/1.1 303 See Other\nLocation: /new\nContent-Length: 0");
    CHECK_CLEAN(t.send("GET /new HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));
    t.send("POST /o HTTP/1.1", "HTTP/1.1 308 Permanent Redirect\nLocation: /n\nContent-Length: 0");
    CHECK_CLEAN(t.send("POST /n HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));
    CHECK_CLEAN(t.send("GET /n HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));  // after the POST: its own visit
    t.send("POST /o2 HTTP/1.1", "HTTP/1.1 307 Temporary Redirect\nLocation: /n2\nContent-Length: 0");
    t.wait(11s);
    CHECK_CLEAN(t.send("GET /n2 HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0"));
}

TEST_CASE("stateful findings obey the rule policy") {
    Sequence s;
    s.policy().disable(*find_rule("405-after-success"));
    s.send("PUT /x HTTP/1.1", "HTTP/1.1 204 No Content");
    CHECK_NO_FINDING(s.send("PUT /x HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0"),
                     "405-after-success");
}

TEST_CASE("the store keeps at most its capacity, evicting the least recently used") {
    Sequence s(256);
    s.send("PUT /keep HTTP/1.1", "HTTP/1.1 204 No Content");
    s.send("PUT /gone HTTP/1.1", "HTTP/1.1 204 No Content");
    for (int i = 0; i < 5000; ++i) {
        s.send("GET /n/" + std::to_string(i) + " HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0");
        if (i % 5 == 0) s.send("GET /keep HTTP/1.1", "HTTP/1.1 200 OK\nContent-Length: 0");  // stays recent
    }
    CHECK(s.history().resources() <= s.history().capacity());
    CHECK(s.history().capacity() < 256 + 64);
    // /keep was used recently, so its history is still there; /gone was evicted.
    CHECK_FINDING(s.send("PUT /keep HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0"),
                  "405-after-success", Level::info, "PUT");
    CHECK_NO_FINDING(s.send("PUT /gone HTTP/1.1", "HTTP/1.1 405 Method Not Allowed\nAllow: GET\nContent-Length: 0"),
                     "405-after-success");
}

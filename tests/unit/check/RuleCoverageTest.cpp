// Every rule of the registry has a sample response that triggers it at its catalogue level,
// so a rule added to the registry without its check (or a check that went silent) fails here.
#include <map>
#include <string>

#include "CheckTestSupport.hpp"

using namespace cproxy::check;
using namespace cproxy::check::test;

namespace {

struct Sample {
    std::string lines;
    RequestContext context = request();
    BodyOutcome outcome{};
};

const std::map<std::string, Sample, std::less<>>& samples() {
    const std::string date(kDate);
    static const std::map<std::string, Sample, std::less<>> table{
        {"401-missing-www-authenticate", {"HTTP/1.1 401 Unauthorized\n" + date}},
        {"407-missing-proxy-authenticate", {"HTTP/1.1 407 Proxy Authentication Required\n" + date}},
        {"challenge-syntax", {"HTTP/1.1 200 OK\n" + date + "WWW-Authenticate: Basic; realm=\"x\"\n"}},
        {"challenge-duplicate-param", {"HTTP/1.1 200 OK\n" + date + "WWW-Authenticate: B a=1, a=2\n"}},
        {"realm-not-quoted", {"HTTP/1.1 200 OK\n" + date + "WWW-Authenticate: Bearer realm=x\n"}},
        {"basic-missing-realm", {"HTTP/1.1 200 OK\n" + date + "WWW-Authenticate: Basic\n"}},
        {"basic-bad-charset",
         {"HTTP/1.1 200 OK\n" + date + "WWW-Authenticate: Basic realm=\"r\", charset=latin1\n"}},
        {"407-from-origin",
         {"HTTP/1.1 407 Proxy Authentication Required\n" + date + "Proxy-Authenticate: Basic realm=\"p\"\n"}},
        {"405-missing-allow", {"HTTP/1.1 405 Method Not Allowed\n" + date}},
        {"allow-syntax", {"HTTP/1.1 200 OK\n" + date + "Allow: GET PUT\n"}},
        {"405-allow-lists-request-method", {"HTTP/1.1 405 Method Not Allowed\n" + date + "Allow: GET\n"}},
        {"413-missing-retry-after", {"HTTP/1.1 413 Content Too Large\n" + date}},
        {"retry-after-syntax", {"HTTP/1.1 200 OK\n" + date + "Retry-After: soon\n"}},
        {"retry-after-missing", {"HTTP/1.1 503 Service Unavailable\n" + date}},
        {"status-code-invalid", {"HTTP/1.1 600 Nope\n" + date}},
        {"status-code-unregistered", {"HTTP/1.1 599 Timeout\n" + date}},
        {"redirect-missing-location", {"HTTP/1.1 302 Found\n" + date}},
        {"location-syntax", {"HTTP/1.1 201 Created\n" + date + "Location: a b\n"}},
        {"206-missing-content-range", {"HTTP/1.1 206 Partial Content\n" + date + "Content-Type: a/b\n"}},
        {"416-missing-content-range", {"HTTP/1.1 416 Range Not Satisfiable\n" + date}},
        {"426-missing-upgrade", {"HTTP/1.1 426 Upgrade Required\n" + date}},
        {"no-content-status-has-body", {"HTTP/1.1 304 Not Modified\n" + date, request(), BodyOutcome{true, 3}}},
        {"content-length-forbidden", {"HTTP/1.1 204 No Content\n" + date + "Content-Length: 0\n"}},
        {"transfer-encoding-forbidden", {"HTTP/1.1 101 Switching Protocols\nTransfer-Encoding: chunked\n"}},
        {"content-length-and-transfer-encoding",
         {"HTTP/1.1 200 OK\n" + date + "Content-Length: 0\nTransfer-Encoding: chunked\n"}},
        {"content-length-invalid", {"HTTP/1.1 200 OK\n" + date + "Content-Length: 0x10\n"}},
        {"content-length-mismatch",
         {"HTTP/1.1 200 OK\n" + date + "Content-Length: 10\n", request(), BodyOutcome{false, 0}}},
        {"transfer-encoding-chunked-not-last", {"HTTP/1.1 200 OK\n" + date + "Transfer-Encoding: br\n"}},
        {"field-repeated-singleton", {"HTTP/1.1 200 OK\n" + date + "Age: 1\nAge: 2\n"}},
        {"field-name-invalid", {"HTTP/1.1 200 OK\n" + date + "X(y): 1\n"}},
        {"field-value-invalid", {"HTTP/1.1 200 OK\n" + date + "X-Y: \x7f\n"}},
        {"obs-fold", {"HTTP/1.1 200 OK\n" + date + "X-Y: 1\n\t2\n"}},
        {"date-missing", {"HTTP/1.1 200 OK\n"}},
        {"date-syntax", {"HTTP/1.1 200 OK\nDate: yesterday\n"}},
        {"content-type-missing", {"HTTP/1.1 200 OK\n" + date + "Content-Length: 1\n"}},
        {"content-type-syntax", {"HTTP/1.1 200 OK\n" + date + "Content-Type: text\n"}},
    };
    return table;
}

}  // namespace

TEST_CASE("every registered rule has a triggering sample at its catalogue level") {
    const Checker checker;
    for (const Rule& rule : all_rules()) {
        CAPTURE(rule.id);
        const auto sample = samples().find(rule.id);
        REQUIRE(sample != samples().end());
        Findings findings;
        const std::string head = head_of(sample->second.lines);
        checker.check_head(head, sample->second.context, findings);
        checker.check_body(head, sample->second.context, sample->second.outcome, findings);
        const Finding* finding = find_finding(findings, rule.id);
        INFO("findings: ", ids_of(findings));
        REQUIRE(finding != nullptr);
        CHECK(finding->level == rule.level);
        CHECK(finding->rule == &rule);
        CHECK_FALSE(finding->message.empty());
    }
    CHECK(samples().size() == all_rules().size());
}

#include "ReportTestSupport.hpp"
#include "conformance_proxy/report/Aggregator.hpp"

using namespace cproxy::report;
using namespace cproxy::report::test;
namespace check = cproxy::check;
using cproxy::check::Level;

TEST_SUITE("report.aggregator") {
    TEST_CASE("totals, status classes, rules and routes") {
        Aggregator a(AggregatorOptions{{rule("405-missing-allow"), rule("date-missing"),
                                        rule("401-missing-www-authenticate")}});
        a.add(make_record(1, "DELETE", "/items/7", 405, {finding("405-missing-allow", "first"), finding("date-missing")}));
        a.add(make_record(2, "DELETE", "/items/8", 405, {finding("405-missing-allow", "second")}));
        a.add(make_record(3, "GET", "/health", 200));
        a.add(make_record(4, "GET", "/x", 0));
        auto broken = make_record(5, "GET", "/x", 502);
        broken.upstream_error = true;
        a.add(broken);

        const auto s = a.snapshot();
        CHECK(s.exchanges == 5);
        CHECK(s.exchanges_with_findings == 2);
        CHECK(s.upstream_errors == 1);
        CHECK(s.status_classes[status_class_index(405)] == 2);
        CHECK(s.status_classes[status_class_index(200)] == 1);
        CHECK(s.status_classes[5] == 1);  // status 0: other
        CHECK(s.findings[2] == 2);
        CHECK(s.findings[1] == 1);
        CHECK(s.checked_rules.size() == 3);

        REQUIRE(s.rules.size() == 2);
        CHECK(s.rules[0].rule.id == "405-missing-allow");  // error first
        CHECK(s.rules[0].count == 2);
        CHECK(s.rules[0].example.message == "first");  // the first example is kept
        CHECK(s.rules[0].example.exchange == 1);
        REQUIRE(s.rules[0].routes.size() == 1);
        CHECK(s.rules[0].routes[0].route == "/items/{id}");
        CHECK(s.rules[0].routes[0].count == 2);
        CHECK(s.rules[1].rule.id == "date-missing");

        REQUIRE(s.routes.size() == 3);
        CHECK(s.routes[0].route == "/items/{id}");
        CHECK(s.routes[0].exchanges == 2);
        CHECK(s.routes[0].findings[2] == 2);
        CHECK(s.find("date-missing") != nullptr);
        CHECK(s.find("405-allow-lists-request-method") == nullptr);
    }

    TEST_CASE("a rule not in the checked list is added when it fires") {
        Aggregator a;
        a.add(make_record(1, "GET", "/", 401, {finding("401-missing-www-authenticate")}));
        const auto s = a.snapshot();
        REQUIRE(s.checked_rules.size() == 1);
        CHECK(s.checked_rules[0].id == "401-missing-www-authenticate");
    }

    TEST_CASE("an example is wanted only until each rule has one") {
        Aggregator a;
        const auto first = make_record(1, "GET", "/", 401, {finding("401-missing-www-authenticate")});
        CHECK(a.wants_example(first.findings));
        a.add(first);
        CHECK_FALSE(a.wants_example(first.findings));  // the rule already has its example
        const auto both = make_record(2, "GET", "/", 405, {finding("401-missing-www-authenticate"),
                                                            finding("405-missing-allow")});
        CHECK(a.wants_example(both.findings));  // 405-missing-allow has none yet
        CHECK_FALSE(a.wants_example({}));
    }

    TEST_CASE("a finding without a rule does not crash") {
        Aggregator a;
        a.add(make_record(1, "GET", "/", 200, {check::Finding{nullptr, Level::warning, "??"}}));
        CHECK(a.snapshot().rules.at(0).rule.id == "unknown");
    }

    TEST_CASE("distinct routes are capped, the rest is (other)") {
        Aggregator a(AggregatorOptions{{}, 10});
        for (int i = 0; i < 50; ++i)
            a.add(make_record(i, "GET", "/r" + std::string(1, char('a' + i % 26)) + std::to_string(i / 26) + "x",
                              200, {finding("date-missing")}));
        const auto s = a.snapshot();
        CHECK(s.routes.size() == 11);
        std::uint64_t sum = 0;
        bool other = false;
        for (const auto& r : s.routes) {
            sum += r.exchanges;
            other |= r.route == "(other)";
        }
        CHECK(other);
        CHECK(sum == 50);
        CHECK(s.rules.at(0).routes.size() == 11);
    }

    TEST_CASE("the timeline stays bounded over a long run") {
        Aggregator a;
        const auto start = std::chrono::system_clock::now();
        for (int i = 0; i < 10000; ++i) {
            auto r = make_record(i, "GET", "/", i % 3 ? 200 : 500);
            r.time = start + std::chrono::seconds(i);
            a.add(r);
        }
        const auto s = a.snapshot();
        CHECK(s.timeline.buckets.size() <= Timeline::max_buckets);
        CHECK(s.timeline.bucket_seconds >= 10000 / static_cast<int>(Timeline::max_buckets));
        std::uint64_t total = 0;
        for (const auto& b : s.timeline.buckets)
            for (auto c : b) total += c;
        CHECK(total == 10000);
    }

    TEST_CASE("latency histogram uses Prometheus buckets (le is inclusive)") {
        LatencyHistogram h;
        h.observe(0.005);
        h.observe(0.0051);
        h.observe(20);
        CHECK(h.counts[0] == 1);
        CHECK(h.counts[1] == 1);
        CHECK(h.counts.back() == 1);
        CHECK(h.count == 3);
        CHECK(h.sum_seconds == doctest::Approx(20.0101));
    }

    TEST_CASE("examples are redacted even when the caller forgot") {
        Aggregator a;
        auto r = make_record(1, "GET", "/", 401, {finding("401-missing-www-authenticate")});
        r.example.fields.push_back({"Authorization", "Basic dXNlcjpzZWNyZXQ="});  // bypasses add_field
        a.add(r);
        CHECK(a.snapshot().rules.at(0).example.view.fields.at(0).value == "[redacted]");
    }
}

TEST_SUITE("report.redaction") {
    TEST_CASE("credential fields and userinfo") {
        ExampleExchange e;
        e.add_field("authorization", "Basic dXNlcjpzZWNyZXQ=");
        e.add_field("Proxy-Authorization", "Basic eA==");
        e.add_field("Cookie", "session=topsecret");
        e.add_field("Set-Cookie", "session=topsecret; HttpOnly");
        e.add_field("Allow", "GET");
        CHECK(e.fields[0].value == "[redacted]");
        CHECK(e.fields[1].value == "[redacted]");
        CHECK(e.fields[2].value == "[redacted]");
        CHECK(e.fields[3].value == "[redacted]");
        CHECK(e.fields[4].value == "GET");
        e.set_request_line("GET http://bob:hunter2@example.com/a HTTP/1.1");
        CHECK(e.request_line == "GET http://[redacted]@example.com/a HTTP/1.1");
        CHECK(redact_target("/plain@path") == "/plain@path");
        CHECK(redact_target("http://example.com/a@b") == "http://example.com/a@b");
    }
    TEST_CASE("long values are truncated, the number of fields is bounded") {
        ExampleExchange e;
        e.add_field("Location", std::string(1000, 'a'));
        CHECK(e.fields[0].value.size() <= ExampleExchange::max_value_length + 3);
        for (int i = 0; i < 100; ++i) e.add_field("X", "y");
        CHECK(e.fields.size() == ExampleExchange::max_fields);
    }
}

#include <boost/json.hpp>

#include <array>
#include <thread>

#include "ReportTestSupport.hpp"
#include "conformance_proxy/report/JsonLines.hpp"
#include "conformance_proxy/report/Recorder.hpp"

using namespace cproxy::report;
using namespace cproxy::report::test;
namespace check = cproxy::check;
namespace json = boost::json;

TEST_SUITE("report.jsonl") {
    TEST_CASE("time is ISO 8601 UTC with milliseconds and Z") {
        using namespace std::chrono;
        CHECK(format_utc_millis(system_clock::time_point(milliseconds(1795255200123))) == "2026-11-21T10:00:00.123Z");
        CHECK(format_utc_millis(system_clock::time_point(milliseconds(0))) == "1970-01-01T00:00:00.000Z");
        CHECK(format_utc_millis(system_clock::time_point(microseconds(1795255200007999))) ==
              "2026-11-21T10:00:00.007Z");
        // The seconds are formatted once and reused: a later second, then an earlier one again.
        CHECK(format_utc_millis(system_clock::time_point(milliseconds(1795255201999))) == "2026-11-21T10:00:01.999Z");
        CHECK(format_utc_millis(system_clock::time_point(milliseconds(1795255201000))) == "2026-11-21T10:00:01.000Z");
        CHECK(format_utc_millis(system_clock::time_point(milliseconds(1795255200500))) == "2026-11-21T10:00:00.500Z");
    }

    TEST_CASE("every ASCII character in a message survives the round trip, escaped where JSON asks") {
        // At every position of a 24-byte text: values are scanned 8 bytes at a time, then byte by byte.
        for (int c = 0; c < 0x80; ++c) {
            for (const std::size_t at : {0, 3, 7, 8, 15, 16, 23}) {
                std::string message(24, 'x');
                message[at] = static_cast<char>(c);
                message += "\xC3\xA9\"";  // UTF-8 passes as it is; a quote in the tail
                auto rec = make_record(1, "GET", "/", 200, {finding("date-missing", message)});
                std::string out;
                append_finding_lines(out, rec);
                CAPTURE(c);
                CAPTURE(at);
                const auto v = json::parse(lines_of(out).at(0)).as_object();
                CHECK(v.at("message").as_string() == message);
            }
        }
    }

    TEST_CASE("one line per finding, exactly the INTERFACE.md keys in order") {
        auto rec = make_record(42, "DELETE", "/items/7", 405,
                               {finding("405-missing-allow",
                                        "405 response has no Allow header; list the methods /items/7 supports"),
                                finding("date-missing", "no \"Date\" here\tat all \xC3\xA9")});
        std::string out;
        append_finding_lines(out, rec);
        const auto lines = lines_of(out);
        REQUIRE(lines.size() == 2);
        CHECK(out.back() == '\n');

        const auto v = json::parse(lines[0]).as_object();
        const std::vector<std::string_view> keys{"time",   "exchange", "rule",    "level",     "subject",
                                                 "method", "target",   "status",  "message", "reference"};
        REQUIRE(v.size() == keys.size());
        std::size_t i = 0;
        for (const auto& kv : v) CHECK(kv.key() == keys[i++]);
        CHECK(v.at("time") == "2026-11-21T10:00:00.123Z");
        CHECK(v.at("exchange").as_int64() == 42);
        CHECK(v.at("rule") == "405-missing-allow");
        CHECK(v.at("level") == "error");
        CHECK(v.at("method") == "DELETE");
        CHECK(v.at("target") == "/items/7");
        CHECK(v.at("status").as_int64() == 405);
        CHECK(v.at("message") == "405 response has no Allow header; list the methods /items/7 supports");
        CHECK(v.at("reference") == "RFC 9110 \xC2\xA7" "15.5.6");

        // Escaping survives the round trip; the exchange number is shared.
        const auto w = json::parse(lines[1]).as_object();
        CHECK(w.at("message") == "no \"Date\" here\tat all \xC3\xA9");
        CHECK(w.at("level") == "warning");
        CHECK(w.at("exchange").as_int64() == 42);
        CHECK(format_finding_line(rec, rec.findings[0]) == lines[0] + "\n");
    }

    TEST_CASE("invalid UTF-8 from an upstream becomes U+FFFD, the line stays valid JSON") {
        auto rec = make_record(1, "GET", "/caf\xE9", 200, {finding("date-missing", "bad \xFF byte")});
        std::string out;
        append_finding_lines(out, rec);
        const auto v = json::parse(lines_of(out)[0]).as_object();
        CHECK(v.at("target") == "/caf\xEF\xBF\xBD");
        CHECK(v.at("message") == "bad \xEF\xBF\xBD byte");
    }

    TEST_CASE("userinfo of an absolute-form target never reaches a line; other targets stay as sent") {
        auto forward = make_record(1, "GET", "http://alice:s3cret@example.test/x?q=1", 200,
                                   {finding("date-missing", "m")});
        std::string out;
        append_finding_lines(out, forward);
        CHECK(out.find("s3cret") == std::string::npos);
        CHECK(out.find("alice") == std::string::npos);
        CHECK(json::parse(lines_of(out)[0]).as_object().at("target") == "http://[redacted]@example.test/x?q=1");
        // An origin-form target with '@' and ':' in its path is no userinfo: kept exactly.
        auto origin_form = make_record(2, "GET", "/users/bob@example.test:8/x", 200, {finding("date-missing", "m")});
        out.clear();
        append_finding_lines(out, origin_form);
        CHECK(json::parse(lines_of(out)[0]).as_object().at("target") == "/users/bob@example.test:8/x");
    }

    TEST_CASE("lines of repeated findings keep each finding's own rule, level and message") {
        // The members a finding alone decides are rendered once and reused while they repeat:
        // a change of message, level or rule must show in the very next line.
        auto escalated = finding("date-missing", "same text");
        escalated.level = check::Level::error;
        auto rec = make_record(7, "GET", "/", 200,
                               {finding("date-missing", "same text"), finding("date-missing", "same text"),
                                finding("date-missing", "other text"), escalated,
                                finding("405-missing-allow", "same text"), finding("date-missing", "same text")});
        std::string out;
        append_finding_lines(out, rec);
        const auto lines = lines_of(out);
        REQUIRE(lines.size() == 6);
        const std::vector<std::array<std::string_view, 3>> expected{
            {"date-missing", "warning", "same text"}, {"date-missing", "warning", "same text"},
            {"date-missing", "warning", "other text"}, {"date-missing", "error", "same text"},
            {"405-missing-allow", "error", "same text"}, {"date-missing", "warning", "same text"}};
        for (std::size_t i = 0; i < lines.size(); ++i) {
            CAPTURE(i);
            const auto v = json::parse(lines[i]).as_object();
            CHECK(v.at("rule").as_string() == expected[i][0]);
            CHECK(v.at("level").as_string() == expected[i][1]);
            CHECK(v.at("message").as_string() == expected[i][2]);
            CHECK(v.at("reference").as_string() == rule(expected[i][0])->reference);
        }
    }

    TEST_CASE("no findings, no lines") {
        std::string out;
        append_finding_lines(out, make_record(1, "GET", "/", 200));
        CHECK(out.empty());
    }
}

TEST_SUITE("report.recorder") {
    TEST_CASE("nothing is lost: 8 threads x 5000 records") {
        TempPath path("findings.jsonl");
        constexpr int threads = 8, per_thread = 5000;
        std::uint64_t expected_lines = 0;
        {
            Recorder recorder(RecorderOptions{.findings_path = path.str()});
            std::vector<std::thread> workers;
            for (int t = 0; t < threads; ++t) {
                workers.emplace_back([&recorder, t] {
                    for (int i = 0; i < per_thread; ++i) {
                        const auto n = static_cast<std::uint64_t>(t * per_thread + i + 1);
                        check::Findings f;
                        f.push_back(finding("405-missing-allow"));
                        if (i % 2 == 0) f.push_back(finding("date-missing"));
                        // Every tenth exchange is clean: counted, not written.
                        if (i % 10 == 9) f.clear();
                        recorder.record(make_record(n, "DELETE", "/items/" + std::to_string(i % 50), 405, std::move(f)));
                    }
                });
            }
            for (auto& w : workers) w.join();
            for (int i = 0; i < per_thread; ++i) expected_lines += i % 10 == 9 ? 0 : (i % 2 == 0 ? 2 : 1);
            expected_lines *= threads;
            recorder.close();
            CHECK(recorder.lines_written() == expected_lines);
            CHECK(recorder.write_errors() == 0);
            const auto s = recorder.snapshot();
            CHECK(s.exchanges == threads * per_thread);
            CHECK(s.findings_total() == expected_lines);
            REQUIRE(s.routes.size() == 1);
            CHECK(s.routes[0].route == "/items/{id}");
        }
        const auto lines = lines_of(read_file(path.str()));
        CHECK(lines.size() == expected_lines);
        // Every line is a complete object (no interleaving), and every exchange appears.
        std::vector<int> seen(threads * per_thread + 1, 0);
        for (const auto& line : lines) {
            const auto v = json::parse(line).as_object();
            ++seen[v.at("exchange").as_int64()];
        }
        int with_findings = 0;
        for (std::size_t n = 1; n < seen.size(); ++n) with_findings += seen[n] > 0;
        CHECK(with_findings == threads * (per_thread - per_thread / 10));
    }

    TEST_CASE("backpressure with a tiny queue still loses nothing") {
        TempPath path("findings.jsonl");
        Recorder recorder(RecorderOptions{.findings_path = path.str(), .max_pending = 4});
        std::vector<std::thread> workers;
        for (int t = 0; t < 4; ++t)
            workers.emplace_back([&recorder, t] {
                for (int i = 0; i < 500; ++i)
                    recorder.record(make_record(t * 500 + i, "GET", "/", 200, {finding("date-missing")}));
            });
        for (auto& w : workers) w.join();
        recorder.close();
        CHECK(lines_of(read_file(path.str())).size() == 2000);
    }

    TEST_CASE("append mode keeps earlier runs; close is idempotent; records after close only count") {
        TempPath path("findings.jsonl");
        for (int run = 0; run < 2; ++run) {
            Recorder recorder(RecorderOptions{.findings_path = path.str()});
            recorder.record(make_record(1, "GET", "/", 200, {finding("date-missing")}));
            recorder.close();
            recorder.close();
            recorder.record(make_record(2, "GET", "/", 200, {finding("date-missing")}));
            CHECK(recorder.snapshot().exchanges == 2);
        }
        CHECK(lines_of(read_file(path.str())).size() == 2);
    }

    TEST_CASE("the file is flushed while running, not only at close") {
        TempPath path("findings.jsonl");
        Recorder recorder(RecorderOptions{.findings_path = path.str(), .flush_interval = std::chrono::milliseconds(20)});
        recorder.record(make_record(1, "GET", "/", 200, {finding("date-missing")}));
        std::size_t lines = 0;
        for (int i = 0; i < 200 && lines == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            lines = lines_of(read_file(path.str())).size();
        }
        CHECK(lines == 1);
    }

    TEST_CASE("an unwritable findings path fails at construction, naming the path") {
        CHECK_THROWS_WITH_AS(Recorder(RecorderOptions{.findings_path = "/nonexistent-dir/x.jsonl"}),
                             doctest::Contains("/nonexistent-dir/x.jsonl"), std::runtime_error);
    }

    TEST_CASE("a full disk is counted and logged, not fatal") {
        Recorder recorder(RecorderOptions{.findings_path = "/dev/full"});
        for (int i = 0; i < 10; ++i) recorder.record(make_record(i, "GET", "/", 200, {finding("date-missing")}));
        recorder.close();
        CHECK(recorder.write_errors() > 0);
        CHECK(recorder.lines_written() == 0);
        CHECK(recorder.snapshot().findings_total() == 10);
    }

    TEST_CASE("without a findings file the recorder only aggregates") {
        Recorder recorder(RecorderOptions{});
        for (int i = 0; i < 100; ++i) recorder.record(make_record(i, "GET", "/", 200, {finding("date-missing")}));
        CHECK(recorder.snapshot().findings_total() == 100);
        CHECK(recorder.lines_written() == 0);
    }
}

// What CI does with the real binary: the silence header end to end (an echo upstream proves
// it never arrives), and the baseline round trip: run, baseline create, a second run with one
// newly broken endpoint that fails naming only it, diff, report merge, baseline update.
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <fstream>

#include "integration/support/Clients.hpp"
#include "integration/support/FindingsFile.hpp"
#include "integration/support/ProxyProcess.hpp"
#include "integration/support/ScriptedUpstream.hpp"

using namespace it;

namespace {

CommandResult run_binary(std::vector<std::string> args) {
    args.insert(args.begin(), proxy_binary());
    return run_command(args, std::chrono::seconds(20));
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_SUITE("ci workflow") {

TEST_CASE("Conformance-Silence: silenced and counted, stripped before the upstream, an unknown id reported") {
    ScriptedUpstream upstream(http_response(405, "no\n"));  // 405 without Allow: 405-missing-allow
    TempDir dir;
    const auto findings = dir / "findings.jsonl";
    const auto report = dir / "report.json";
    ProxyProcess proxy({"--upstream", upstream.url(), "--mode", "annotate", "--findings", findings.string(),
                        "--report-json", report.string()});

    const auto silenced = curl({"-X", "DELETE", proxy.url() + "/items/7", "-H",
                                "Conformance-Silence: 405-missing-allow, no-such-rule"});
    const auto with_body = curl({"-X", "PUT", proxy.url() + "/items/8", "--data-binary", "body", "-H",
                                 "conformance-silence: 405-missing-allow"});
    const auto loud = curl({"-X", "DELETE", proxy.url() + "/items/9"});
    REQUIRE(silenced.ok());
    REQUIRE(with_body.ok());
    REQUIRE(loud.ok());
    // annotate acts on what is not silenced only.
    CHECK(silenced.final_response().head.value("Conformance-Findings").find("405-missing-allow") == std::string::npos);
    CHECK(with_body.final_response().head.value("Conformance-Findings").find("405-missing-allow") == std::string::npos);
    CHECK(loud.final_response().head.value("Conformance-Findings").find("405-missing-allow") != std::string::npos);

    const auto seen = upstream.requests();
    REQUIRE(seen.size() == 3);
    for (const auto& request : seen) {
        INFO(request.method, " ", request.target);
        CHECK(request.head.count("Conformance-Silence") == 0);
    }
    CHECK(seen[1].body.bytes == "body");

    REQUIRE(proxy.stop() == 0);
    const auto counts = count_by_rule(read_findings(findings));
    CHECK(counts.at("405-missing-allow") == 1);  // /items/9 only
    const auto json = read_file(report);
    CHECK(json.find("\"silenced\":{\"findings\":{\"error\":2,\"warning\":0,\"info\":0},"
                    "\"rules\":{\"405-missing-allow\":2},\"unknown_ids\":{\"no-such-rule\":1}}") != std::string::npos);
    const auto err = proxy.stderr_text();
    CHECK(err.find("  silenced   2 (405-missing-allow 2)\n") != std::string::npos);
    CHECK(err.find("unknown rule id \"no-such-rule\" in the silence header of 1 exchange: it silenced nothing") !=
          std::string::npos);
    CHECK(err.find("which is no rule id") != std::string::npos);  // the log line, at the time
}

TEST_CASE("baseline round trip with the binary: a new finding fails naming only itself; diff, merge, update") {
    std::atomic<bool> orders_broken{false};
    ScriptedUpstream upstream([&](const ReceivedRequest& request) {
        const bool broken = request.target.starts_with("/items/") ||
                            (request.target.starts_with("/orders/") && orders_broken.load());
        return Reply::bytes(broken ? http_response(405, "no\n") : http_response(200, "ok\n"));
    });
    TempDir dir;
    const auto path = [&](std::string_view name) { return (dir / name).string(); };

    {  // First run: the known debt.
        ProxyProcess proxy({"--upstream", upstream.url(), "--report-json", path("r1.json"), "--findings",
                            path("f1.jsonl")});
        for (const auto* target : {"/items/7", "/items/8", "/orders/1"}) REQUIRE(curl({"-X", "DELETE", proxy.url() + target}).ok());
        REQUIRE(proxy.stop() == 0);
    }
    const auto created = run_binary({"baseline", "create", "--from", path("r1.json"), "-o", path("baseline.json")});
    REQUIRE_MESSAGE(created.exit_status == 0, created.err);
    const auto baseline = read_file(dir / "baseline.json");
    CHECK(occurrences(baseline, "\"rule\":") == 1);
    CHECK(baseline.find("{\"rule\":\"405-missing-allow\",\"subject\":\"response\",\"method\":\"DELETE\","
                        "\"route\":\"/items/{id}\",\"status\":405}") != std::string::npos);
    // From the JSON Lines of the same run: the same file, byte for byte.
    REQUIRE(run_binary({"baseline", "create", "--from", path("f1.jsonl"), "-o", path("b2.json")}).exit_status == 0);
    CHECK(read_file(dir / "b2.json") == baseline);

    orders_broken = true;
    {  // Second run: /items still broken (known), /orders newly broken.
        ProxyProcess proxy({"--upstream", upstream.url(), "--baseline", path("baseline.json"), "--fail-on", "error",
                            "--report-json", path("r2.json"), "--findings", path("f2.jsonl"), "--github-annotations"});
        for (const auto* target : {"/items/9", "/orders/2", "/orders/3"})
            REQUIRE(curl({"-X", "DELETE", proxy.url() + target}).ok());
        CHECK(proxy.stop() == 1);
        const auto err = proxy.stderr_text();
        CHECK(err.find("  baseline   2 new, 1 known, 0 fixed (" + path("baseline.json") + ")\n") != std::string::npos);
        CHECK(err.find("exit status 1: new findings at or above error: 2 errors (--fail-on error, baseline " +
                       path("baseline.json") + "): 405-missing-allow on DELETE /orders/{id}; 1 known\n") !=
              std::string::npos);
        const auto out = read_file(proxy.dir() / "stdout.log");
        CHECK(out.starts_with("::error title=405-missing-allow (new)::DELETE /orders/{id} -> 405, 2x: "));
        CHECK(occurrences(out, "::error") == 1);
    }
    const auto lines = read_findings(dir / "f2.jsonl");
    REQUIRE(lines.size() == 3);
    for (const auto& line : lines) {
        INFO(line.raw);
        const bool known = line.target.starts_with("/items/");
        CHECK(line.raw.find(known ? "\"baseline\":\"known\"" : "\"baseline\":\"new\"") != std::string::npos);
    }

    const auto diff = run_binary({"diff", path("r1.json"), path("r2.json")});
    CHECK(diff.exit_status == 1);
    CHECK(diff.out.starts_with("conformance-proxy diff: 1 new finding, 0 fixed, 0 changed level, 1 unchanged\n"
                               "  new      error 405-missing-allow DELETE /orders/{id} -> 405 (2x): "));
    CHECK(occurrences(diff.out, "\n") == 2);
    CHECK(run_binary({"diff", path("r1.json"), path("r1.json")}).exit_status == 0);

    const auto merged = run_binary({"report", "merge", path("r1.json"), path("r2.json"), "-o", path("merged.json"),
                                    "--html", path("merged.html"), "--junit", path("merged.xml")});
    REQUIRE_MESSAGE(merged.exit_status == 0, merged.err);
    const auto merged_json = read_file(dir / "merged.json");
    CHECK(merged_json.find("\"exchanges\":6,") != std::string::npos);
    INFO(merged_json.substr(0, 400));
    CHECK(merged_json.find("\"findings\":{\"error\":5,\"warning\":0,\"info\":0},\"findings_total\":5") !=
          std::string::npos);
    CHECK(std::filesystem::file_size(dir / "merged.html") > 0);
    CHECK(read_file(dir / "merged.xml").find("405-missing-allow") != std::string::npos);

    const auto updated = run_binary({"baseline", "update", "--from", path("r2.json"), "-o", path("baseline.json")});
    REQUIRE_MESSAGE(updated.exit_status == 0, updated.err);
    CHECK(updated.err.find("holds 2 fingerprint(s) from " + path("r2.json") + ": 1 added, 0 removed (fixed), 1 kept") !=
          std::string::npos);
    CHECK(occurrences(read_file(dir / "baseline.json"), "\"rule\":") == 2);
}

TEST_CASE("lint --format github and --github-annotations: exact workflow commands") {
    TempDir dir;
    const auto response = dir / "405.http";
    {
        std::ofstream out(response, std::ios::binary);
        out << "HTTP/1.1 405 Method Not Allowed\r\nDate: Sun, 22 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n";
    }
    const std::string message =
        "405 response has no Allow header; list the methods the resource supports, e.g. Allow: GET, PUT";
    const auto github = run_binary({"lint", response.string(), "--format", "github"});
    CHECK(github.exit_status == 1);
    CHECK(github.out == "::error title=405-missing-allow::" + response.string() + " response 1: " + message +
                            " (RFC 9110 §15.5.6)\n");
    // lint with a baseline: its own report makes the baseline, and the same input then passes.
    const auto report = (dir / "lint.json").string(), baseline = (dir / "baseline.json").string();
    REQUIRE(run_binary({"lint", response.string(), "--report-json", report}).exit_status == 1);
    REQUIRE(run_binary({"baseline", "create", "--from", report, "-o", baseline}).exit_status == 0);
    const auto known = run_binary({"lint", response.string(), "--baseline", baseline});
    CHECK(known.exit_status == 0);
    CHECK(known.err.find("  baseline   0 new, 1 known, 0 fixed (" + baseline + ")\n") != std::string::npos);
    const auto annotations = run_binary({"lint", response.string(), "--github-annotations"});
    CHECK(annotations.exit_status == 1);
    CHECK(annotations.out.ends_with("\n::error title=405-missing-allow::/ -> 405, 1x: " + message +
                                    " (RFC 9110 §15.5.6)\n"));
}

TEST_CASE("CI commands: bad input is a clear error with exit status 2") {
    TempDir dir;
    const auto missing = run_binary({"baseline", "create", "--from", (dir / "nope.json").string(), "-o",
                                     (dir / "b.json").string()});
    CHECK(missing.exit_status == 2);
    CHECK(missing.err.find("nope.json") != std::string::npos);
    const auto bad_baseline = run_binary({"--demo", "--baseline", (dir / "nope.json").string()});
    CHECK(bad_baseline.exit_status == 2);
    CHECK(bad_baseline.err.find("nope.json") != std::string::npos);
    const auto no_output = run_binary({"report", "merge", (dir / "a.json").string()});
    CHECK(no_output.exit_status != 0);
    CHECK(no_output.err.find("--output") != std::string::npos);
}

}  // TEST_SUITE

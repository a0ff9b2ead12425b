#include "ReportTestSupport.hpp"
#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/FailOn.hpp"

using namespace cproxy::report;
using namespace cproxy::report::test;
using cproxy::check::Level;

namespace {
// A snapshot with the given number of findings per level.
ReportSnapshot with_findings(int errors, int warnings, int infos) {
    Aggregator aggregator;
    std::uint64_t n = 0;
    for (int i = 0; i < errors; ++i) aggregator.add(make_record(++n, "DELETE", "/items/7", 405, {finding("405-missing-allow")}));
    for (int i = 0; i < warnings; ++i) aggregator.add(make_record(++n, "GET", "/", 200, {finding("date-missing")}));
    for (int i = 0; i < infos; ++i) aggregator.add(make_record(++n, "GET", "/busy", 503, {finding("retry-after-missing")}));
    aggregator.add(make_record(++n, "GET", "/ok", 200));
    return aggregator.snapshot();
}
}  // namespace

TEST_SUITE("report.fail_on") {
    TEST_CASE("parsing") {
        CHECK(parse_fail_on("error") == FailOn::error);
        CHECK(parse_fail_on("warning") == FailOn::warning);
        CHECK(parse_fail_on("info") == FailOn::info);
        CHECK(parse_fail_on("never") == FailOn::never);
        CHECK(parse_fail_on("ERROR") == FailOn::error);
        CHECK_FALSE(parse_fail_on("warn"));
        CHECK_FALSE(parse_fail_on(""));
        CHECK(to_string(FailOn::warning) == "warning");
        CHECK(fail_level(FailOn::info) == Level::info);
        CHECK_FALSE(fail_level(FailOn::never));
    }

    TEST_CASE("matrix: exit status by --fail-on and the worst level recorded") {
        struct Row {
            int errors, warnings, infos;
            int on_error, on_warning, on_info, on_never;
        };
        const Row rows[] = {
            {0, 0, 0, 0, 0, 0, 0},  // clean
            {0, 0, 2, 0, 0, 1, 0},  // info only
            {0, 3, 0, 0, 1, 1, 0},  // warnings only
            {1, 0, 0, 1, 1, 1, 0},  // an error
            {2, 3, 4, 1, 1, 1, 0},  // everything
        };
        for (const auto& row : rows) {
            CAPTURE(row.errors);
            CAPTURE(row.warnings);
            CAPTURE(row.infos);
            const auto s = with_findings(row.errors, row.warnings, row.infos);
            CHECK(evaluate_fail_on(s, FailOn::error).exit_status == row.on_error);
            CHECK(evaluate_fail_on(s, FailOn::warning).exit_status == row.on_warning);
            CHECK(evaluate_fail_on(s, FailOn::info).exit_status == row.on_info);
            CHECK(evaluate_fail_on(s, FailOn::never).exit_status == row.on_never);
        }
    }

    TEST_CASE("the reason names counts and rules") {
        const auto s = with_findings(2, 1, 0);
        const auto fail = evaluate_fail_on(s, FailOn::error);
        CHECK(fail.failed());
        CHECK(fail.reason.find("exit status 1") == 0);
        CHECK(fail.reason.find("2 errors") != std::string::npos);
        CHECK(fail.reason.find("405-missing-allow") != std::string::npos);
        CHECK(fail.reason.find("--fail-on error") != std::string::npos);
        // Warnings are below --fail-on error and must not be named as the cause.
        CHECK(fail.reason.find("date-missing") == std::string::npos);

        const auto warn = evaluate_fail_on(with_findings(0, 1, 0), FailOn::error);
        CHECK_FALSE(warn.failed());
        CHECK(warn.reason.find("exit status 0") == 0);
        CHECK(warn.reason.find("1 warning") != std::string::npos);

        const auto never = evaluate_fail_on(s, FailOn::never);
        CHECK(never.reason.find("--fail-on never") != std::string::npos);
    }
}

// A stateful finding carries the earlier exchange it contradicts into every output: the JSON
// Lines member `earlier`, report.json's example, and a "stateful" badge in the HTML report.
#include <boost/json.hpp>

#include "ReportTestSupport.hpp"
#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/HtmlReport.hpp"
#include "conformance_proxy/report/JsonLines.hpp"
#include "conformance_proxy/report/ReportJson.hpp"

using namespace cproxy::report;
using namespace cproxy::report::test;
namespace check = cproxy::check;

namespace {

check::Finding stateful_finding() {
    auto f = finding("head-content-length-differs", "HEAD said Content-Length: 13 but GET delivered 5 octets");
    f.earlier = check::EarlierExchange{41, std::chrono::system_clock::time_point(std::chrono::milliseconds(1795255199000))};
    return f;
}

}  // namespace

TEST_CASE("JSON Lines: `earlier` names the exchange a stateful finding contradicts, after the v1 members") {
    const auto record = make_record(42, "HEAD", "/page", 200, {stateful_finding()});
    const auto line = format_finding_line(record, record.findings[0]);
    const auto parsed = boost::json::parse(line).as_object();
    REQUIRE(parsed.contains("earlier"));
    CHECK(parsed.at("earlier").at("exchange").to_number<std::uint64_t>() == 41);
    CHECK(parsed.at("earlier").at("time").as_string() == "2026-11-21T09:59:59.000Z");
    CHECK(line.find("\"reference\"") < line.find("\"earlier\""));
    // A single-exchange finding has none.
    const auto plain = make_record(43, "DELETE", "/x", 405, {finding("405-missing-allow")});
    CHECK(format_finding_line(plain, plain.findings[0]).find("earlier") == std::string::npos);
}

TEST_CASE("report.json and HTML: the stateful badge and the earlier exchange beside the current one") {
    Aggregator a(AggregatorOptions{{rule("head-content-length-differs"), rule("405-missing-allow")}});
    a.add(make_record(42, "HEAD", "/page", 200, {stateful_finding()}));
    a.add(make_record(43, "DELETE", "/x", 405, {finding("405-missing-allow")}));
    const auto snapshot = a.snapshot();
    const auto json = boost::json::parse(render_report_json(snapshot));
    bool found = false;
    for (const auto& r : json.at("rules").as_array()) {
        if (r.at("id").as_string() == "head-content-length-differs") {
            found = true;
            CHECK(r.at("example").at("earlier").at("exchange").to_number<std::uint64_t>() == 41);
        } else {
            CHECK_FALSE(r.at("example").as_object().contains("earlier"));
        }
    }
    CHECK(found);
    const auto html = render_html(snapshot);
    // The text of one rule's section.
    const auto section_of = [&](std::string_view id) {
        const auto start = html.find("id=\"rule-" + std::string(id) + "\"");
        REQUIRE(start != std::string::npos);
        return html.substr(start, html.find("</section>", start) - start);
    };
    const auto stateful = section_of("head-content-length-differs");
    CHECK(stateful.find(">stateful</span>") != std::string::npos);
    CHECK(stateful.find("contradicts exchange #41 at 2026-11-21T09:59:59.000Z") != std::string::npos);
    CHECK(section_of("405-missing-allow").find("stateful") == std::string::npos);
}

// --openapi coverage: which declared operations the traffic exercised, the statuses seen versus
// declared, and the same figures in report.json, the HTML report (and so the dashboard) and
// JUnit; routes become the document's templates.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "ReportTestSupport.hpp"
#include "conformance_proxy/openapi/OpenApiDocument.hpp"
#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/HtmlReport.hpp"
#include "conformance_proxy/report/JunitReport.hpp"
#include "conformance_proxy/report/ReportJson.hpp"

using namespace cproxy::report;

namespace {
const cproxy::openapi::OpenApiDocument& petstore() {
    static const auto document = cproxy::openapi::OpenApiDocument::load_file(
        std::string(std::getenv("CPROXY_SOURCE_DIR") ? std::getenv("CPROXY_SOURCE_DIR") : ".") +
        "/tests/unit/openapi/petstore.yaml");
    return *document;
}

ReportSnapshot exercised() {
    AggregatorOptions options;
    options.contract = &petstore();
    options.contract_name = "petstore.yaml";
    Aggregator a(options);
    const auto add = [&](std::uint64_t n, const char* method, const char* target, int status) {
        const auto record = cproxy::report::test::make_record(n, method, target, status);
        a.add(record, Aggregator::route_of(record, &petstore()));
    };
    add(1, "GET", "/v1/pets?limit=2", 200);
    add(2, "GET", "/v1/pets", 503);   // default
    add(3, "GET", "/v1/pets/7", 200);
    add(4, "GET", "/v1/pets/8", 200);
    add(5, "POST", "/v1/pets", 409);  // 4XX
    add(6, "GET", "/v1/pets/mine", 0);  // no response: not exercised
    add(7, "PATCH", "/v1/pets/7", 405);  // no such operation
    add(8, "GET", "/v1/elsewhere/12", 200);
    return a.snapshot();
}
}  // namespace

TEST_CASE("coverage: operations exercised, statuses seen and declared-but-never-seen, totals") {
    const auto s = exercised();
    REQUIRE(s.coverage);
    const auto& c = *s.coverage;
    CHECK(c.declared == 6);
    CHECK(c.exercised == 3);
    CHECK(c.percent() == doctest::Approx(50.0));
    REQUIRE(c.operations.size() == 6);
    CHECK(c.operations[0].method == "GET");
    CHECK(c.operations[0].path == "/pets");
    CHECK(c.operations[0].exchanges == 2);
    CHECK(c.operations[0].seen_statuses == std::vector<int>{200, 503});
    CHECK(c.operations[0].unseen_statuses.empty());
    CHECK(c.operations[1].operation_id == "createPet");
    CHECK(c.operations[1].seen_statuses == std::vector<int>{409});
    CHECK(c.operations[1].unseen_statuses == std::vector<std::string>{"201", "401"});
    CHECK_FALSE(c.operations[2].exercised());  // GET /pets/mine got no response
    CHECK(c.operations[3].exchanges == 2);
    CHECK(c.operations[3].unseen_statuses == std::vector<std::string>{"404"});
    CHECK_FALSE(c.operations[4].exercised());  // DELETE: the PATCH does not count
    // routes: the document's templates; an undeclared path keeps the heuristic grouping
    std::vector<std::string> routes;
    for (const auto& r : s.routes) routes.push_back(r.route);
    std::sort(routes.begin(), routes.end());
    CHECK(routes == std::vector<std::string>{"/pets", "/pets/mine", "/pets/{petId}", "/v1/elsewhere/{id}"});
}

TEST_CASE("coverage in report.json, the HTML report and JUnit") {
    const auto s = exercised();
    const auto json = snapshot_to_json(s, std::nullopt);
    const auto& coverage = json.at("coverage");
    CHECK(coverage.at("declared").as_uint64() == 6);
    CHECK(coverage.at("exercised").as_uint64() == 3);
    CHECK(coverage.at("percent").as_double() == 50.0);
    CHECK(boost::json::serialize(coverage.at("operations").at(1)) ==
          R"({"method":"POST","path":"/pets","operation_id":"createPet","exercised":true,"exchanges":1,)"
          R"("declared_statuses":["201","401","4XX"],"seen_statuses":[409],"unseen_statuses":["201","401"]})");

    const auto html = render_html(s);
    CHECK(html.find("id=\"coverage\"") != std::string::npos);
    CHECK(html.find("3 of 6 operations exercised (50.0%)") != std::string::npos);
    CHECK(html.find("GET /owners/{ownerId}/avatar.{format}") != std::string::npos);

    const auto junit = render_junit(s);
    CHECK(junit.find("<testsuite name=\"openapi-coverage\" tests=\"6\" failures=\"0\" errors=\"0\" skipped=\"3\"") !=
          std::string::npos);
    CHECK(junit.find("<testcase classname=\"openapi.coverage\" name=\"DELETE /pets/{petId}\" time=\"0\">\n      <skipped") !=
          std::string::npos);

    // without --openapi nothing of it appears
    const auto plain = Aggregator().snapshot();
    CHECK_FALSE(plain.coverage);
    CHECK_FALSE(snapshot_to_json(plain, std::nullopt).as_object().contains("coverage"));
    CHECK(render_html(plain).find("id=\"coverage\"") == std::string::npos);
}

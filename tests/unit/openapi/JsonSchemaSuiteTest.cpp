// The validator integration (SchemaSet: Boost.JSON documents through valijson) against the
// official JSON-Schema-Test-Suite (Debian json-schema-test-suite), for the dialects OpenAPI
// documents are validated with: draft 4 (OpenAPI 3.0's Schema Object) and draft 7 (OpenAPI 3.1,
// the newest draft valijson knows). The pass rates are floors: a regression fails the test;
// the groups that fail are what docs/openapi.md lists as unsupported.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "openapi/SchemaSet.hpp"

namespace {

struct SuiteResult {
    int passed = 0;
    int total = 0;
    std::map<std::string, int> failures_by_file;
};

SuiteResult run_suite(const std::filesystem::path& directory, cproxy::openapi::SchemaDialect dialect) {
    SuiteResult result;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream file(entry.path());
        std::stringstream text;
        text << file.rdbuf();
        const boost::json::value groups = boost::json::parse(text.str());
        for (const auto& group : groups.as_array()) {
            const auto& tests = group.at("tests").as_array();
            cproxy::openapi::SchemaSet schemas(dialect);
            int handle = -1;
            try {
                handle = schemas.add_root(group.at("schema"));
            } catch (const std::exception&) {
                // a schema valijson refuses (e.g. a remote $ref): every test of it fails
            }
            for (const auto& test : tests) {
                ++result.total;
                bool ok = false;
                if (handle >= 0) {
                    try {
                        const bool valid = !schemas.validate(handle, test.at("data")).has_value();
                        ok = valid == test.at("valid").as_bool();
                    } catch (const std::exception&) {
                    }
                }
                if (ok) ++result.passed;
                else ++result.failures_by_file[entry.path().filename().string()];
            }
        }
    }
    return result;
}

void report(const char* draft, const SuiteResult& result) {
    std::string failures;
    for (const auto& [file, count] : result.failures_by_file) failures += " " + file + ":" + std::to_string(count);
    MESSAGE(std::string(draft) << ": " << result.passed << "/" << result.total << " passed ("
                  << (100.0 * result.passed / std::max(1, result.total)) << "%); failing:" << failures);
}

const std::filesystem::path suite = "/usr/share/json-schema-test-suite/tests";

}  // namespace

TEST_CASE("JSON-Schema-Test-Suite draft 4 (OpenAPI 3.0 schemas): pass rate floor") {
    REQUIRE_MESSAGE(std::filesystem::exists(suite / "draft4"), "install json-schema-test-suite (scripts/install-deps.sh --with-tests)");
    const auto result = run_suite(suite / "draft4", cproxy::openapi::SchemaDialect::draft4);
    report("draft4", result);
    CHECK(result.total >= 320);
    CHECK(double(result.passed) / result.total >= 0.934);  // 299/320 measured (valijson 1.0)
}

TEST_CASE("JSON-Schema-Test-Suite draft 7 (OpenAPI 3.1 schemas): pass rate floor") {
    REQUIRE(std::filesystem::exists(suite / "draft7"));
    const auto result = run_suite(suite / "draft7", cproxy::openapi::SchemaDialect::draft7);
    report("draft7", result);
    CHECK(result.total >= 423);
    CHECK(double(result.passed) / result.total >= 0.950);  // 402/423 measured (valijson 1.0)
}

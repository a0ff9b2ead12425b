#pragma once
// SARIF 2.1.0 (--sarif) for code-scanning views. One result per rule and route, with the
// occurrence count; the location is the route (a logical location, and an artifact uri).
#include <string>

#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct SarifOptions {
    // tool.driver.informationUri must be an absolute URI. The project has no public home yet,
    // so it points at the specification the tool enforces; main can pass the real one.
    std::string information_uri = "https://www.rfc-editor.org/rfc/rfc9110";
    std::string version = "0.1.0";
};

std::string render_sarif(const ReportSnapshot& snapshot, const SarifOptions& options = {});

}  // namespace cproxy::report

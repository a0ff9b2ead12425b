#pragma once
// The one-screen summary printed to stderr at shutdown.
#include <string>
#include <vector>

#include "conformance_proxy/report/FailOn.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct WrittenReport {
    std::string kind;  // "findings", "junit", "sarif", "html"
    std::string path;
};

std::string render_summary(const ReportSnapshot& snapshot, const Verdict& verdict,
                           const std::vector<WrittenReport>& written = {});

}  // namespace cproxy::report

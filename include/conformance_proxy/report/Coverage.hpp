#pragma once
// Coverage of an API description (--openapi): for each declared operation, whether traffic
// exercised it and which of its declared response codes were seen. Not thread-safe: the
// Aggregator owns one under the Recorder's lock.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/contract.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

class CoverageTracker {
public:
    CoverageTracker(const check::Contract& contract, std::string document_name);
    // One exchange: its request method and target, and the final status (0 = none).
    void add(std::string_view method, std::string_view target, int status);
    CoverageReport report() const;

private:
    struct OperationState {
        const check::ContractOperation* operation = nullptr;
        std::string path;
        std::uint64_t exchanges = 0;
        std::set<int> statuses;
    };
    const check::Contract& contract_;
    std::string document_name_;
    std::vector<OperationState> operations_;  // document order
};

// "/v1/pets/7?x" -> "/pets/{petId}" when the description declares it; "" when it does not.
std::string contract_route(const check::Contract& contract, std::string_view target);

}  // namespace cproxy::report

#include "conformance_proxy/report/Coverage.hpp"

#include <algorithm>

#include "conformance_proxy/check/checker.hpp"

namespace cproxy::report {

CoverageTracker::CoverageTracker(const check::Contract& contract, std::string document_name)
    : contract_(contract), document_name_(std::move(document_name)) {
    for (const auto& path : contract.paths())
        for (const auto& operation : path.operations)
            operations_.push_back(OperationState{&operation, path.path_template, 0, {}});
}

void CoverageTracker::add(std::string_view method, std::string_view target, int status) {
    if (status <= 0) return;  // no response: nothing was exercised
    const std::string_view path = check::request_path(target);
    if (path.empty() || path.front() != '/') return;
    const check::ContractPath* item = contract_.match(path);
    const check::ContractOperation* operation = item ? item->operation(method) : nullptr;
    if (!operation) return;
    for (auto& state : operations_)
        if (state.operation == operation) {
            ++state.exchanges;
            state.statuses.insert(status);
            return;
        }
}

CoverageReport CoverageTracker::report() const {
    CoverageReport report;
    report.document = document_name_;
    for (const auto& state : operations_) {
        OperationCoverage coverage;
        coverage.method = state.operation->method;
        coverage.path = state.path;
        coverage.operation_id = state.operation->operation_id;
        coverage.exchanges = state.exchanges;
        coverage.seen_statuses.assign(state.statuses.begin(), state.statuses.end());
        // A declared code is seen when some answered status was looked up to it (exact code,
        // then range, then default: the same lookup the contract rules use).
        std::set<std::string> covered;
        for (const int status : state.statuses)
            if (const auto* response = check::find_response(*state.operation, status)) covered.insert(response->code);
        for (const auto& response : state.operation->responses) {
            coverage.declared_statuses.push_back(response.code);
            if (!covered.count(response.code)) coverage.unseen_statuses.push_back(response.code);
        }
        ++report.declared;
        if (coverage.exercised()) ++report.exercised;
        report.operations.push_back(std::move(coverage));
    }
    return report;
}

std::string contract_route(const check::Contract& contract, std::string_view target) {
    const std::string_view path = check::request_path(target);
    if (path.empty() || path.front() != '/') return "";
    const check::ContractPath* item = contract.match(path);
    return item ? item->path_template : "";
}

}  // namespace cproxy::report

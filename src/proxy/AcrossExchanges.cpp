// Hands a finished exchange to the history behind the stateful rules. The resource key needs
// the origin the request went to: the configured upstream (reverse mode) or the destination
// its absolute-form target named (forward mode, where the target carries the origin itself).
#include <chrono>

#include "conformance_proxy/check/history.hpp"
#include "proxy/Destination.hpp"
#include "proxy/Exchange.hpp"
#include "proxy/ProxyRuntime.hpp"

namespace cproxy::proxy {

void check_across_exchanges(const ProxyServices& services, Exchange& ex, const Destination* destination,
                            std::string_view client_address, const cproxy::http::RawHead* parsed_response) {
    if (!services.history || !services.checker || ex.info.raw_response_head.empty() || ex.context.raw_head.empty())
        return;
    std::string forward_origin;
    std::string_view origin = services.upstream_origin;  // reverse mode: built once at start-up
    if (!services.options.upstream && destination) {
        forward_origin = std::string(destination->tls ? "https://" : "http://") + destination->key;
        origin = forward_origin;
    }
    check::ObservedExchange observed;
    observed.number = ex.info.number;
    observed.time = ex.info.started;  // the time the reports show for this exchange
    observed.now = std::chrono::steady_clock::now();
    observed.origin = origin;
    observed.client = client_address;
    observed.raw_request_head = ex.context.raw_head;
    observed.raw_response_head = ex.info.raw_response_head;
    observed.complete = ex.response_complete;
    observed.content_octets = ex.info.response_bytes;
    observed.response_head = parsed_response;
    observed.request_head = ex.context.parsed_head;
    const auto before = ex.findings.size();
    services.history->observe(observed, services.checker->policy(), ex.findings);
    // Conformance-Silence applies to stateful findings too (they arrive after the others).
    if (ex.findings.size() != before) ex.set_aside_silenced();
}

}  // namespace cproxy::proxy

// `conformance-proxy probe`: collects the routes, runs the probes against the upstream and
// writes the same outputs as the proxy and `lint` (findings, JUnit, SARIF, HTML, exit status).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/ContractLoading.hpp"
#include "app/RecorderSink.hpp"
#include "app/Shutdown.hpp"
#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/check/history.hpp"
#include "conformance_proxy/config/CommandLine.hpp"
#include "conformance_proxy/demo/DemoUpstream.hpp"
#include "conformance_proxy/openapi/ExampleRequests.hpp"
#include "conformance_proxy/probe/Probe.hpp"

namespace cproxy::app {
namespace {

std::string read_file(const std::string& path, std::string_view flag) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw probe::ProbeInputError(std::string(flag) + " " + path + ": no such file or not readable");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

probe::Upstream upstream_of(const proxy::UpstreamTarget& target) { return {target.scheme, target.host, target.port}; }

// The body of GET <admin>/routes.json from a running proxy's admin server.
std::string fetch_admin_routes(const std::string& url, std::chrono::milliseconds timeout) {
    proxy::UpstreamTarget admin;
    try {
        admin = config::parse_upstream_url(url);
    } catch (const std::exception& e) {
        throw probe::ProbeInputError("--from-admin " + url + ": " + e.what());
    }
    const probe::ProbeRequest request{"GET", "/routes.json", {}, "routes of a running proxy"};
    const auto raw = probe::send_request(upstream_of(admin), request, timeout);
    const auto head_end = check::find_head_end(raw.response);
    if (!raw.error.empty() || head_end == 0 || raw.response.compare(9, 3, "200") != 0)
        throw probe::ProbeInputError("--from-admin " + url + ": GET /routes.json did not answer 200 (" +
                                     (raw.error.empty() ? raw.response.substr(0, raw.response.find('\r')) : raw.error) +
                                     "); is the proxy running with --admin at that address?");
    return raw.response.substr(head_end);
}

// `probe --openapi FILE`: the concrete example request of each operation. An operation whose path
// parameters have no example in the document is named on stderr as skipped, never guessed.
std::vector<std::string> routes_from_contract(const openapi::OpenApiDocument& contract) {
    const auto listing = openapi::example_requests(contract);
    std::vector<std::string> routes;
    for (const auto& request : listing.requests) routes.push_back(request.target);
    for (const auto& skipped : listing.skipped)
        std::cerr << "conformance-proxy probe: skipped " << skipped.method << " " << skipped.path_template << ": "
                  << skipped.reason << "\n";
    return routes;
}

std::vector<std::string> collect_routes(const config::ProbeSettings& settings, const probe::Upstream& upstream,
                                        std::chrono::milliseconds timeout, const openapi::OpenApiDocument* contract) {
    std::vector<std::string> routes;
    const auto add = [&routes](std::vector<std::string> more) {
        for (auto& route : more)
            if (std::find(routes.begin(), routes.end(), route) == routes.end()) routes.push_back(std::move(route));
    };
    for (const auto& path : settings.route_files) add(probe::routes_from_list(read_file(path, "--routes"), path));
    for (const auto& path : settings.har_files) add(probe::routes_from_har(read_file(path, "--har"), path, upstream));
    for (const auto& path : settings.report_files)
        add(probe::routes_from_report(read_file(path, "--from-report"), path));
    for (const auto& url : settings.admin_urls)
        add(probe::routes_from_admin(fetch_admin_routes(url, timeout), "--from-admin " + url));
    if (contract) add(routes_from_contract(*contract));
    return routes;
}

}  // namespace

int run_probe_command(const config::CommandLine& command_line) {
    const auto& settings = command_line.probe;
    std::optional<demo::DemoUpstream> demo_upstream;  // `probe --demo`: the built-in demo as the upstream
    std::optional<proxy::UpstreamTarget> target = command_line.proxy.upstream;
    if (command_line.demo) {
        demo_upstream.emplace();
        target = proxy::UpstreamTarget{"http", "127.0.0.1", demo_upstream->port()};
    }
    if (!target) {
        std::cerr << "conformance-proxy probe: no upstream; give --upstream URL (e.g. --upstream "
                     "http://localhost:3000) or --demo\n";
        return 2;
    }
    if (settings.route_files.empty() && settings.har_files.empty() && settings.report_files.empty() &&
        settings.admin_urls.empty() && command_line.openapi_path.empty()) {
        std::cerr << "conformance-proxy probe: no routes; give --routes FILE (one target such as /api/items per "
                     "line), --har FILE, --from-report report.json, --from-admin URL or --openapi FILE\n";
        return 2;
    }
    // The API description is a route source and holds the answers to its contract, as in the proxy.
    const auto contract = load_contract(command_line);
    // Bounds checked here, not by CLI11, so a bad one exits 2 like every usage error.
    if (!(settings.rate >= 0.01 && settings.rate <= 10000) || settings.max_requests == 0 ||
        !(settings.timeout_seconds >= 0.1 && settings.timeout_seconds <= 3600)) {
        std::cerr << "conformance-proxy probe: --rate must be 0.01-10000 requests per second, --max-requests at "
                     "least 1, --timeout 0.1-3600 seconds\n";
        return 2;
    }
    const probe::Upstream upstream = upstream_of(*target);
    probe::ProbeLimits limits;
    limits.rate = settings.rate;
    limits.max_requests = settings.max_requests;
    limits.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(settings.timeout_seconds * 1000));
    limits.unsafe_methods = settings.unsafe_methods;

    std::vector<probe::HeaderField> headers;
    std::vector<std::string> routes;
    try {
        for (const auto& text : settings.headers) headers.push_back(probe::parse_header_field(text, "--header"));
        if (!settings.header_file.empty()) {
            auto more = probe::parse_header_file(read_file(settings.header_file, "--header-file"), settings.header_file);
            headers.insert(headers.end(), more.begin(), more.end());
        }
        routes = collect_routes(settings, upstream, limits.timeout, contract.get());
    } catch (const probe::ProbeInputError& e) {
        std::cerr << "conformance-proxy probe: " << e.what() << "\n";
        return 2;
    }
    if (routes.empty()) {
        std::cerr << "conformance-proxy probe: the route sources named no route on " << upstream.origin()
                  << "; list origin-form targets such as /api/items\n";
        return 2;
    }

    const check::Checker checker{command_line.rule_policy, contract.get()};
    check::History history(command_line.proxy.history_resources > 0 ? command_line.proxy.history_resources
                                                                    : check::History::default_capacity);
    auto recording = recorder_options(command_line);
    recording.contract = contract.get();
    report::Recorder recorder(std::move(recording));
    const bool terminal = isatty(STDERR_FILENO) == 1;
    std::uint64_t failures = 0;
    probe::run_probes(
        upstream, routes, headers, limits, checker, history,
        [&](probe::ProbedExchange& exchange) {
            report::ExchangeRecord record;
            record.exchange = exchange.number;
            record.time = exchange.time;
            record.method = exchange.request->method;
            record.target = exchange.request->target;
            record.status = exchange.status;
            record.upstream_error = exchange.status == 0;
            if (exchange.status == 0) ++failures;
            record.findings = std::move(exchange.findings);
            if (!record.findings.empty())
                fill_example(record.example, record.method, record.target, exchange.raw_response_head);
            recorder.record(std::move(record));
        },
        [&](const probe::ProbeProgress& progress) {
            if (!terminal) return;  // quiet when not on a terminal (CI logs)
            std::fprintf(stderr, "\rprobe: routes %zu/%zu, requests %llu, findings %llu ", progress.routes_done,
                         progress.routes_total, static_cast<unsigned long long>(progress.requests),
                         static_cast<unsigned long long>(progress.findings));
            if (progress.routes_done == progress.routes_total) std::fputc('\n', stderr);
        });
    if (failures > 0)
        std::cerr << "conformance-proxy probe: " << failures << " probe(s) got no response from " << upstream.origin()
                  << " (refused, timed out or closed)\n";
    return finish_and_report(recorder, command_line, upstream.origin());
}

}  // namespace cproxy::app

#include <csignal>
#include <iostream>
#include <optional>

#include <spdlog/spdlog.h>

#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/demo/DemoUpstream.hpp"
#include "conformance_proxy/proxy/ProxyServer.hpp"
#include "app/RecorderSink.hpp"
#include "app/Shutdown.hpp"
#include "proxy/Logging.hpp"

namespace cproxy::app {

namespace {

const char* mode_name(proxy::Mode mode) {
    switch (mode) {
    case proxy::Mode::annotate: return "annotate";
    case proxy::Mode::enforce: return "enforce";
    default: return "report";
    }
}

}  // namespace

int run_proxy_command(const config::CommandLine& command_line) {
    auto options = command_line.proxy;
    std::optional<demo::DemoUpstream> demo_upstream;
    if (command_line.demo) {
        demo_upstream.emplace();
        options.upstream = proxy::UpstreamTarget{"http", "127.0.0.1", demo_upstream->port()};
    }
    if (!options.upstream)
        throw std::runtime_error("no --upstream given; forward-proxy mode is not available yet. "
                                 "Try --upstream http://localhost:3000, or --demo");

    const check::Checker checker;
    report::Recorder recorder(recorder_options(command_line));
    RecorderSink sink(recorder);
    proxy::ProxyServer server(options, proxy::ProxyDependencies{&checker, &sink, nullptr});
    const std::string base = "http://" + options.listen_host + ":" + std::to_string(server.port());
    proxy::log_info("listening on " + base + " -> upstream " + options.upstream->scheme + "://" +
                    options.upstream->authority() + " (mode " + mode_name(options.mode) + ")");
    if (command_line.demo) {
        std::string tour = "demo upstream on 127.0.0.1:" + std::to_string(demo_upstream->port()) + "; try:";
        for (const auto& endpoint : demo::demo_endpoints())
            tour += "\n    curl -i " + std::string(endpoint.method == "GET" ? "" : "-X " + endpoint.method + " ") +
                    base + endpoint.path + "    # " + endpoint.description;
        proxy::log_info(tour);
    }

    const auto cut_off = server.run();
    proxy::log_info("stopped after " + std::to_string(server.exchanges()) + " exchange(s)" +
                    (cut_off ? ", " + std::to_string(cut_off) + " cut off by the drain bound" : ""));
    spdlog::default_logger()->flush();
    return finish_and_report(recorder, command_line, options.upstream->scheme + "://" + options.upstream->authority());
}

}  // namespace cproxy::app

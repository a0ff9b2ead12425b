#include <csignal>
#include <iostream>
#include <optional>

#include <spdlog/spdlog.h>

#include "conformance_proxy/admin/AdminServer.hpp"
#include "conformance_proxy/app/Commands.hpp"
#include "conformance_proxy/auth/ProxyAuthenticator.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/history.hpp"
#include "conformance_proxy/demo/DemoUpstream.hpp"
#include "conformance_proxy/proxy/ProxyServer.hpp"
#include "app/RecorderSink.hpp"
#include "app/ContractLoading.hpp"
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
    const auto contract = load_contract(command_line);  // before any socket opens
    auto options = command_line.proxy;
    std::optional<demo::DemoUpstream> demo_upstream;
    if (command_line.demo) {
        demo_upstream.emplace();
        options.upstream = proxy::UpstreamTarget{"http", "127.0.0.1", demo_upstream->port()};
    }
    std::unique_ptr<auth::ProxyAuthenticator> authenticator;
    if (!command_line.auth_htpasswd.empty()) {
        auth::ProxyAuthOptions auth_options;
        auth_options.realm = command_line.auth_realm;
        auth_options.cache_ttl = command_line.auth_cache_ttl;
        auth_options.throttle.max_failures = command_line.auth_throttle_failures;
        auth_options.throttle.window = command_line.auth_throttle_window;
        auth_options.throttle.period = command_line.auth_throttle_period;
        authenticator = std::make_unique<auth::ProxyAuthenticator>(command_line.auth_htpasswd, auth_options);
        proxy::log_info("proxy authentication on: " + std::to_string(authenticator->user_count()) + " user(s) from " +
                        command_line.auth_htpasswd + ", realm \"" + command_line.auth_realm + "\"");
    }
    auto reload = [&authenticator] {
        if (!authenticator) return proxy::log_info("SIGHUP: nothing to reload");
        try {
            authenticator->reload();
            proxy::log_info("SIGHUP: reloaded " + authenticator->path().string() + " (" +
                            std::to_string(authenticator->user_count()) + " user(s))");
        } catch (const std::exception& e) {
            proxy::log_error(std::string("SIGHUP: reload failed, keeping the previous users: ") + e.what());
        }
    };

    const check::Checker checker{command_line.rule_policy, contract.get()};
    auto recording = recorder_options(command_line);
    recording.contract = contract.get();
    report::Recorder recorder(std::move(recording));
    RecorderSink sink(recorder);
    std::optional<check::History> history;  // the stateful rules' memory (bounded)
    if (options.history_resources > 0) history.emplace(options.history_resources);
    proxy::ProxyServer server(options, proxy::ProxyDependencies{&checker, &sink, authenticator.get(),
                                                                history ? &*history : nullptr, reload});
    const std::string base = "http://" + options.listen_host + ":" + std::to_string(server.port());
    const std::string subject = options.upstream ? options.upstream->scheme + "://" + options.upstream->authority()
                                                 : std::string("forward proxy");
    proxy::log_info("listening on " + base + " -> " + (options.upstream ? "upstream " : "") + subject + " (mode " +
                    mode_name(options.mode) + ")");
    if (options.upstream_insecure)
        proxy::log_warn("--upstream-insecure: upstream TLS certificates are NOT verified (expired, self-signed and "
                        "other hosts' certificates are accepted), so anyone on the path can impersonate the "
                        "upstream; prefer --upstream-ca FILE");
    std::optional<admin::AdminServer> admin_server;  // declared after the recorder: stops before it goes
    if (!command_line.admin.empty()) {
        const auto [admin_host, admin_port] = config::parse_listen_address(command_line.admin);
        admin_server.emplace(admin_host, admin_port, recorder, subject);
        proxy::log_info("admin dashboard on " + admin_server->url());
    }
    if (!options.upstream && options.allowed_destinations.empty() && options.listen_host != "127.0.0.1" &&
        options.listen_host != "::1")
        proxy::log_warn("forward proxy open to any destination on a non-loopback address: "
                        "limit it with --allow-destination");
    if (command_line.demo) {
        std::string tour = "demo upstream on 127.0.0.1:" + std::to_string(demo_upstream->port()) + "; try:";
        for (const auto& endpoint : demo::demo_endpoints())
            tour += "\n    curl -i " + std::string(endpoint.method == "GET" ? "" : "-X " + endpoint.method + " ") +
                    base + endpoint.path + "    # " + endpoint.description +
                    (endpoint.rule.empty() ? "" : " (" + endpoint.rule + ")");
        proxy::log_info(tour);
    }

    const auto cut_off = server.run();
    proxy::log_info("stopped after " + std::to_string(server.exchanges()) + " exchange(s)" +
                    (cut_off ? ", " + std::to_string(cut_off) + " cut off by the drain bound" : ""));
    if (options.upstream_insecure)
        proxy::log_warn("upstream TLS certificates were NOT verified in this run (--upstream-insecure)");
    spdlog::default_logger()->flush();
    return finish_and_report(recorder, command_line, subject);
}

}  // namespace cproxy::app

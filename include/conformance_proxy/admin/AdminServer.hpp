#pragma once
// The admin server (--admin HOST:PORT): a live dashboard at /, the report as JSON at
// /report.json, Prometheus metrics at /metrics and /healthz for container health checks.
//
// It runs on a thread and an io_context of its own, so a slow browser or a scraper that
// renders a large report never takes time from the proxy's I/O threads; all it shares with
// the proxy is the snapshot function (Recorder::snapshot(), thread-safe and short).
// Beast stays out of this header (pimpl): it is included by the command wiring.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {
class Recorder;
}

namespace cproxy::admin {

struct AdminOptions {
    std::string host = "127.0.0.1";  // loopback by default: the report shows request targets
    std::uint16_t port = 0;          // 0 = any free port; port() tells which
    std::string subject;             // shown under the dashboard's title, e.g. the upstream URL
    int refresh_seconds = 5;         // how often the dashboard polls /report.json
    // A connection that sends no complete request head within this time is closed; an idle
    // keep-alive connection too. Writes get the same bound.
    std::chrono::milliseconds io_timeout{std::chrono::seconds(15)};
    std::size_t max_connections = 64;  // past this, new connections are closed at once
};

class AdminServer {
public:
    using SnapshotSource = std::function<report::ReportSnapshot()>;

    // Binds and starts serving before returning. Throws std::runtime_error naming the
    // address ("admin server: cannot listen on 127.0.0.1:80: Permission denied").
    AdminServer(AdminOptions options, SnapshotSource source);
    // The recorder must outlive the server.
    AdminServer(AdminOptions options, const report::Recorder& recorder);
    AdminServer(std::string host, std::uint16_t port, SnapshotSource source, std::string subject = {});
    AdminServer(std::string host, std::uint16_t port, const report::Recorder& recorder, std::string subject = {});
    ~AdminServer();  // stop()
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    std::uint16_t port() const noexcept;  // the bound port
    const std::string& host() const noexcept;
    std::string url() const;  // "http://127.0.0.1:9090/" ("http://[::1]:9090/" for IPv6)

    // Closes the listener and every connection and joins the thread. Idempotent.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cproxy::admin

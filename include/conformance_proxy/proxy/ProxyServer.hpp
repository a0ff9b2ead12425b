#pragma once
// The running proxy: one io_context thread per core, each with its own SO_REUSEPORT
// listener, upstream pool and sessions. Kept free of Beast/Asio so main.cpp and the
// tests that drive it stay cheap to compile.
#include <cstdint>
#include <functional>
#include <memory>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/proxy/ExchangeSink.hpp"
#include "conformance_proxy/proxy/ProxyOptions.hpp"

namespace cproxy::auth {
class ProxyAuthenticator;
}
namespace cproxy::check {
class History;
}

namespace cproxy::proxy {

struct ProxyDependencies {
    const check::Checker* checker = nullptr;
    ExchangeSink* sink = nullptr;
    auth::ProxyAuthenticator* authenticator = nullptr;
    check::History* history = nullptr;  // null: no stateful rules
    std::function<void()> on_reload;  // SIGHUP (e.g. re-read the htpasswd file); may be empty
};

class ProxyServer {
public:
    // Resolves the upstream and binds the listeners; throws std::runtime_error naming the
    // address on failure, before any thread starts.
    ProxyServer(ProxyOptions options, ProxyDependencies dependencies);
    ~ProxyServer();

    std::uint16_t port() const noexcept;  // the bound port (useful with --listen ...:0)
    // Serves until SIGINT/SIGTERM or request_stop(), then drains in-flight exchanges up to
    // options.drain_timeout. Returns the number of exchanges cut off by the bound.
    std::size_t run();
    void request_stop();  // thread-safe
    std::uint64_t exchanges() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cproxy::proxy

#pragma once
// A small built-in upstream for `--demo` and for newcomers: some endpoints answer
// correctly, others break a rule on purpose, so the proxy has something to find.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cproxy::demo {

struct DemoEndpoint {
    std::string method;  // "*" = any
    std::string path;
    std::string description;  // what it does, and which rule it breaks (if any)
    std::string rule = {};    // the rule id it breaks; empty for a conformant endpoint
};

const std::vector<DemoEndpoint>& demo_endpoints();

class DemoUpstream {
public:
    DemoUpstream();  // binds 127.0.0.1 on a free port and serves on a thread of its own
    ~DemoUpstream();
    std::uint16_t port() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cproxy::demo

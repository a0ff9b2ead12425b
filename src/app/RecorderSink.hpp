#pragma once
// Adapts the proxy's per-exchange callback to the report Recorder.
#include "conformance_proxy/proxy/ExchangeSink.hpp"
#include "conformance_proxy/report/Recorder.hpp"

namespace cproxy::app {

// Fills the example snapshot (request line, status line, relevant fields) from the raw
// head; only done when a finding's rule has no example yet, so clean traffic and repeated
// findings cost no parsing here.
void fill_example(report::ExampleExchange& example, std::string_view method, std::string_view target,
                  std::string_view raw_head);

class RecorderSink final : public proxy::ExchangeSink {
public:
    explicit RecorderSink(report::Recorder& recorder) : recorder_(recorder) {}
    void on_exchange(const proxy::ExchangeInfo& info, check::Findings&& findings) override;

private:
    report::Recorder& recorder_;
};

}  // namespace cproxy::app

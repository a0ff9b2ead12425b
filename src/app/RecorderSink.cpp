#include "app/RecorderSink.hpp"

#include "proxy/Logging.hpp"

namespace cproxy::app {

void fill_example(report::ExampleExchange& example, std::string_view method, std::string_view target,
                  std::string_view raw_head) {
    std::string request_line{method};
    request_line += ' ';
    request_line += target;
    request_line += " HTTP/1.1";
    example.set_request_line(request_line);
    bool first = true;
    while (!raw_head.empty()) {
        const auto eol = raw_head.find('\n');
        auto line = raw_head.substr(0, eol);
        raw_head.remove_prefix(eol == std::string_view::npos ? raw_head.size() : eol + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;
        if (first) {
            example.status_line = std::string{line};
            first = false;
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const auto name = line.substr(0, colon);
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        if (report::is_relevant_field(name)) example.add_field(name, value);
    }
}

void RecorderSink::on_exchange(const proxy::ExchangeInfo& info, check::Findings&& findings) {
    report::ExchangeRecord record;
    record.exchange = info.number;
    record.time = info.started;
    record.method = std::string{info.method};
    record.target = std::string{info.target};
    record.status = static_cast<int>(info.upstream_status ? info.upstream_status : info.status);
    record.response_bytes = info.response_bytes;
    record.duration = info.duration;
    record.upstream_duration = info.upstream_duration;
    record.user = std::string{info.user};
    record.upstream_error = info.upstream_status == 0 && info.status >= 502 && info.status <= 504;
    record.findings = std::move(findings);
    if (info.silenced != nullptr) record.silenced = *info.silenced;
    record.unknown_silence_ids.assign(info.unknown_silence_ids.begin(), info.unknown_silence_ids.end());
    for (const auto& id : info.unknown_silence_ids)  // a typo must not silence nothing quietly
        proxy::log_warn("exchange " + std::to_string(info.number) + ": the silence header names \"" + id +
                        "\", which is no rule id (conformance-proxy rules lists them); it silenced nothing");
    // The report keeps one example per rule: the raw head is read only for a rule without one.
    if (recorder_.wants_example(record.findings))
        fill_example(record.example, info.method, info.target, info.raw_response_head);
    recorder_.record(std::move(record));
}

}  // namespace cproxy::app

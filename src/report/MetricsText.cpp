#include "conformance_proxy/report/MetricsText.hpp"

#include <charconv>
#include <map>
#include <tuple>

namespace cproxy::report {

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

// Shortest text that reads back as the same double: "0.005", not "0.0050000000000000001".
std::string number(double v) {
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, result.ptr);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

std::string render_metrics(const ReportSnapshot& s) {
    std::string out;
    header(out, "conformance_proxy_exchanges_total", "counter",
           "Exchanges seen, by response status class (other: no response or an invalid code).");
    for (std::size_t c = 0; c < status_class_count; ++c) {
        out.append("conformance_proxy_exchanges_total{class=\"")
            .append(status_class_name(c))
            .append("\"} ")
            .append(std::to_string(s.status_classes[c]))
            .append("\n");
    }

    header(out, "conformance_proxy_findings_total", "counter", "Findings recorded, by rule and level.");
    for (const auto& r : s.rules) {
        for (std::size_t l = 0; l < level_count; ++l) {
            if (r.by_level[l] == 0) continue;
            out.append("conformance_proxy_findings_total{rule=\"")
                .append(escape_label_value(r.rule.id))
                .append("\",level=\"")
                .append(level_name(static_cast<check::Level>(l)))
                .append("\"} ")
                .append(std::to_string(r.by_level[l]))
                .append("\n");
        }
    }

    if (s.baseline) {
        // --baseline: the same findings split into known and new (by rule and the worst level of
        // each fingerprint), so an alert can fire on new ones only.
        std::map<std::tuple<std::string, check::Level, std::string_view>, std::uint64_t> split;
        for (const auto& f : s.fingerprints)
            split[{f.fingerprint.rule, f.level, baseline_mark_name(f.baseline)}] += f.count;
        header(out, "conformance_proxy_baseline_findings_total", "counter",
               "Findings recorded while a baseline is loaded, by rule, level and baseline (known or new).");
        for (const auto& [key, n] : split) {
            out.append("conformance_proxy_baseline_findings_total{rule=\"")
                .append(escape_label_value(std::get<0>(key)))
                .append("\",level=\"")
                .append(level_name(std::get<1>(key)))
                .append("\",baseline=\"")
                .append(std::get<2>(key))
                .append("\"} ")
                .append(std::to_string(n))
                .append("\n");
        }
    }
    header(out, "conformance_proxy_silenced_findings_total", "counter",
           "Findings a request silenced with the Conformance-Silence header, by rule.");
    for (const auto& [id, n] : s.silenced.by_rule)
        out.append("conformance_proxy_silenced_findings_total{rule=\"")
            .append(escape_label_value(id))
            .append("\"} ")
            .append(std::to_string(n))
            .append("\n");

    header(out, "conformance_proxy_upstream_errors_total", "counter",
           "Exchanges where the upstream failed (connect, timeout, unusable response).");
    out.append("conformance_proxy_upstream_errors_total ")
        .append(std::to_string(s.upstream_errors))
        .append("\n");

    header(out, "conformance_proxy_request_duration_seconds", "histogram",
           "Time from the client's request head to the last byte of the response.");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < LatencyHistogram::bounds.size(); ++i) {
        cumulative += s.latency.counts[i];
        out.append("conformance_proxy_request_duration_seconds_bucket{le=\"")
            .append(number(LatencyHistogram::bounds[i]))
            .append("\"} ")
            .append(std::to_string(cumulative))
            .append("\n");
    }
    cumulative += s.latency.counts.back();
    out.append("conformance_proxy_request_duration_seconds_bucket{le=\"+Inf\"} ")
        .append(std::to_string(cumulative))
        .append("\n");
    out.append("conformance_proxy_request_duration_seconds_sum ").append(number(s.latency.sum_seconds)).append("\n");
    out.append("conformance_proxy_request_duration_seconds_count ").append(std::to_string(s.latency.count)).append("\n");
    return out;
}

}  // namespace cproxy::report

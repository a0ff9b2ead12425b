#include "conformance_proxy/report/JsonLines.hpp"

#include <ctime>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "conformance_proxy/report/ReportSnapshot.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

std::string format_utc_millis(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(time);
    const auto millis = duration_cast<milliseconds>(time - secs).count();
    const std::time_t t = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out(buf, n);
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03dZ", static_cast<int>(millis));
    out += ms;
    return out;
}

namespace {

void append_line(std::string& out, const ExchangeRecord& record, const check::Finding& finding,
                 const std::string& time, const std::string& method, const std::string& target,
                 BaselineMark mark = BaselineMark::none) {
    const auto* rule = finding.rule;
    // boost::json::object keeps insertion order: this order is the INTERFACE.md contract.
    boost::json::object line;
    line.reserve(10);
    line["time"] = time;
    line["exchange"] = record.exchange;
    line["rule"] = rule ? text::valid_utf8(rule->id) : std::string("unknown");
    line["level"] = level_name(finding.level);
    // Who has to change: the upstream's response or the client's request.
    line["subject"] = check::to_string(rule ? rule->side : check::Side::response);
    line["method"] = method;
    line["target"] = target;
    line["status"] = record.status;
    line["message"] = text::valid_utf8(finding.message);
    line["reference"] = rule ? text::valid_utf8(rule->reference) : std::string();
    if (mark != BaselineMark::none) line["baseline"] = baseline_mark_name(mark);  // --baseline: known or new
    out += boost::json::serialize(line);
    out += '\n';
}

}  // namespace

std::string format_finding_line(const ExchangeRecord& record, const check::Finding& finding) {
    std::string out;
    BaselineMark mark = BaselineMark::none;
    for (std::size_t i = 0; i < record.findings.size() && i < record.baseline.size(); ++i)
        if (&record.findings[i] == &finding) mark = record.baseline[i];
    append_line(out, record, finding, format_utc_millis(record.time), text::valid_utf8(record.method),
                text::valid_utf8(redact_target(record.target)), mark);
    return out;
}

void append_finding_lines(std::string& out, const ExchangeRecord& record) {
    if (record.findings.empty()) return;
    // Shared by every finding of the exchange: computed once.
    const auto time = format_utc_millis(record.time);
    const auto method = text::valid_utf8(record.method);
    const auto target = text::valid_utf8(redact_target(record.target));
    for (std::size_t i = 0; i < record.findings.size(); ++i)
        append_line(out, record, record.findings[i], time, method, target,
                    i < record.baseline.size() ? record.baseline[i] : BaselineMark::none);
}

}  // namespace cproxy::report

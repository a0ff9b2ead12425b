#include "conformance_proxy/report/JsonLines.hpp"

#include <concepts>
#include <ctime>

#include <boost/json/string_view.hpp>
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

// One member: `"name":` and the value as JSON. Strings go through Boost.JSON's serializer (the
// escaping); the line is assembled directly, without a json::object per finding, because the
// writer formats one line per finding and under load that is most of its work.
void append_member(std::string& out, std::string_view name, std::string_view string_value) {
    out += '"';
    out += name;
    out += "\":";
    out += boost::json::serialize(boost::json::string_view(string_value.data(), string_value.size()));
    out += ',';
}

void append_member(std::string& out, std::string_view name, std::integral auto number) {
    out += '"';
    out += name;
    out += "\":";
    out += std::to_string(number);
    out += ',';
}

void append_line(std::string& out, const ExchangeRecord& record, const check::Finding& finding,
                 const std::string& time, const std::string& method, const std::string& target,
                 BaselineMark mark = BaselineMark::none) {
    const auto* rule = finding.rule;
    // This member order is the INTERFACE.md contract. Rule ids and references are ASCII
    // constants of the catalogue; only text that came from the wire needs valid_utf8.
    out += '{';
    append_member(out, "time", time);
    append_member(out, "exchange", record.exchange);
    append_member(out, "rule", rule ? std::string_view(rule->id) : std::string_view("unknown"));
    append_member(out, "level", level_name(finding.level));
    // Who has to change: the upstream's response or the client's request.
    append_member(out, "subject", check::to_string(rule ? rule->side : check::Side::response));
    append_member(out, "method", method);
    append_member(out, "target", target);
    append_member(out, "status", record.status);
    append_member(out, "message", text::valid_utf8(finding.message));
    append_member(out, "reference", rule ? std::string_view(rule->reference) : std::string_view());
    // A stateful finding names the earlier exchange it contradicts.
    if (finding.earlier) {
        out += "\"earlier\":{";
        append_member(out, "exchange", finding.earlier->exchange);
        append_member(out, "time", format_utc_millis(finding.earlier->time));
        out.back() = '}';
        out += ',';
    }
    if (mark != BaselineMark::none) append_member(out, "baseline", baseline_mark_name(mark));  // --baseline: known or new
    out.back() = '}';
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

#include "conformance_proxy/report/JunitReport.hpp"

#include <algorithm>
#include <map>

#include "conformance_proxy/report/JsonLines.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace {

using text::xml_escape;

std::string example_text(const RuleReport& r, const RouteHit& hit) {
    std::string out = hit.message + "\n\nseen " + std::to_string(hit.count) +
                      (hit.count == 1 ? " time" : " times") + " on " + hit.route + ", e.g. " + hit.method +
                      " " + hit.target + " -> " + std::to_string(hit.status) + "\n";
    if (!r.rule.reference.empty()) out += "reference: " + r.rule.reference + "\n";
    // The rule's first example, when it happened on this route: full request/status/field lines.
    if (r.example.target == hit.target && !r.example.view.empty()) {
        out += "\n" + r.example.view.request_line + "\n" + r.example.view.status_line + "\n";
        for (const auto& f : r.example.view.fields) out += f.name + ": " + f.value + "\n";
    }
    return out;
}

// "conformance.<subject>.<rule id>": see JunitReport.hpp for why the rule id stays in it.
// Rules outside the registry have no subject; "other" keeps the three-part shape.
std::string classname_of(const RuleInfo& info) {
    return "conformance." + (info.subject.empty() ? std::string("other") : info.subject) + "." + info.id;
}

}  // namespace

std::string render_junit(const ReportSnapshot& s, const JunitOptions& options) {
    // Routes the rules were checked on: every route seen (each exchange runs every rule).
    std::vector<std::string> routes;
    routes.reserve(s.routes.size());
    for (const auto& r : s.routes) routes.push_back(r.route);
    std::sort(routes.begin(), routes.end());

    std::map<std::string_view, const RuleReport*> fired;
    for (const auto& r : s.rules) fired[r.rule.id] = &r;

    std::string suites;
    std::uint64_t total_tests = 0, total_failures = 0;
    const auto timestamp = format_utc_millis(s.generated).substr(0, 19);  // JUnit: no zone, no millis
    for (const auto& info : s.checked_rules) {
        const auto it = fired.find(info.id);
        const RuleReport* rule = it == fired.end() ? nullptr : it->second;
        std::map<std::string_view, const RouteHit*> hits;
        if (rule)
            for (const auto& h : rule->routes) hits[h.route] = &h;

        std::string cases;
        std::uint64_t failures = 0;
        const auto classname = xml_escape(classname_of(info));
        for (const auto& route : routes) {
            cases += "    <testcase classname=\"" + classname + "\" name=\"" + xml_escape(route) +
                     "\" time=\"0\"";
            const auto hit = hits.find(route);
            if (hit == hits.end()) {
                cases += "/>\n";
                continue;
            }
            const auto& h = *hit->second;
            const auto level = std::string(level_name(h.level));
            // With a baseline only new findings fail, as for the exit status: a known one is
            // debt the team accepted.
            const bool known = s.baseline && !s.has_new_finding(info.id, route);
            if (h.level >= options.failure_level && !known) {
                ++failures;
                cases += ">\n      <failure type=\"" + level + "\" message=\"" + xml_escape(h.message) +
                         "\">" + xml_escape(example_text(*rule, h)) + "</failure>\n    </testcase>\n";
            } else {
                // Below the failure level, or known: a passing test that still carries the note,
                // shown by GitLab and Jenkins as the test's standard output.
                const std::string status = known ? level + ", known (in the baseline " + s.baseline->path + ")" : level;
                cases += ">\n      <system-out>" + xml_escape(status + ": " + example_text(*rule, h)) +
                         "</system-out>\n    </testcase>\n";
            }
        }
        total_tests += routes.size();
        total_failures += failures;
        suites += "  <testsuite name=\"" + xml_escape(info.id) + "\" tests=\"" + std::to_string(routes.size()) +
                  "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"0\" time=\"0\"" +
                  " timestamp=\"" + timestamp + "\">\n";
        suites += "    <properties>\n      <property name=\"level\" value=\"" +
                  std::string(level_name(info.level)) + "\"/>\n      <property name=\"subject\" value=\"" +
                  xml_escape(info.subject) + "\"/>\n      <property name=\"about\" value=\"" +
                  std::string(check::to_string(info.about)) + "\"/>\n      <property name=\"reference\" value=\"" +
                  xml_escape(info.reference) + "\"/>\n      <property name=\"summary\" value=\"" +
                  xml_escape(info.summary) + "\"/>\n    </properties>\n";
        suites += cases;
        suites += "  </testsuite>\n";
    }

    // --openapi: one test case per declared operation; one the traffic never exercised is
    // skipped (--fail-on-coverage decides whether that fails the run).
    if (s.coverage) {
        std::string cases;
        std::size_t skipped = 0;
        for (const auto& operation : s.coverage->operations) {
            std::string seen, unseen;
            for (const int status : operation.seen_statuses) seen += (seen.empty() ? "" : ", ") + std::to_string(status);
            for (const auto& code : operation.unseen_statuses) unseen += (unseen.empty() ? "" : ", ") + code;
            cases += "    <testcase classname=\"openapi.coverage\" name=\"" +
                     xml_escape(operation.method + " " + operation.path) + "\" time=\"0\">\n";
            if (!operation.exercised()) {
                ++skipped;
                cases += "      <skipped message=\"not exercised\"/>\n";
            } else {
                cases += "      <system-out>" + xml_escape(std::to_string(operation.exchanges) + " exchange(s); statuses seen: " +
                                                           seen + "; declared, never seen: " + (unseen.empty() ? "none" : unseen)) +
                         "</system-out>\n";
            }
            cases += "    </testcase>\n";
        }
        total_tests += s.coverage->operations.size();
        suites += "  <testsuite name=\"openapi-coverage\" tests=\"" + std::to_string(s.coverage->operations.size()) +
                  "\" failures=\"0\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\" time=\"0\" timestamp=\"" +
                  timestamp + "\">\n" + cases + "  </testsuite>\n";
    }

    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"conformance-proxy\" tests=\"" + std::to_string(total_tests) + "\" failures=\"" +
           std::to_string(total_failures) + "\" errors=\"0\" time=\"0\">\n";
    out += suites;
    out += "</testsuites>\n";
    return out;
}

}  // namespace cproxy::report

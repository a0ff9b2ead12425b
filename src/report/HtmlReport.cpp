#include "conformance_proxy/report/HtmlReport.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "conformance_proxy/report/JsonLines.hpp"
#include "conformance_proxy/report/SarifReport.hpp"
#include "conformance_proxy/check/rule.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace {

using text::group_digits;
using text::html_escape;

// Level colours: the same in badges, bars and card borders, so colour alone reads as severity.
constexpr std::string_view level_colours[level_count] = {"#2563eb", "#d97706", "#dc2626"};
constexpr std::string_view class_colours[status_class_count] = {"#94a3b8", "#16a34a", "#0ea5e9",
                                                                "#f59e0b", "#dc2626", "#7c3aed"};
constexpr std::size_t max_bars = 12;         // bars per chart: the top ones, the rest summed
constexpr std::size_t max_routes_per_rule = 15;

std::string fixed(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string clock_time(std::chrono::system_clock::time_point t) {
    // "10:00:05", UTC
    return format_utc_millis(t).substr(11, 8);
}

std::string plural(std::uint64_t n, std::string_view word) {
    return group_digits(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

constexpr std::string_view css = R"CSS(
:root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;
--error:#dc2626;--warning:#d97706;--info:#2563eb;--ok:#16a34a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px}
header.top{background:var(--ink);color:#fff;padding:20px 32px}
header.top .row{max-width:1200px;margin:0 auto;display:flex;gap:24px;align-items:center;justify-content:space-between}
header.top h1{margin:0;font-size:22px;font-weight:650;letter-spacing:-.01em}
header.top .sub{color:#cbd5e1;font-size:13px;margin-top:2px}
.verdict{border-radius:10px;padding:10px 16px;flex:0 1 480px;font-size:13px;line-height:1.4}
.verdict b{display:block;font-size:16px;letter-spacing:.04em}
.verdict.fail{background:#7f1d1d;border:1px solid #f87171}
.verdict.pass{background:#14532d;border:1px solid #4ade80}
.verdict.live{background:#1e293b;border:1px solid #475569}
.verdict.ungated{background:#78350f;border:1px solid #fbbf24}
main{max-width:1200px;margin:0 auto;padding:24px 32px 48px}
.kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-bottom:20px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.kpi .v{font-size:26px;font-weight:650;line-height:1.2}
.kpi .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.kpi.error .v{color:var(--error)}.kpi.warning .v{color:var(--warning)}.kpi.info .v{color:var(--info)}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-bottom:28px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.panel.wide{grid-column:1/-1}
.panel h2{font-size:14px;margin:0 0 8px;font-weight:650}
.panel svg{display:block;width:100%;height:auto}
.legend{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12px;margin-top:6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.empty{color:var(--muted);font-style:italic;padding:12px 0}
h2.section{font-size:18px;margin:8px 0 12px}
.rule{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--c);border-radius:10px;padding:16px 20px;margin-bottom:14px}
.rule .head{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}
.rule .id{font-size:16px;font-weight:650;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.rule .count{margin-left:auto;color:var(--muted)}
.rule .count b{color:var(--ink);font-size:18px}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:#fff;background:var(--c)}
.rule .summary{color:var(--muted);margin:2px 0 10px}
.side{border:1px solid var(--muted);color:var(--muted);border-radius:999px;padding:0 8px;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.05em}
.subjects{margin-bottom:28px}
.subjects td.n,.subjects th.n{width:80px}
.subjects a{color:var(--ink)}
h3.subject{font-size:15px;margin:22px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3.subject small{color:var(--muted);font-weight:400;margin-left:8px}
.rule a{color:var(--info)}
.msg{background:#fff7ed;border:1px solid #fed7aa;border-radius:8px;padding:8px 12px;margin:8px 0}
.rule.info .msg{background:#eff6ff;border-color:#bfdbfe}
.rule.error .msg{background:#fef2f2;border-color:#fecaca}
.grid2{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:16px;margin-top:10px}
.label{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin-bottom:4px}
pre.ex{margin:0;background:#0f172a;color:#e2e8f0;border-radius:8px;padding:10px 12px;overflow:auto;white-space:pre-wrap;word-break:break-all}
pre.ex .req{color:#93c5fd}pre.ex .st{color:#fca5a5}pre.ex .fn{color:#a5b4fc}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:3px 8px 3px 0;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
td.n{text-align:right;white-space:nowrap}
details{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 16px;margin-top:18px}
summary{cursor:pointer;font-weight:600}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:28px}
@media (max-width:900px){header.top .row{flex-wrap:wrap}.kpis{grid-template-columns:repeat(3,1fr)}.charts,.grid2{grid-template-columns:1fr}}
)CSS";

struct Bar {
    std::string label;
    std::array<std::uint64_t, level_count> counts{};  // stacked error, warning, info
    std::uint64_t total() const { return counts[0] + counts[1] + counts[2]; }
    std::string anchor;  // link target, may be empty
};

// Horizontal stacked bars, one row per item, error segment first.
std::string bar_chart(const std::vector<Bar>& bars) {
    if (bars.empty()) return "<div class=\"empty\">No findings.</div>";
    // Label room for the longest rule ids (36 monospace characters).
    constexpr int width = 600, label_width = 270, row = 26, value_width = 44;
    const int height = static_cast<int>(bars.size()) * row + 4;
    std::uint64_t max = 1;
    for (const auto& b : bars) max = std::max(max, b.total());
    const double scale = double(width - label_width - value_width) / double(max);

    std::string out = "<svg viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                      "\" role=\"img\" font-size=\"12\">";
    int y = 2;
    for (const auto& b : bars) {
        const auto label = text::truncate(b.label, 36);
        out += "<g><title>" + html_escape(b.label) + ": " + group_digits(b.total()) + "</title>";
        if (!b.anchor.empty()) out += "<a href=\"#" + html_escape(b.anchor) + "\">";
        out += "<text x=\"" + std::to_string(label_width - 8) + "\" y=\"" + std::to_string(y + 17) +
               "\" text-anchor=\"end\" fill=\"#0f172a\" font-family=\"ui-monospace,Menlo,Consolas,monospace\">" +
               html_escape(label) + "</text>";
        if (!b.anchor.empty()) out += "</a>";
        double x = label_width;
        for (int l = 2; l >= 0; --l) {
            if (b.counts[l] == 0) continue;
            const double w = std::max(1.5, double(b.counts[l]) * scale);
            out += "<rect x=\"" + fixed(x) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" + fixed(w) +
                   "\" height=\"" + std::to_string(row - 8) + "\" rx=\"3\" fill=\"" +
                   std::string(level_colours[l]) + "\"/>";
            x += w;
        }
        out += "<text x=\"" + fixed(x + 6) + "\" y=\"" + std::to_string(y + 17) + "\" fill=\"#475569\">" +
               group_digits(b.total()) + "</text></g>";
        y += row;
    }
    out += "</svg>";
    return out;
}

std::string level_legend() {
    std::string out = "<div class=\"legend\">";
    for (int l = 2; l >= 0; --l)
        out += "<span><i style=\"background:" + std::string(level_colours[l]) + "\"></i>" +
               std::string(level_name(static_cast<check::Level>(l))) + "</span>";
    return out + "</div>";
}

// Stacked columns of status classes per time bucket.
std::string timeline_chart(const Timeline& tl) {
    if (tl.buckets.empty()) return "<div class=\"empty\">No exchanges yet.</div>";
    constexpr int width = 1120, height = 170, left = 44, bottom = 22, top = 8;
    const int plot_w = width - left - 8, plot_h = height - bottom - top;
    std::uint64_t max = 1;
    for (const auto& b : tl.buckets) {
        std::uint64_t sum = 0;
        for (auto c : b) sum += c;
        max = std::max(max, sum);
    }
    const double slot = double(plot_w) / double(tl.buckets.size());
    const double bar_w = std::clamp(slot * 0.8, 1.0, 56.0);
    std::string out = "<svg viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                      "\" role=\"img\" font-size=\"11\">";
    // Axis: baseline, top gridline with the maximum.
    out += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top + plot_h) + "\" x2=\"" +
           std::to_string(width - 8) + "\" y2=\"" + std::to_string(top + plot_h) + "\" stroke=\"#cbd5e1\"/>";
    out += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top) + "\" x2=\"" +
           std::to_string(width - 8) + "\" y2=\"" + std::to_string(top) +
           "\" stroke=\"#e2e8f0\" stroke-dasharray=\"3 3\"/>";
    out += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + 4) +
           "\" text-anchor=\"end\" fill=\"#64748b\">" + group_digits(max) + "</text>";
    out += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + plot_h) +
           "\" text-anchor=\"end\" fill=\"#64748b\">0</text>";
    for (std::size_t i = 0; i < tl.buckets.size(); ++i) {
        const double x = left + slot * double(i) + (slot - bar_w) / 2;
        double y = top + plot_h;
        const auto start = tl.origin + std::chrono::seconds(tl.bucket_seconds * std::int64_t(i));
        std::string tip = clock_time(start) + " UTC";
        for (std::size_t c = 0; c < status_class_count; ++c)
            if (tl.buckets[i][c]) tip += ", " + std::string(status_class_name(c)) + " " + group_digits(tl.buckets[i][c]);
        out += "<g><title>" + html_escape(tip) + "</title>";
        for (std::size_t c = 0; c < status_class_count; ++c) {
            if (tl.buckets[i][c] == 0) continue;
            const double h = double(tl.buckets[i][c]) * plot_h / double(max);
            y -= h;
            out += "<rect x=\"" + fixed(x) + "\" y=\"" + fixed(y) + "\" width=\"" + fixed(bar_w) + "\" height=\"" +
                   fixed(h) + "\" fill=\"" + std::string(class_colours[c]) + "\"/>";
        }
        out += "</g>";
    }
    const auto end = tl.origin + std::chrono::seconds(tl.bucket_seconds * std::int64_t(tl.buckets.size()));
    out += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(height - 6) + "\" fill=\"#64748b\">" +
           clock_time(tl.origin) + " UTC</text>";
    out += "<text x=\"" + std::to_string(width - 8) + "\" y=\"" + std::to_string(height - 6) +
           "\" text-anchor=\"end\" fill=\"#64748b\">" + clock_time(end) + " UTC</text>";
    out += "<text x=\"" + std::to_string(left + plot_w / 2) + "\" y=\"" + std::to_string(height - 6) +
           "\" text-anchor=\"middle\" fill=\"#64748b\">" + std::to_string(tl.bucket_seconds) + " s per bar</text>";
    out += "</svg><div class=\"legend\">";
    for (std::size_t c = 0; c < status_class_count; ++c)
        out += "<span><i style=\"background:" + std::string(class_colours[c]) + "\"></i>" +
               std::string(status_class_name(c)) + "</span>";
    return out + "</div>";
}

std::string latency_chart(const LatencyHistogram& h) {
    if (h.count == 0) return "<div class=\"empty\">No exchanges yet.</div>";
    constexpr int width = 560, height = 150, bottom = 22, top = 16;
    const std::size_t n = h.counts.size();
    const double slot = double(width) / double(n);
    std::uint64_t max = 1;
    for (auto c : h.counts) max = std::max(max, c);
    std::string out = "<svg viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                      "\" role=\"img\" font-size=\"10\">";
    for (std::size_t i = 0; i < n; ++i) {
        const double bh = double(h.counts[i]) * (height - bottom - top) / double(max);
        const double x = slot * double(i) + 3;
        std::string label;
        if (i < LatencyHistogram::bounds.size()) {
            const double b = LatencyHistogram::bounds[i];
            label = b < 1 ? "\xE2\x89\xA4" + std::to_string(int(b * 1000 + 0.5)) + "ms"
                          : "\xE2\x89\xA4" + fixed(b) + "s";
        } else {
            label = ">10s";
        }
        out += "<g><title>" + html_escape(label) + ": " + group_digits(h.counts[i]) + "</title>";
        out += "<rect x=\"" + fixed(x) + "\" y=\"" + fixed(height - bottom - bh) + "\" width=\"" + fixed(slot - 6) +
               "\" height=\"" + fixed(bh) + "\" rx=\"2\" fill=\"#6366f1\"/>";
        if (h.counts[i])
            out += "<text x=\"" + fixed(x + (slot - 6) / 2) + "\" y=\"" + fixed(height - bottom - bh - 3) +
                   "\" text-anchor=\"middle\" fill=\"#475569\">" + group_digits(h.counts[i]) + "</text>";
        out += "<text x=\"" + fixed(x + (slot - 6) / 2) + "\" y=\"" + std::to_string(height - 6) +
               "\" text-anchor=\"middle\" fill=\"#64748b\">" + html_escape(label) + "</text></g>";
    }
    out += "</svg>";
    const double mean_ms = h.sum_seconds * 1000 / double(h.count);
    out += "<div class=\"legend\"><span>mean " + fixed(mean_ms) + " ms over " + plural(h.count, "exchange") +
           "</span></div>";
    return out;
}

std::string anchor_of(std::string_view rule_id) { return "rule-" + std::string(rule_id); }

// Rules outside the registry (an unknown id) have no subject; they still need a group.
std::string subject_name(std::string_view subject) { return subject.empty() ? "other" : std::string(subject); }
std::string subject_anchor(std::string_view subject) { return "subject-" + subject_name(subject); }

// Said wherever a request-side rule is shown: the finding is the client's to fix, not the API's.
constexpr std::string_view request_side_hint = "the client's request breaks this rule: the client has to change";

std::string request_marker(const RuleInfo& rule) {
    if (rule.about != check::Side::request) return {};
    return " <span class=\"side\" title=\"" + std::string(request_side_hint) + "\">request</span>";
}

// One subject's share of the findings: the overview row and the heading of its rule group.
struct SubjectGroup {
    std::string name;  // subject_name(): never empty
    LevelCounts findings{};  // by effective level, summed over its rules
    std::vector<const RuleReport*> rules;  // rules that fired, in the snapshot's order (worst first)
    std::size_t checked = 0;  // rules of this subject that were checked
};

// Subjects with findings, worst first (errors, then warnings, then info), so the top row is
// where a team should look first; ties by name, so the order is stable between refreshes.
std::vector<SubjectGroup> subject_groups(const ReportSnapshot& s) {
    std::vector<SubjectGroup> groups;
    auto group_of = [&](std::string_view subject) -> SubjectGroup& {
        const auto name = subject_name(subject);
        for (auto& g : groups)
            if (g.name == name) return g;
        return groups.emplace_back(SubjectGroup{name});
    };
    for (const auto& r : s.rules) {
        auto& g = group_of(r.rule.subject);
        for (std::size_t l = 0; l < level_count; ++l) g.findings[l] += r.by_level[l];
        g.rules.push_back(&r);
    }
    for (const auto& info : s.checked_rules) {
        const auto name = subject_name(info.subject);
        for (auto& g : groups)
            if (g.name == name) ++g.checked;
    }
    std::sort(groups.begin(), groups.end(), [](const SubjectGroup& a, const SubjectGroup& b) {
        if (a.findings[2] != b.findings[2]) return a.findings[2] > b.findings[2];
        if (a.findings[1] != b.findings[1]) return a.findings[1] > b.findings[1];
        if (a.findings[0] != b.findings[0]) return a.findings[0] > b.findings[0];
        return a.name < b.name;
    });
    return groups;
}

std::string subject_overview(const std::vector<SubjectGroup>& groups) {
    std::string out = "<div class=\"panel subjects\" id=\"subjects\"><h2>Findings by subject</h2>";
    if (groups.empty()) return out + "<div class=\"empty\">No findings.</div></div>";
    out += "<table><tr><th>subject</th>";
    for (int l = 2; l >= 0; --l)
        out += "<th class=\"n\" style=\"color:" + std::string(level_colours[l]) + "\">" +
               std::string(level_name(static_cast<check::Level>(l))) + "</th>";
    out += "<th>rules fired</th></tr>";
    for (const auto& g : groups) {
        out += "<tr data-subject=\"" + html_escape(g.name) + "\"><td><a href=\"#" +
               html_escape(subject_anchor(g.name)) + "\">" + html_escape(g.name) + "</a></td>";
        for (int l = 2; l >= 0; --l) out += "<td class=\"n\">" + group_digits(g.findings[l]) + "</td>";
        out += "<td>" + std::to_string(g.rules.size()) + " of " + std::to_string(std::max(g.checked, g.rules.size())) +
               ":";
        for (const auto* r : g.rules)
            out += " <a class=\"mono\" href=\"#" + html_escape(anchor_of(r->rule.id)) + "\">" +
                   html_escape(r->rule.id) + "</a>" + request_marker(r->rule);
        out += "</td></tr>";
    }
    return out + "</table></div>";
}

std::string reference_html(std::string_view reference) {
    if (reference.empty()) return {};
    const auto url = check::reference_url(reference);
    if (url.empty()) return html_escape(reference);
    // The only outbound links on the page: plain anchors to the RFC text, nothing is loaded.
    return "<a href=\"" + html_escape(url) + "\" rel=\"noreferrer\">" + html_escape(reference) + "</a>";
}

std::string example_html(const RuleExample& e) {
    std::string out = "<pre class=\"ex\">";
    const auto request_line =
        e.view.request_line.empty() ? e.method + " " + e.target + " HTTP/1.1" : e.view.request_line;
    out += "<span class=\"req\">" + html_escape(request_line) + "</span>\n";
    const auto status_line =
        e.view.status_line.empty() ? "HTTP/1.1 " + std::to_string(e.status) : e.view.status_line;
    out += "<span class=\"st\">" + html_escape(status_line) + "</span>\n";
    for (const auto& f : e.view.fields)
        out += "<span class=\"fn\">" + html_escape(f.name) + ":</span> " + html_escape(f.value) + "\n";
    out += "</pre>";
    out += "<div class=\"legend\"><span>exchange #" + std::to_string(e.exchange) + " at " +
           html_escape(format_utc_millis(e.time)) + "</span>";
    // A stateful finding: the earlier exchange it contradicts, beside the current one.
    if (e.earlier)
        out += "<span class=\"earlier\"><span class=\"side\">stateful</span> contradicts exchange #" +
               std::to_string(e.earlier->exchange) + " at " + html_escape(format_utc_millis(e.earlier->time)) +
               "</span>";
    return out + "</div>";
}

std::string rule_section(const RuleReport& r) {
    const auto level = static_cast<std::size_t>(r.level);
    std::string out = "<section class=\"rule " + std::string(level_name(r.level)) + "\" id=\"" +
                      html_escape(anchor_of(r.rule.id)) + "\" style=\"--c:" + std::string(level_colours[level]) +
                      "\">";
    out += "<div class=\"head\"><span class=\"badge\">" + std::string(level_name(r.level)) + "</span>";
    out += "<span class=\"id\">" + html_escape(r.rule.id) + "</span>" + request_marker(r.rule);
    if (r.example.earlier) out += " <span class=\"side\" title=\"judged against an earlier exchange\">stateful</span>";
    out += "<span>" + reference_html(r.rule.reference) + "</span>";
    out += "<span class=\"count\"><b>" + group_digits(r.count) + "</b> " + (r.count == 1 ? "finding" : "findings") +
           " on " + plural(r.routes.size(), "route") + "</span></div>";
    if (!r.rule.summary.empty()) out += "<div class=\"summary\">" + html_escape(r.rule.summary) + "</div>";
    out += "<div class=\"msg\">" + html_escape(r.example.message) + "</div>";
    out += "<div class=\"grid2\"><div><div class=\"label\">Example exchange</div>" + example_html(r.example) +
           "</div>";
    out += "<div><div class=\"label\">Routes affected</div><table><tr><th>route</th><th>e.g.</th>"
           "<th class=\"n\">count</th></tr>";
    const auto shown = std::min(r.routes.size(), max_routes_per_rule);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& h = r.routes[i];
        out += "<tr><td class=\"mono\">" + html_escape(h.route) + "</td><td class=\"mono\">" +
               html_escape(h.method + " \xE2\x86\x92 " + std::to_string(h.status)) + "</td><td class=\"n\">" +
               group_digits(h.count) + "</td></tr>";
    }
    if (r.routes.size() > shown)
        out += "<tr><td colspan=\"3\">\xE2\x80\xA6 and " + plural(r.routes.size() - shown, "more route") +
               "</td></tr>";
    out += "</table></div></div></section>";
    return out;
}

// Stable "version" of the numbers the live script compares against /report.json.
std::string live_version(const ReportSnapshot& s) {
    return std::to_string(s.exchanges) + ":" + std::to_string(s.findings_total());
}

// --openapi: each declared operation, whether traffic exercised it, the statuses seen and the
// declared ones never seen.
std::string coverage_panel(const CoverageReport& c) {
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.1f", c.percent());
    std::string out = "<div class=\"panel wide\" id=\"coverage\"><h2>OpenAPI coverage <small "
                      "style=\"color:#64748b;font-weight:400\">" + std::to_string(c.exercised) + " of " +
                      plural(c.declared, "operation") + " exercised (" + percent + "%) \xC2\xB7 " +
                      html_escape(c.document) + "</small></h2><table><tr><th>operation</th><th>exchanges</th>"
                      "<th>statuses seen</th><th>declared, never seen</th></tr>";
    for (const auto& operation : c.operations) {
        std::string seen, unseen;
        for (const int status : operation.seen_statuses) seen += (seen.empty() ? "" : ", ") + std::to_string(status);
        for (const auto& code : operation.unseen_statuses) unseen += (unseen.empty() ? "" : ", ") + code;
        out += std::string("<tr class=\"") + (operation.exercised() ? "exercised" : "unexercised") +
               "\"><td class=\"mono\">" + html_escape(operation.method + " " + operation.path) +
               (operation.operation_id.empty() ? "" : " <small>" + html_escape(operation.operation_id) + "</small>") +
               "</td><td class=\"n\">" + (operation.exercised() ? group_digits(operation.exchanges) : "not exercised") +
               "</td><td class=\"mono\">" + html_escape(seen) + "</td><td class=\"mono\">" + html_escape(unseen) +
               "</td></tr>";
    }
    return out + "</table></div>";
}

std::string live_script(const HtmlOptions& o) {
    // Polls the small JSON, and only when it changed fetches this page again and swaps the
    // report element: the page is always rendered by render_html(), never by a JS twin.
    std::string url = html_escape(o.report_json_url);
    std::string out = "<script>(function(){var every=" + std::to_string(std::max(1, o.refresh_seconds) * 1000) +
                      ",url=\"" + url + "\";";
    out += R"JS(
function tick(){var cur=document.getElementById("report");
fetch(url,{cache:"no-store"}).then(function(r){return r.json();}).then(function(j){
var v=j.exchanges+":"+j.findings_total;if(cur&&cur.dataset.version===v)return;
return fetch(location.href,{cache:"no-store"}).then(function(r){return r.text();}).then(function(html){
var fresh=new DOMParser().parseFromString(html,"text/html").getElementById("report");
if(fresh&&cur){var open=[].map.call(cur.querySelectorAll("details[open]"),function(d){return d.id;});
cur.replaceWith(fresh);open.forEach(function(id){var d=id&&document.getElementById(id);if(d)d.open=true;});}});
}).catch(function(){var s=document.getElementById("live-state");if(s)s.textContent="offline, retrying";})
.finally(function(){setTimeout(tick,every);});}
setTimeout(tick,every);})();</script>)JS";
    return out;
}

}  // namespace

std::string render_html(const ReportSnapshot& s, const HtmlOptions& o) {
    std::string out;
    out.reserve(64 * 1024);
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
    out += "<title>" + html_escape(o.title) + (o.subject.empty() ? "" : " \xE2\x80\x94 " + html_escape(o.subject)) +
           "</title><style>";
    out += css;
    out += "</style></head><body><div id=\"report\" data-version=\"" + live_version(s) + "\">";

    // Header: what was observed, and the verdict.
    out += "<header class=\"top\"><div class=\"row\"><div><h1>" + html_escape(o.title) + "</h1><div class=\"sub\">";
    if (!o.subject.empty()) out += html_escape(o.subject) + " \xC2\xB7 ";
    out += "since " + html_escape(format_utc_millis(s.started)) + " \xC2\xB7 generated " +
           html_escape(format_utc_millis(s.generated)) + "</div></div>";
    if (o.verdict && !o.verdict->failed() && s.findings[2] > 0) {
        // The gate let errors through (--fail-on never, or levels above the errors): a green
        // PASS box would read as "your API is fine" at a glance, so say what passed and why.
        out += "<div class=\"verdict ungated\"><b>PASS, but " + plural(s.findings[2], "error") + " not gated</b>" +
               html_escape(o.verdict->reason) + "</div>";
    } else if (o.verdict) {
        out += std::string("<div class=\"verdict ") + (o.verdict->failed() ? "fail" : "pass") + "\"><b>" +
               (o.verdict->failed() ? "FAIL" : "PASS") + "</b>" + html_escape(o.verdict->reason) + "</div>";
    } else {
        out += "<div class=\"verdict live\"><b>" + std::string(o.live ? "LIVE" : "REPORT") + "</b><span id=\"live-state\">" +
               (s.findings[2] ? plural(s.findings[2], "error") + " so far"
                              : std::string(s.findings_total() ? "no errors so far" : "no findings so far")) +
               "</span></div>";
    }
    out += "</div></header><main>";

    // Key numbers.
    std::size_t routes_with_findings = 0;
    for (const auto& r : s.routes) routes_with_findings += r.findings_total() > 0;
    const auto pct = s.exchanges ? double(s.exchanges_with_findings) * 100.0 / double(s.exchanges) : 0.0;
    auto kpi = [&](std::string_view cls, const std::string& value, std::string_view label) {
        out += "<div class=\"kpi " + std::string(cls) + "\"><div class=\"v\">" + value + "</div><div class=\"l\">" +
               std::string(label) + "</div></div>";
    };
    out += "<div class=\"kpis\">";
    kpi("", group_digits(s.exchanges), "exchanges");
    kpi("error", group_digits(s.findings[2]), "errors");
    kpi("warning", group_digits(s.findings[1]), "warnings");
    kpi("info", group_digits(s.findings[0]), "info");
    kpi("", fixed(pct) + "%", "exchanges with findings");
    kpi("", std::to_string(s.rules.size()) + "<small style=\"font-size:14px;color:#64748b\"> / " +
                std::to_string(s.checked_rules.size()) + "</small>",
        "rules fired");
    // --baseline: what the gate counts (new), what it accepts (known), what went away (fixed).
    if (s.baseline) {
        kpi("error", group_digits(s.baseline->fresh_total()), "new (not in the baseline)");
        kpi("", group_digits(s.baseline->known_total()), "known (in the baseline)");
        kpi("", group_digits(s.baseline->fixed.size()), "fixed since the baseline");
    }
    if (s.silenced.total() > 0) kpi("", group_digits(s.silenced.total()), "silenced by requests");
    out += "</div>";

    // Where the API stands, subject by subject, before any detail.
    const auto groups = subject_groups(s);
    out += subject_overview(groups);

    // Charts.
    std::vector<Bar> rule_bars;
    for (const auto& r : s.rules) {
        if (rule_bars.size() == max_bars) break;
        rule_bars.push_back({r.rule.id, r.by_level, anchor_of(r.rule.id)});
    }
    std::vector<Bar> route_bars;
    for (const auto& r : s.routes) {
        if (route_bars.size() == max_bars || r.findings_total() == 0) break;
        route_bars.push_back({r.route, r.findings, {}});
    }
    out += "<div class=\"charts\"><div class=\"panel\"><h2>Findings by rule</h2>" + bar_chart(rule_bars) +
           level_legend() + "</div>";
    out += "<div class=\"panel\"><h2>Findings by route <small style=\"color:#64748b;font-weight:400\">(" +
           std::to_string(routes_with_findings) + " of " + plural(s.routes.size(), "route") + ")</small></h2>" +
           bar_chart(route_bars) + level_legend() + "</div>";
    out += "<div class=\"panel wide\"><h2>Status classes over time</h2>" + timeline_chart(s.timeline) + "</div>";
    out += "<div class=\"panel\"><h2>Latency</h2>" + latency_chart(s.latency) + "</div>";
    out += "<div class=\"panel\"><h2>Status classes</h2><table>";
    for (std::size_t c = 0; c < status_class_count; ++c) {
        if (s.status_classes[c] == 0) continue;
        out += "<tr><td><span class=\"legend\" style=\"margin:0\"><span><i style=\"background:" +
               std::string(class_colours[c]) + "\"></i>" + std::string(status_class_name(c)) +
               "</span></span></td><td class=\"n\">" + group_digits(s.status_classes[c]) + "</td></tr>";
    }
    out += "<tr><td>upstream errors</td><td class=\"n\">" + group_digits(s.upstream_errors) + "</td></tr>";
    out += "</table></div></div>";

    if (s.coverage) out += coverage_panel(*s.coverage);

    // One section per rule that fired, grouped under its subject in the overview's order,
    // worst first within each subject.
    out += "<h2 class=\"section\">" +
           (s.rules.empty() ? std::string("No rule fired") : plural(s.rules.size(), "rule") + " fired") + "</h2>";
    for (const auto& g : groups) {
        out += "<div class=\"subject-group\" id=\"" + html_escape(subject_anchor(g.name)) + "\"><h3 class=\"subject\">" +
               html_escape(g.name) + "<small>" + plural(g.findings[2], "error") + ", " +
               plural(g.findings[1], "warning") + ", " + group_digits(g.findings[0]) + " info</small></h3>";
        for (const auto* r : g.rules) out += rule_section(*r);
        out += "</div>";
    }

    // The rules that passed, so a clean report still shows what was checked.
    std::vector<const RuleInfo*> passed;
    for (const auto& info : s.checked_rules)
        if (s.find(info.id) == nullptr) passed.push_back(&info);
    if (!passed.empty()) {
        out += "<details id=\"passed\"><summary>" + plural(passed.size(), "rule") +
               " checked without findings</summary><table><tr><th>rule</th><th>level</th><th>reference</th>"
               "<th>summary</th></tr>";
        for (const auto* info : passed)
            out += "<tr><td class=\"mono\">" + html_escape(info->id) + "</td><td>" +
                   std::string(level_name(info->level)) + "</td><td>" + reference_html(info->reference) + "</td><td>" +
                   html_escape(info->summary) + "</td></tr>";
        out += "</table></details>";
    }
    out += "<footer>conformance-proxy \xC2\xB7 credentials (Authorization, Proxy-Authorization, Cookie, Set-Cookie) "
           "are redacted \xC2\xB7 " +
           plural(s.routes.size(), "route") + ", " + group_digits(s.response_bytes) + " response bytes</footer>";
    out += "</main></div>";
    if (o.live) out += live_script(o);
    out += "</body></html>\n";
    return out;
}

}  // namespace cproxy::report

#include "conformance_proxy/report/SummaryText.hpp"

#include <algorithm>

#include "report/Text.hpp"

namespace cproxy::report {

namespace {

constexpr std::size_t max_rules_shown = 10;

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

std::string lpad(std::string s, std::size_t width) {
    if (s.size() < width) s.insert(0, width - s.size(), ' ');
    return s;
}

}  // namespace

std::string render_summary(const ReportSnapshot& s, const Verdict& verdict,
                           const std::vector<WrittenReport>& written) {
    using text::group_digits;
    std::string out = "conformance-proxy summary\n";

    out += "  exchanges  " + group_digits(s.exchanges);
    std::string classes;
    for (std::size_t c = 0; c < status_class_count; ++c) {
        if (s.status_classes[c] == 0) continue;
        classes += (classes.empty() ? "" : ", ") + std::string(status_class_name(c)) + " " +
                   group_digits(s.status_classes[c]);
    }
    if (!classes.empty()) out += " (" + classes + ")";
    if (s.upstream_errors > 0) out += ", upstream errors " + group_digits(s.upstream_errors);
    out += "\n";

    std::size_t routes_with_findings = 0;
    for (const auto& r : s.routes) routes_with_findings += r.findings_total() > 0;
    out += "  findings   " + group_digits(s.findings_total());
    if (s.findings_total() > 0) {
        out += ": " + group_digits(s.findings[2]) + " error, " + group_digits(s.findings[1]) + " warning, " +
               group_digits(s.findings[0]) + " info; " + std::to_string(s.rules.size()) + " rule" +
               (s.rules.size() == 1 ? "" : "s") + " on " + std::to_string(routes_with_findings) + " of " +
               std::to_string(s.routes.size()) + " route" + (s.routes.size() == 1 ? "" : "s");
    }
    out += "\n";

    if (!s.rules.empty()) {
        out += "  worst rules (error first, then by count):\n";
        std::size_t id_width = 0;
        const auto shown = std::min(s.rules.size(), max_rules_shown);
        for (std::size_t i = 0; i < shown; ++i) id_width = std::max(id_width, s.rules[i].rule.id.size());
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& r = s.rules[i];
            const auto& e = r.example;
            out += "    " + pad(std::string(level_name(r.level)), 8) + pad(r.rule.id, id_width) + " " +
                   lpad(group_digits(r.count), 7) + "  e.g. " + e.method + " " + text::truncate(e.target, 60) +
                   " -> " + std::to_string(e.status) + "\n";
            out += "    " + std::string(8, ' ') + text::truncate(e.message, 110) + "\n";
        }
        if (s.rules.size() > shown)
            out += "    ... and " + std::to_string(s.rules.size() - shown) + " more rules\n";
    }

    if (s.baseline) {
        const auto& b = *s.baseline;
        out += "  baseline   " + group_digits(b.fresh_total()) + " new, " + group_digits(b.known_total()) +
               " known, " + group_digits(b.fixed.size()) + " fixed (" + b.path + ")\n";
        std::size_t shown = 0;
        for (const auto& f : s.fingerprints) {
            if (f.baseline != BaselineMark::new_finding || shown++ == max_rules_shown) continue;
            out += "    new    " + pad(std::string(level_name(f.level)), 8) + f.fingerprint.rule + " " +
                   f.fingerprint.method + " " + f.fingerprint.route + " -> " + std::to_string(f.fingerprint.status) +
                   " (" + group_digits(f.count) + ")\n";
        }
        for (std::size_t i = 0; i < b.fixed.size() && i < max_rules_shown; ++i)
            out += "    fixed  " + b.fixed[i].rule + " " + b.fixed[i].method + " " + b.fixed[i].route + " -> " +
                   std::to_string(b.fixed[i].status) + "\n";
    }
    if (s.silenced.total() > 0 || !s.silenced.unknown_ids.empty()) {
        out += "  silenced   " + group_digits(s.silenced.total());
        std::string rules;
        for (const auto& [id, n] : s.silenced.by_rule) rules += (rules.empty() ? "" : ", ") + id + " " + group_digits(n);
        if (!rules.empty()) out += " (" + rules + ")";
        out += "\n";
        for (const auto& [id, n] : s.silenced.unknown_ids)
            out += "    unknown rule id \"" + text::truncate(id, 60) + "\" in the silence header of " + group_digits(n) +
                   " exchange" + (n == 1 ? "" : "s") + ": it silenced nothing\n";
    }

    if (!written.empty()) {
        out += "  reports:\n";
        for (const auto& w : written) out += "    " + pad(w.kind, 9) + w.path + "\n";
    }
    out += "  " + verdict.reason + "\n";
    return out;
}

}  // namespace cproxy::report

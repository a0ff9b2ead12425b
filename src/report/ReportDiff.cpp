#include "conformance_proxy/report/ReportDiff.hpp"

#include <algorithm>
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "conformance_proxy/report/GithubAnnotations.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace {

using Key = std::pair<std::string, std::string>;  // rule id, route

std::map<Key, DiffEntry> entries_of(const ReportSnapshot& s) {
    std::map<Key, DiffEntry> out;
    for (const auto& r : s.rules)
        for (const auto& h : r.routes)
            out[{r.rule.id, h.route}] = DiffEntry{r.rule.id, h.route, r.rule.reference, h.level, h.level,
                                                  h.count,     h.method, h.status,         h.message};
    return out;
}

void sort_entries(std::vector<DiffEntry>& entries) {
    std::sort(entries.begin(), entries.end(), [](const DiffEntry& a, const DiffEntry& b) {
        if (a.level != b.level) return a.level > b.level;
        if (a.rule != b.rule) return a.rule < b.rule;
        return a.route < b.route;
    });
}

std::string where(const DiffEntry& e) { return e.method + " " + e.route + " -> " + std::to_string(e.status); }

std::string plural(std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string headline(const ReportDiff& d) {
    return plural(d.added.size(), "new finding") + ", " + std::to_string(d.fixed.size()) + " fixed, " +
           std::to_string(d.changed.size()) + " changed level, " + std::to_string(d.unchanged) + " unchanged";
}

// Markdown table cells: no pipes or newlines.
std::string cell(std::string_view in) {
    std::string out;
    for (const char c : text::valid_utf8(text::truncate(in, 200))) {
        if (c == '|') out += "\\|";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

}  // namespace

ReportDiff diff_reports(const ReportSnapshot& old_report, const ReportSnapshot& new_report) {
    const auto before = entries_of(old_report);
    const auto after = entries_of(new_report);
    ReportDiff d;
    for (const auto& [key, entry] : after) {
        const auto it = before.find(key);
        if (it == before.end()) {
            d.added.push_back(entry);
        } else if (it->second.level != entry.level) {
            auto changed = entry;
            changed.old_level = it->second.level;
            d.changed.push_back(std::move(changed));
        } else {
            ++d.unchanged;
        }
    }
    for (const auto& [key, entry] : before)
        if (!after.contains(key)) d.fixed.push_back(entry);
    sort_entries(d.added);
    sort_entries(d.fixed);
    sort_entries(d.changed);
    return d;
}

std::string render_diff_text(const ReportDiff& d) {
    std::string out = "conformance-proxy diff: " + headline(d) + "\n";
    for (const auto& e : d.added)
        out += "  new      " + std::string(level_name(e.level)) + " " + e.rule + " " + where(e) + " (" +
               std::to_string(e.count) + "x): " + text::truncate(e.message, 160) + "\n";
    for (const auto& e : d.fixed) out += "  fixed    " + std::string(level_name(e.level)) + " " + e.rule + " " + where(e) + "\n";
    for (const auto& e : d.changed)
        out += "  changed  " + std::string(level_name(e.old_level)) + " -> " + std::string(level_name(e.level)) + " " +
               e.rule + " " + where(e) + "\n";
    return out;
}

std::string render_diff_json(const ReportDiff& d) {
    namespace json = boost::json;
    auto list = [](const std::vector<DiffEntry>& entries, bool changed) {
        json::array a;
        for (const auto& e : entries) {
            json::object o;
            o["rule"] = e.rule;
            o["route"] = text::valid_utf8(e.route);
            o["level"] = level_name(e.level);
            if (changed) o["old_level"] = level_name(e.old_level);
            o["count"] = e.count;
            o["method"] = text::valid_utf8(e.method);
            o["status"] = e.status;
            o["message"] = text::valid_utf8(e.message);
            o["reference"] = e.reference;
            a.push_back(std::move(o));
        }
        return a;
    };
    json::object root;
    root["new"] = list(d.added, false);
    root["fixed"] = list(d.fixed, false);
    root["changed"] = list(d.changed, true);
    root["unchanged"] = d.unchanged;
    return json::serialize(root) + "\n";
}

std::string render_diff_markdown(const ReportDiff& d) {
    std::string out = "### Conformance: " + headline(d) + "\n";
    auto table = [&](std::string_view title, const std::vector<DiffEntry>& entries, bool changed) {
        if (entries.empty()) return;
        out += "\n**" + std::string(title) + "**\n\n| level | rule | request | message |\n|---|---|---|---|\n";
        for (const auto& e : entries) {
            const std::string level = changed ? std::string(level_name(e.old_level)) + " → " + std::string(level_name(e.level))
                                              : std::string(level_name(e.level));
            out += "| " + level + " | `" + e.rule + "` | `" + cell(where(e)) + "` | " + cell(e.message) + " |\n";
        }
    };
    table("New", d.added, false);
    table("Fixed", d.fixed, false);
    table("Changed level", d.changed, true);
    return out;
}

std::string render_diff_github(const ReportDiff& d) {
    std::string out;
    for (const auto& e : d.added)
        out += github_command(e.level, e.rule + " (new)",
                              where(e) + ", " + std::to_string(e.count) + "x: " + e.message + " (" + e.reference + ")");
    for (const auto& e : d.changed)
        out += github_command(e.level, e.rule + " (level changed)",
                              where(e) + ": " + std::string(level_name(e.old_level)) + " -> " +
                                  std::string(level_name(e.level)) + ": " + e.message);
    if (!d.fixed.empty())
        out += github_command(check::Level::info, "fixed findings", plural(d.fixed.size(), "finding") + " no longer occur");
    return out;
}

Verdict evaluate_diff(const ReportDiff& d, FailOn fail_on) {
    const std::string flag = "--fail-on " + std::string(to_string(fail_on));
    const auto level = fail_level(fail_on);
    if (!level) return {0, "exit status 0: " + flag + " ignores new findings (" + std::to_string(d.added.size()) + ")"};
    std::string named;
    std::size_t failing = 0;
    for (const auto& e : d.added) {
        if (e.level < *level) continue;
        if (failing++ < 3) named += (named.empty() ? "" : ", ") + e.rule + " on " + e.route;
    }
    if (failing == 0)
        return {0, "exit status 0: no new finding at or above " + std::string(level_name(*level)) + " (" + flag + ")"};
    if (failing > 3) named += ", ...";
    return {1, "exit status 1: " + plural(failing, "new finding") + " at or above " +
                   std::string(level_name(*level)) + " (" + flag + "): " + named};
}

}  // namespace cproxy::report

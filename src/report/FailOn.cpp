#include "conformance_proxy/report/FailOn.hpp"

#include "report/Text.hpp"

namespace cproxy::report {

std::optional<FailOn> parse_fail_on(std::string_view text) noexcept {
    if (text::iequals(text, "error")) return FailOn::error;
    if (text::iequals(text, "warning")) return FailOn::warning;
    if (text::iequals(text, "info")) return FailOn::info;
    if (text::iequals(text, "never")) return FailOn::never;
    return std::nullopt;
}

std::string_view to_string(FailOn fail_on) noexcept {
    switch (fail_on) {
        case FailOn::error: return "error";
        case FailOn::warning: return "warning";
        case FailOn::info: return "info";
        case FailOn::never: return "never";
    }
    return "never";
}

std::optional<check::Level> fail_level(FailOn fail_on) noexcept {
    switch (fail_on) {
        case FailOn::error: return check::Level::error;
        case FailOn::warning: return check::Level::warning;
        case FailOn::info: return check::Level::info;
        case FailOn::never: return std::nullopt;
    }
    return std::nullopt;
}

namespace {

std::string count_of(std::uint64_t n, std::string_view level) {
    std::string out = text::group_digits(n) + " " + std::string(level);
    if (n != 1) out += level == "info" ? "" : "s";
    return out;
}

// "2 errors, 1 warning" for the levels at or above `from` that occurred.
std::string levels_text(const LevelCounts& counts, check::Level from) {
    std::string out;
    for (int l = 2; l >= static_cast<int>(from); --l) {
        if (counts[l] == 0) continue;
        if (!out.empty()) out += ", ";
        out += count_of(counts[l], level_name(static_cast<check::Level>(l)));
    }
    return out;
}

Verdict evaluate_new_findings(const ReportSnapshot& snapshot, check::Level level, const std::string& flag) {
    const auto& b = *snapshot.baseline;
    std::uint64_t failing = 0;
    for (int l = static_cast<int>(level); l <= 2; ++l) failing += b.fresh[l];
    const std::string known = text::group_digits(b.known_total()) + " known";
    if (failing == 0)
        return {0, "exit status 0: no new finding at or above " + std::string(level_name(level)) + " (" + flag +
                       ", baseline " + b.path + "); " + known};
    // Name the new findings themselves: that is what the change under test broke.
    std::string named;
    int shown = 0;
    for (const auto& f : snapshot.fingerprints) {
        if (f.baseline != BaselineMark::new_finding || f.level < level) continue;
        if (shown == 3) {
            named += ", ...";
            break;
        }
        named += shown++ ? ", " : "";
        named += f.fingerprint.rule + " on " + f.fingerprint.method + " " + f.fingerprint.route;
    }
    return {1, "exit status 1: new findings at or above " + std::string(level_name(level)) + ": " +
                   levels_text(b.fresh, level) + " (" + flag + ", baseline " + b.path + "): " + named + "; " + known};
}

}  // namespace

Verdict evaluate_fail_on(const ReportSnapshot& snapshot, FailOn fail_on) {
    const std::string flag = "--fail-on " + std::string(to_string(fail_on));
    const auto level = fail_level(fail_on);
    if (!level) {
        return {0, "exit status 0: " + flag + " ignores findings (" +
                       text::group_digits(snapshot.findings_total()) + " recorded)"};
    }
    // With a baseline only new findings count: known ones are the debt the team accepted.
    if (snapshot.baseline) return evaluate_new_findings(snapshot, *level, flag);
    std::uint64_t failing = 0;
    for (int l = static_cast<int>(*level); l <= 2; ++l) failing += snapshot.findings[l];
    if (failing == 0) {
        std::string reason = "exit status 0: no finding at or above " + std::string(level_name(*level)) +
                             " (" + flag + ")";
        if (snapshot.findings_total() > 0)
            reason += "; below it: " + levels_text(snapshot.findings, check::Level::info);
        return {0, reason};
    }
    // Name the worst rules so the sentence alone tells what to fix first.
    std::string rules;
    int named = 0;
    for (const auto& r : snapshot.rules) {
        if (r.level < *level) continue;
        if (named == 3) {
            rules += ", ...";
            break;
        }
        rules += named++ ? ", " : "";
        rules += r.rule.id;
    }
    return {1, "exit status 1: " + levels_text(snapshot.findings, *level) + " at or above " +
                   std::string(level_name(*level)) + " (" + flag + "): " + rules};
}

}  // namespace cproxy::report

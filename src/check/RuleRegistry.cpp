// The registry: built once from the subjects, each of which declares its own rules. Ids,
// levels and references are a public interface (RULES.md, RULES-v2.md): never rename one.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "check/Subject.hpp"
#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/check/rule.hpp"

namespace cproxy::check {
namespace {

struct Registry {
    std::vector<const Rule*> rules;
    std::vector<std::string_view> subject_names;

    Registry() {
        for (const Subject* subject : all_subjects()) {
            subject_names.push_back(subject->name);
            for (Rule* rule : subject->rules) {
                rule->subject = subject->name;
                rule->index = rules.size();
                rules.push_back(rule);
            }
        }
        // Two declarations of one id would make configuration and reports ambiguous; this is a
        // programming error that every test run catches at once.
        for (std::size_t i = 0; i < rules.size(); ++i)
            for (std::size_t j = i + 1; j < rules.size(); ++j)
                if (rules[i]->id == rules[j]->id) {
                    std::fprintf(stderr, "rule id declared twice: %.*s\n",
                                 static_cast<int>(rules[i]->id.size()), rules[i]->id.data());
                    std::abort();
                }
    }
};

const Registry& registry() {
    static const Registry instance;
    return instance;
}

}  // namespace

std::span<const Rule* const> all_rules() noexcept { return registry().rules; }

std::span<const std::string_view> all_subject_names() noexcept { return registry().subject_names; }

const Rule* find_rule(std::string_view id) noexcept {
    for (const Rule* rule : all_rules())
        if (rule->id == id) return rule;
    return nullptr;
}

std::string_view to_string(Level level) noexcept {
    switch (level) {
        case Level::info: return "info";
        case Level::warning: return "warning";
        case Level::error: return "error";
    }
    return "error";
}

std::optional<Level> parse_level(std::string_view text) noexcept {
    if (text == "info") return Level::info;
    if (text == "warning") return Level::warning;
    if (text == "error") return Level::error;
    return std::nullopt;
}

std::string_view to_string(Side side) noexcept {
    return side == Side::request ? "request" : "response";
}

RulePolicy::RulePolicy()
    : levels_(all_rules().size()), enabled_(all_rules().size(), true), has_ignores_(all_rules().size(), false) {
    for (const Rule* rule : all_rules()) levels_[rule->index] = rule->level;
}

void RulePolicy::set_level(const Rule& rule, Level level) { levels_.at(rule.index) = level; }

void RulePolicy::disable(const Rule& rule) { enabled_.at(rule.index) = false; }

}  // namespace cproxy::check

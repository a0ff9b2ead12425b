#pragma once
// Baselines: "fail only on what is new". A finding is reduced to a fingerprint that is stable
// from run to run (rule id, subject, method, route template, status): never a full target with
// its ids or query values, never a field value, so a baseline can be committed and diffed.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace cproxy::report {

struct Fingerprint {
    std::string rule;     // "405-missing-allow"
    std::string subject;  // "response" or "request": who has to change
    std::string method;   // "DELETE"
    std::string route;    // normalize_route(target): "/items/{id}"
    int status = 0;

    // "405-missing-allow response DELETE /items/{id} 405": the key maps and sets use.
    std::string key() const;
    auto operator<=>(const Fingerprint&) const = default;
};

// A fingerprint's fields as views, to look one up without building its strings.
struct FingerprintView {
    std::string_view rule, subject, method, route;
    int status = 0;
};
// Orders Fingerprints and FingerprintViews alike, member by member (as Fingerprint's <=>).
struct FingerprintLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
        return std::tuple<std::string_view, std::string_view, std::string_view, std::string_view, int>(
                   a.rule, a.subject, a.method, a.route, a.status) <
               std::tuple<std::string_view, std::string_view, std::string_view, std::string_view, int>(
                   b.rule, b.subject, b.method, b.route, b.status);
    }
};

// target is the request-target as sent; it is reduced to its route template here.
Fingerprint make_fingerprint(std::string_view rule, std::string_view subject, std::string_view method,
                             std::string_view target, int status);
// The same, for a route already normalized (normalize_route of the target).
Fingerprint make_fingerprint_on_route(std::string_view rule, std::string_view subject, std::string_view method,
                                      std::string_view route, int status);

enum class BaselineMark : std::uint8_t { none, known, new_finding };
std::string_view baseline_mark_name(BaselineMark mark) noexcept;  // "", "known", "new"

// A loaded or freshly made baseline: a sorted set of fingerprints.
class Baseline {
public:
    Baseline() = default;
    explicit Baseline(std::set<Fingerprint> entries) : entries_(std::move(entries)) {}

    bool contains(const Fingerprint& fingerprint) const { return entries_.contains(fingerprint); }
    const std::set<Fingerprint>& entries() const noexcept { return entries_; }
    std::size_t size() const noexcept { return entries_.size(); }

    // The file: sorted, one entry per line, no timestamps, so it changes only when findings do.
    std::string to_json() const;
    // Throws std::runtime_error naming `name` and what is wrong.
    static Baseline parse(std::string_view text, const std::string& name);
    static Baseline load(const std::string& path);

private:
    std::set<Fingerprint> entries_;
};

// The fingerprints of a run's findings, read from a report (report.json of --admin /report.json,
// `report merge` or the shutdown --report-json) or a --findings JSON Lines file; the kind is told
// from the content. Throws std::runtime_error naming `name`.
std::set<Fingerprint> fingerprints_from_file_text(std::string_view text, const std::string& name);

}  // namespace cproxy::report

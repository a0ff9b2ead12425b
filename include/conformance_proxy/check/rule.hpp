#pragma once
// A conformance rule: stable id, default level, spec reference, one-line summary.
// Ids are a public interface (see RULES.md): never rename one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cproxy::check {

enum class Level : std::uint8_t { info = 0, warning = 1, error = 2 };

std::string_view to_string(Level level) noexcept;
std::optional<Level> parse_level(std::string_view text) noexcept;

// Whose message a rule judges, i.e. who has to change: the upstream's response or the
// client's request.
enum class Side : std::uint8_t { response, request };
std::string_view to_string(Side side) noexcept;

// Each rule is declared once, beside the code that checks it (src/check/rules/<Subject>.cpp);
// the registry fills in `subject` and `index` when it first lists the rules.
struct Rule {
    std::string_view id;         // e.g. "405-missing-allow"
    Level level;                 // default level
    std::string_view reference;  // e.g. "RFC 9110 §15.5.6"
    std::string_view summary;    // one line, for `conformance-proxy rules`
    Side side = Side::response;
    // A message that triggers the rule, for the tests (unit and end to end) and the catalogue:
    // the upstream's response with "\n" line ends (sent with CRLF), optionally an empty line
    // and body bytes; and the request head that gets it ("" = "GET /" with no fields).
    std::string_view example = {};
    std::string_view example_request = {};
    // Fires only when an API description is given (--openapi): the example alone cannot trigger
    // it; tests/unit/openapi proves these rules against a document instead.
    bool needs_contract = false;
    std::string_view subject{};  // the subject that declares it, e.g. "methods"
    std::size_t index = 0;       // position in the registry, for per-rule tables
};

// The registry: every rule, subject by subject, in the order the checker runs them.
std::span<const Rule* const> all_rules() noexcept;
const Rule* find_rule(std::string_view id) noexcept;
// Rules judged across exchanges (RULES-v2 Part B): only a History (check/history.hpp) runs
// them, never Checker on one exchange.
bool is_stateful(const Rule& rule) noexcept;
// The subjects' names in registry order ("authentication", "methods", ...).
std::span<const std::string_view> all_subject_names() noexcept;

// A link to the first specification section the reference names ("RFC 9110 §15.5.6" ->
// https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6); empty when none is known.
std::string reference_url(std::string_view reference);

}  // namespace cproxy::check

// Strict-Transport-Security (RFC 6797 §6.1). Checked per field line: a user agent processes
// only the first STS line (§8.1), so lines are never joined. Grammar, implied LWS made explicit:
//   [ directive ] *( OWS ";" OWS [ directive ] )
//   directive = token [ OWS "=" OWS ( token / quoted-string ) ]
// Directive names compare case-insensitively.
#include <string>

#include "check/HeadRules.hpp"
#include "check/HttpBase.hpp"
#include "check/MessageText.hpp"
#include "check/Subject.hpp"

namespace cproxy::check {
namespace {

constinit Rule hsts_max_age_missing{
    .id = "hsts-max-age-missing",
    .level = Level::error,
    .reference = "RFC 6797 §6.1.1",
    .summary = "Strict-Transport-Security without max-age",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nStrict-Transport-Security: includeSubDomains; preload\n",
};
constinit Rule hsts_syntax{
    .id = "hsts-syntax",
    .level = Level::error,
    .reference = "RFC 6797 §6.1, §6.1.1",
    .summary = "Strict-Transport-Security does not match the directive grammar",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nStrict-Transport-Security: max-age=31536000, includeSubDomains\n",
};
constinit Rule hsts_directive_repeated{
    .id = "hsts-directive-repeated",
    .level = Level::error,
    .reference = "RFC 6797 §6.1",
    .summary = "Strict-Transport-Security names a directive twice",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nStrict-Transport-Security: max-age=31536000; includeSubDomains; includesubdomains\n",
};

struct StsLine {
    bool grammar_ok = true;
    std::size_t bad_offset = 0;         // where the grammar breaks
    bool has_max_age = false;
    bool max_age_bad = false;           // a max-age without a value, or not 1*DIGIT
    std::string_view bad_max_age;       // its value as written (empty when it has none)
    std::string_view repeated;          // the second occurrence of a repeated directive name
};

// A max-age argument (token or quoted-string) that is 1*DIGIT once unquoted.
bool is_delta_seconds_argument(std::string_view argument) noexcept {
    if (argument.size() >= 2 && argument.front() == '"') {
        bool any = false;
        for (std::size_t i = 1; i + 1 < argument.size(); ++i) {
            char c = argument[i];
            if (c == '\\') c = argument[++i];
            if (!grammar::is_digit(c)) return false;
            any = true;
        }
        return any;
    }
    return grammar::is_digits(argument);
}

StsLine read_sts_line(std::string_view value) {
    StsLine line;
    InlineVector<std::string_view, 8> names;
    std::size_t pos = 0;
    const auto fail = [&](std::size_t at) {
        line.grammar_ok = false;
        line.bad_offset = at;
        return line;
    };
    while (true) {
        pos = grammar::skip_ows(value, pos);
        if (pos < value.size() && value[pos] != ';') {
            const std::size_t name_length = grammar::token_length(value, pos);
            if (name_length == 0) return fail(pos);
            const std::string_view name = value.substr(pos, name_length);
            pos = grammar::skip_ows(value, pos + name_length);
            bool has_argument = false;
            std::string_view argument;
            if (pos < value.size() && value[pos] == '=') {
                pos = grammar::skip_ows(value, pos + 1);
                std::size_t end = grammar::npos;
                if (pos < value.size() && value[pos] == '"')
                    end = grammar::quoted_string_end(value, pos);
                else if (const std::size_t length = grammar::token_length(value, pos); length > 0)
                    end = pos + length;
                if (end == grammar::npos) return fail(pos);
                argument = value.substr(pos, end - pos);
                has_argument = true;
                pos = grammar::skip_ows(value, end);
            }
            if (grammar::iequals(name, "max-age")) {
                line.has_max_age = true;
                if (!line.max_age_bad && (!has_argument || !is_delta_seconds_argument(argument))) {
                    line.max_age_bad = true;
                    line.bad_max_age = argument;
                }
            }
            if (line.repeated.empty()) {
                for (const std::string_view seen : names)
                    if (grammar::iequals(seen, name)) line.repeated = name;
                names.push_back(name);
            }
        }
        if (pos == value.size()) return line;
        if (value[pos] != ';') return fail(pos);
        ++pos;
    }
}

}  // namespace

using message::concat;
using message::quote;

static void check_sts(const HeadCheck& check) {
    const RawHead& head = check.head;
    if (!head.has(KnownField::strict_transport_security)) return;
    if (head.status() >= 100 && head.status() <= 199) return;  // final responses only
    head.for_each(KnownField::strict_transport_security, [&](const FieldLine& field) {
        const StsLine line = read_sts_line(field.value);
        if (!line.grammar_ok) {
            check.sink.report(hsts_syntax, [&] {
                const char at = field.value[line.bad_offset < field.value.size() ? line.bad_offset : 0];
                const std::string what =
                    line.bad_offset >= field.value.size() ? std::string(" ends where a value is expected")
                    : at == ','                             ? std::string(" separates directives with ',' instead of ';'")
                                                            : concat({" breaks the directive grammar at ",
                                                                      quote(field.value.substr(line.bad_offset))});
                return concat({"Strict-Transport-Security ", quote(field.value), what,
                               ", so browsers ignore the whole policy; send e.g. "
                               "Strict-Transport-Security: max-age=31536000; includeSubDomains"});
            });
            return;
        }
        if (line.max_age_bad) {
            check.sink.report(hsts_syntax, [&] {
                return concat({"Strict-Transport-Security ", quote(field.value), ": max-age ",
                               line.bad_max_age.empty() ? std::string("has no value")
                                                        : concat({quote(line.bad_max_age),
                                                                  " is not a number of seconds"}),
                               ", so browsers ignore the whole policy; send digits only, e.g. "
                               "max-age=31536000"});
            });
        } else if (!line.has_max_age) {
            check.sink.report(hsts_max_age_missing, [&] {
                return concat({"Strict-Transport-Security ", quote(field.value),
                               " has no max-age, which is required, so browsers ignore it; add "
                               "one, e.g. max-age=31536000"});
            });
        }
        if (!line.repeated.empty()) {
            check.sink.report(hsts_directive_repeated, [&] {
                return concat({"Strict-Transport-Security ", quote(field.value), " names ",
                               quote(line.repeated),
                               " twice; each directive may appear only once, remove the repeat"});
            });
        }
    });
}

namespace {
Rule* const hsts_rules[] = {&hsts_max_age_missing, &hsts_syntax, &hsts_directive_repeated};
}  // namespace

extern const Subject hsts_subject{"hsts", hsts_rules, check_sts, nullptr, nullptr};

}  // namespace cproxy::check

#pragma once
// Authentication challenges (RFC 9110 §11): the #challenge list of WWW-Authenticate and
// Proxy-Authenticate, where
//   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param = token BWS "=" BWS ( token / quoted-string )
// The list is ambiguous at commas: `Basic realm="a", charset="UTF-8"` continues the Basic
// challenge, `Basic realm="a", Bearer realm="b"` starts a new one. An element that is
// `token BWS "=" ...` continues the current challenge; any other element starts a new one.
// Because field lines combine with commas (RFC 9110 §5.3) and no element spans two lines,
// feeding the lines one after another parses the combined value without copying it.
#include <optional>
#include <string_view>

#include "check/HttpBase.hpp"

namespace cproxy::check {

struct AuthParam {
    std::string_view name;
    std::string_view value;  // token, or quoted-string including its DQUOTEs
    bool quoted = false;
};

struct Challenge {
    std::string_view scheme;
    std::string_view token68;  // empty unless the challenge carries a token68
    InlineVector<AuthParam, 8> params;
    std::string_view field_value;  // the field line the challenge starts in, for messages
};

enum class ChallengeProblem {
    empty_value,              // the field line is empty
    empty_element,            // a doubled or trailing comma
    no_auth_scheme,           // an element that does not start with a token
    no_space_after_scheme,    // `Basic; realm="x"`
    bad_auth_param,           // neither token68 nor auth-param after the scheme
    param_without_scheme,     // `realm="x"` before any auth-scheme
    param_after_token68,      // `Negotiate abc==, realm="x"`
};

struct ChallengeSyntaxError {
    ChallengeProblem problem;
    std::string_view field_value;  // the whole field line value
    std::string_view element;      // the list element at fault
    std::string_view detail;       // the piece of the element at fault
};

class ChallengeParser {
public:
    // Parses one field line value and appends its challenges. After a syntax error the
    // rest of that line is skipped; only the first error is kept.
    void feed(std::string_view field_value);

    const InlineVector<Challenge, 4>& challenges() const noexcept { return challenges_; }
    const std::optional<ChallengeSyntaxError>& error() const noexcept { return error_; }

private:
    bool parse_element(std::string_view element, std::string_view field_value);
    bool fail(ChallengeProblem problem, std::string_view field_value, std::string_view element,
              std::string_view detail);

    InlineVector<Challenge, 4> challenges_;
    std::optional<ChallengeSyntaxError> error_;
    bool challenge_open_ = false;  // whether auth-params may still join the last challenge
};

// Parses `token BWS "=" BWS ( token / quoted-string )` spanning all of text.
std::optional<AuthParam> parse_auth_param(std::string_view text) noexcept;

}  // namespace cproxy::check

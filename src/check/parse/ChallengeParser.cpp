#include "check/parse/ChallengeParser.hpp"

#include "check/HttpBase.hpp"

namespace cproxy::check {

using grammar::npos;

std::optional<AuthParam> parse_auth_param(std::string_view text) noexcept {
    const std::size_t name_length = grammar::token_length(text, 0);
    if (name_length == 0) return std::nullopt;
    std::size_t pos = grammar::skip_ows(text, name_length);
    if (pos >= text.size() || text[pos] != '=') return std::nullopt;
    pos = grammar::skip_ows(text, pos + 1);
    AuthParam param{text.substr(0, name_length), {}, false};
    if (pos < text.size() && text[pos] == '"') {
        const std::size_t end = grammar::quoted_string_end(text, pos);
        if (end != text.size()) return std::nullopt;
        param.value = text.substr(pos);
        param.quoted = true;
        return param;
    }
    const std::size_t value_length = grammar::token_length(text, pos);
    if (value_length == 0 || pos + value_length != text.size()) return std::nullopt;
    param.value = text.substr(pos);
    return param;
}

void ChallengeParser::feed(std::string_view field_value) {
    if (grammar::trim_ows(field_value).empty()) {
        challenge_open_ = false;
        fail(ChallengeProblem::empty_value, field_value, field_value, field_value);
        return;
    }
    grammar::for_each_list_element(field_value, [&](std::string_view element) {
        return parse_element(element, field_value);
    });
}

bool ChallengeParser::fail(ChallengeProblem problem, std::string_view field_value,
                           std::string_view element, std::string_view detail) {
    if (!error_) error_ = ChallengeSyntaxError{problem, field_value, element, detail};
    challenge_open_ = false;
    return false;
}

bool ChallengeParser::parse_element(std::string_view element, std::string_view field_value) {
    if (element.empty())
        return fail(ChallengeProblem::empty_element, field_value, element, element);
    const std::size_t token_end = grammar::token_length(element, 0);
    if (token_end == 0)
        return fail(ChallengeProblem::no_auth_scheme, field_value, element, element);

    const std::size_t after_token = grammar::skip_ows(element, token_end);
    if (after_token < element.size() && element[after_token] == '=') {
        // `name = value`: an auth-param that continues the current challenge.
        if (!challenge_open_ || challenges_.empty())
            return fail(ChallengeProblem::param_without_scheme, field_value, element, element);
        if (!challenges_.back().token68.empty())
            return fail(ChallengeProblem::param_after_token68, field_value, element, element);
        const auto param = parse_auth_param(element);
        if (!param) return fail(ChallengeProblem::bad_auth_param, field_value, element, element);
        challenges_.back().params.push_back(*param);
        return true;
    }

    Challenge challenge;
    challenge.scheme = element.substr(0, token_end);
    challenge.field_value = field_value;
    if (token_end < element.size()) {
        if (element[token_end] != ' ')
            return fail(ChallengeProblem::no_space_after_scheme, field_value, element,
                        challenge.scheme);
        const std::string_view rest = element.substr(element.find_first_not_of(' ', token_end));
        if (const auto param = parse_auth_param(rest))
            challenge.params.push_back(*param);
        else if (grammar::is_token68(rest))
            challenge.token68 = rest;
        else
            return fail(ChallengeProblem::bad_auth_param, field_value, element, rest);
    }
    challenges_.push_back(challenge);
    challenge_open_ = true;
    return true;
}

}  // namespace cproxy::check

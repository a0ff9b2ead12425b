// The #challenge list parser of WWW-Authenticate / Proxy-Authenticate. Each input line is
// one field line value, fed in order as the rules do for repeated fields.
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "check/parse/ChallengeParser.hpp"

using namespace cproxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Each line in a buffer of its own, so reading past a line's end is an ASan report.
    std::vector<std::string> lines;
    for (const std::string_view line : fuzz::split_lines(fuzz::as_text(data, size))) lines.emplace_back(line);

    check::ChallengeParser parser;
    for (const std::string& line : lines) {
        parser.feed(line);
        if (auto param = check::parse_auth_param(line)) {
            fuzz::require(!param->name.empty(), "auth-param without a name");
            fuzz::require(fuzz::inside(param->value, line), "auth-param value outside its text");
        }
    }

    auto in_some_line = [&](std::string_view part) {
        for (const std::string& line : lines)
            if (fuzz::inside(part, line)) return true;
        return false;
    };
    for (const check::Challenge& challenge : parser.challenges()) {
        fuzz::require(!challenge.scheme.empty(), "challenge without a scheme");
        fuzz::require(in_some_line(challenge.scheme), "scheme outside the field lines");
        fuzz::require(in_some_line(challenge.token68), "token68 outside the field lines");
        fuzz::require(challenge.token68.empty() || challenge.params.empty(),
                      "token68 and auth-params in one challenge");
        for (const check::AuthParam& param : challenge.params) {
            fuzz::require(!param.name.empty(), "auth-param without a name");
            fuzz::require(in_some_line(param.value), "auth-param value outside the field lines");
            fuzz::require(!param.quoted || (param.value.size() >= 2 && param.value.front() == '"' &&
                                            param.value.back() == '"'),
                          "quoted auth-param without its DQUOTEs");
        }
    }
    if (const auto& error = parser.error()) {
        fuzz::require(in_some_line(error->field_value), "error field value outside the input");
        fuzz::require(fuzz::inside(error->element, error->field_value), "error element outside its line");
    }
    return 0;
}

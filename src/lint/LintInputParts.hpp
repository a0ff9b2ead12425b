#pragma once
// The two input formats of load_lint_input, one file each.
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/lint/lint_input.hpp"

namespace cproxy::lint {

std::vector<LintExchange> load_har(std::string_view text, std::string_view source_name);
std::vector<LintExchange> load_raw_http(std::string_view text, std::string_view source_name);

// "<source>: <what>" as a LintInputError.
[[noreturn]] void fail(std::string_view source_name, std::string_view what);

// Text quoted for an error message: at most 60 characters, one line.
std::string excerpt(std::string_view text);

}  // namespace cproxy::lint

#pragma once
// The --findings file read back as data: each JSON Lines object with the keys of INTERFACE.md,
// so tests can pick an exchange's findings by its request target and count them by rule.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace it {

struct FindingLine {
    std::string rule;
    std::string level;
    std::string method;
    std::string target;
    int status = 0;
    std::int64_t exchange = 0;
    std::string message;
    std::string raw;  // the line as written
};

// Every line of `path` (none if the file does not exist); a line that is not a JSON object
// with a string "rule" becomes a FindingLine with an empty rule, so tests notice it.
std::vector<FindingLine> read_findings(const std::filesystem::path& path);
std::vector<FindingLine> findings_for_target(const std::vector<FindingLine>& all, std::string_view target);
std::map<std::string, std::size_t> count_by_rule(const std::vector<FindingLine>& findings);
// "rule=count, ..." for messages.
std::string describe_counts(const std::map<std::string, std::size_t>& counts);

}  // namespace it

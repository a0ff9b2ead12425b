#include "integration/support/FindingsFile.hpp"

#include <boost/json/parse.hpp>

#include "integration/support/TempDir.hpp"

namespace it {

namespace {

std::string string_of(const boost::json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

std::vector<FindingLine> read_findings(const std::filesystem::path& path) {
    std::vector<FindingLine> out;
    if (!std::filesystem::exists(path)) return out;
    for (auto& line : read_lines(path)) {
        FindingLine finding;
        boost::system::error_code ec;
        const auto value = boost::json::parse(line, ec);
        if (!ec && value.is_object()) {
            const auto& object = value.as_object();
            finding.rule = string_of(object, "rule");
            finding.level = string_of(object, "level");
            finding.method = string_of(object, "method");
            finding.target = string_of(object, "target");
            finding.message = string_of(object, "message");
            if (const auto* status = object.if_contains("status"); status && status->is_number())
                finding.status = status->to_number<int>();
            if (const auto* exchange = object.if_contains("exchange"); exchange && exchange->is_number())
                finding.exchange = exchange->to_number<std::int64_t>();
        }
        finding.raw = std::move(line);
        out.push_back(std::move(finding));
    }
    return out;
}

std::vector<FindingLine> findings_for_target(const std::vector<FindingLine>& all, std::string_view target) {
    std::vector<FindingLine> out;
    for (const auto& finding : all)
        if (finding.target == target) out.push_back(finding);
    return out;
}

std::map<std::string, std::size_t> count_by_rule(const std::vector<FindingLine>& findings) {
    std::map<std::string, std::size_t> counts;
    for (const auto& finding : findings) ++counts[finding.rule];
    return counts;
}

std::string describe_counts(const std::map<std::string, std::size_t>& counts) {
    std::string out;
    for (const auto& [rule, count] : counts) {
        if (!out.empty()) out += ", ";
        out += (rule.empty() ? "<unparsable>" : rule) + "=" + std::to_string(count);
    }
    return out.empty() ? "none" : out;
}

}  // namespace it

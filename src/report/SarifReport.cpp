#include "conformance_proxy/report/SarifReport.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

#include "report/Text.hpp"

namespace cproxy::report {

namespace json = boost::json;

namespace {

std::string_view sarif_level(check::Level level) {
    switch (level) {
        case check::Level::error: return "error";
        case check::Level::warning: return "warning";
        case check::Level::info: return "note";
    }
    return "error";
}

// Routes contain "{id}", which is not a URI character: percent-encode what a URI cannot hold.
std::string route_uri(std::string_view route) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : route) {
        if (std::isalnum(c) || std::string_view("-._~/:@!$&'()*+,;=%").find(static_cast<char>(c)) !=
                                   std::string_view::npos) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}


}  // namespace

std::string render_sarif(const ReportSnapshot& s, const SarifOptions& options) {
    json::array rules;
    std::vector<std::string> rule_ids;
    for (const auto& r : s.checked_rules) {
        json::object rule;
        rule["id"] = text::valid_utf8(r.id);
        rule["name"] = text::valid_utf8(r.id);
        json::object short_description;
        short_description["text"] = text::valid_utf8(r.summary.empty() ? r.id : r.summary);
        rule["shortDescription"] = std::move(short_description);
        json::object full_description;
        full_description["text"] = text::valid_utf8(
            (r.summary.empty() ? r.id : r.summary) + (r.reference.empty() ? "" : " (" + r.reference + ")"));
        rule["fullDescription"] = std::move(full_description);
        if (auto url = check::reference_url(r.reference); !url.empty()) rule["helpUri"] = url;
        json::object help;
        help["text"] = text::valid_utf8("See " + (r.reference.empty() ? r.id : r.reference));
        rule["help"] = std::move(help);
        json::object config;
        config["level"] = sarif_level(r.level);
        rule["defaultConfiguration"] = std::move(config);
        json::object props;
        props["reference"] = text::valid_utf8(r.reference);
        // SARIF viewers (GitHub code scanning among them) filter and group rules by tag.
        if (!r.subject.empty()) props["tags"] = json::array{json::string(text::valid_utf8(r.subject))};
        rule["properties"] = std::move(props);
        rules.push_back(std::move(rule));
        rule_ids.push_back(r.id);
    }

    json::array results;
    for (const auto& r : s.rules) {
        const auto it = std::find(rule_ids.begin(), rule_ids.end(), r.rule.id);
        for (const auto& hit : r.routes) {
            json::object result;
            result["ruleId"] = text::valid_utf8(r.rule.id);
            if (it != rule_ids.end()) result["ruleIndex"] = it - rule_ids.begin();
            result["level"] = sarif_level(hit.level);
            json::object message;
            message["text"] = text::valid_utf8(hit.message + " (seen " + std::to_string(hit.count) +
                                               (hit.count == 1 ? " time" : " times") + " on " + hit.route +
                                               ", e.g. " + hit.method + " " + hit.target + " -> " +
                                               std::to_string(hit.status) + ")");
            result["message"] = std::move(message);

            json::object logical;
            logical["name"] = text::valid_utf8(hit.route);
            logical["fullyQualifiedName"] = text::valid_utf8(hit.route);
            logical["kind"] = "resource";
            json::object artifact;
            artifact["uri"] = route_uri(text::valid_utf8(hit.route));
            json::object physical;
            physical["artifactLocation"] = std::move(artifact);
            json::object location;
            location["physicalLocation"] = std::move(physical);
            location["logicalLocations"] = json::array{std::move(logical)};
            result["locations"] = json::array{std::move(location)};
            result["occurrenceCount"] = hit.count;
            json::object fingerprints;
            fingerprints["ruleRoute/v1"] = text::valid_utf8(r.rule.id + " " + hit.route);
            result["partialFingerprints"] = std::move(fingerprints);
            // --baseline: SARIF's own baselineState, so code-scanning views can show only new results.
            if (s.baseline) result["baselineState"] = s.has_new_finding(r.rule.id, hit.route) ? "new" : "unchanged";
            results.push_back(std::move(result));
        }
    }

    json::object driver;
    driver["name"] = "conformance-proxy";
    driver["informationUri"] = options.information_uri;
    driver["version"] = options.version;
    driver["rules"] = std::move(rules);
    json::object tool;
    tool["driver"] = std::move(driver);
    json::object run;
    run["tool"] = std::move(tool);
    run["results"] = std::move(results);

    json::object root;
    root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    root["version"] = "2.1.0";
    root["runs"] = json::array{std::move(run)};
    return json::serialize(root) + "\n";
}

}  // namespace cproxy::report

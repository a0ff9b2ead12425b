#include "conformance_proxy/report/RuleCatalogue.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>

#include "conformance_proxy/check/rule.hpp"

namespace cproxy::report {

namespace {

// Pads to a width in characters (UTF-8 continuation bytes take no column: "§").
std::string padded(std::string_view text, std::size_t width) {
    std::string out(text);
    std::size_t columns = 0;
    for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (columns < width) out.append(width - columns, ' ');
    return out;
}

// A markdown table cell: '|' would end the cell.
std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string rule_catalogue_text() {
    std::string out = padded("ID", 46) + " " + padded("LEVEL", 8) + " " + padded("REFERENCE", 34) + " SUMMARY\n";
    for (const check::Rule* rule : check::all_rules()) {
        out += padded(rule->id, 46) + " " + padded(check::to_string(rule->level), 8) + " " +
               padded(rule->reference, 34) + " " + std::string(rule->summary) + "\n";
    }
    return out;
}

std::string rule_catalogue_json() {
    boost::json::array rules;
    for (const check::Rule* rule : check::all_rules()) {
        boost::json::object entry;
        entry["id"] = rule->id;
        entry["level"] = check::to_string(rule->level);
        entry["reference"] = rule->reference;
        entry["reference_url"] = check::reference_url(rule->reference);
        entry["summary"] = rule->summary;
        entry["subject"] = rule->subject;
        entry["about"] = check::to_string(rule->side);
        rules.push_back(std::move(entry));
    }
    return boost::json::serialize(rules) + "\n";
}

std::string rule_catalogue_markdown() {
    std::string out =
        "# Rules\n\n"
        "Every rule conformance-proxy checks, subject by subject, in the order the checker runs them.\n"
        "Ids are stable: re-level, disable or ignore them in the configuration (`rules:`, `ignore:`).\n"
        "Levels follow the RFC keyword: `error` for a MUST, `warning` for a SHOULD or a very likely\n"
        "mistake, `info` for advice. *About* says who has to change: the upstream's `response` or the\n"
        "client's `request`.\n\n"
        "This file is generated: `build/conformance-proxy rules --format markdown > docs/rules.md`.\n";
    std::string_view subject;
    std::size_t count = 0;
    for (const check::Rule* rule : check::all_rules()) {
        if (rule->subject != subject) {
            subject = rule->subject;
            out += "\n## " + std::string(subject) + "\n\n| id | level | about | reference | summary |\n|---|---|---|---|---|\n";
        }
        const std::string url = check::reference_url(rule->reference);
        const std::string reference = url.empty() ? cell(rule->reference) : "[" + cell(rule->reference) + "](" + url + ")";
        out += "| `" + std::string(rule->id) + "` | " + std::string(check::to_string(rule->level)) + " | " +
               std::string(check::to_string(rule->side)) + " | " + reference + " | " + cell(rule->summary) + " |\n";
        ++count;
    }
    out += "\n" + std::to_string(count) + " rules.\n";
    return out;
}

}  // namespace cproxy::report

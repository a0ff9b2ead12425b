#pragma once
// The rule catalogue as users read it: `conformance-proxy rules --format text|json|markdown`.
// docs/rules.md is the markdown form, committed; a test fails when it is stale.
#include <string>

namespace cproxy::report {

std::string rule_catalogue_text();
// An array of {id, level, reference, reference_url, summary, subject, about}, where subject is
// the rule's topic (caching, cookies, ...) and about is who has to change: "response" or "request".
std::string rule_catalogue_json();
std::string rule_catalogue_markdown();

}  // namespace cproxy::report

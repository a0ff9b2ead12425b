// HAR input with the JSON kept valid: lint_input mutates raw bytes and rarely gets past the
// JSON parser, so here the input's lines fill one HAR entry and the fuzzer explores what
// the entry holds rather than JSON syntax. Lines:
//   1 request.method   2 request.url   3 response.status   4 response.httpVersion
//   5 response.statusText   6 response.bodySize   7.. response headers "name:value"
// Lines 3 and 6 are JSON values when they parse as JSON (1e300, -1, "204", null ...), else
// strings; in header values the byte 0x1f stands for a newline (browsers join repeated
// fields with newlines).
#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "FuzzSupport.hpp"
#include "conformance_proxy/lint/lint_input.hpp"

using namespace cproxy;
namespace json = boost::json;

namespace {
json::value value_of(std::string_view line) {
    boost::system::error_code error;
    json::value value = json::parse(line, error);
    if (error) return json::string(line);
    return value;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const check::Checker checker;
    std::vector<std::string_view> lines = fuzz::split_lines(fuzz::as_text(data, size));
    lines.resize(std::max<std::size_t>(lines.size(), 6));

    json::array headers;
    for (std::size_t i = 6; i < lines.size(); ++i) {
        const std::size_t colon = lines[i].find(':');
        std::string value(colon == std::string_view::npos ? "" : lines[i].substr(colon + 1));
        std::replace(value.begin(), value.end(), '\x1f', '\n');
        headers.push_back(json::object{{"name", lines[i].substr(0, colon)}, {"value", value}});
    }
    json::object response{{"status", value_of(lines[2])},
                          {"httpVersion", lines[3]},
                          {"statusText", lines[4]},
                          {"headers", std::move(headers)}};
    if (!lines[5].empty()) response["bodySize"] = value_of(lines[5]);
    const json::value har = {
        {"log", {{"version", "1.2"},
                 {"entries", json::array{json::object{
                                 {"request", {{"method", lines[0]}, {"url", lines[1]}}},
                                 {"response", std::move(response)}}}}}}};

    try {
        const auto exchanges = lint::load_lint_input(json::serialize(har), "fuzz.har");
        for (const lint::LintExchange& exchange : exchanges) {
            check::Findings findings;
            lint::check_exchange(checker, exchange, findings);
        }
    } catch (const lint::LintInputError&) {
    }
    return 0;
}

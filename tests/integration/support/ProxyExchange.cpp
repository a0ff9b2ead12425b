#include "integration/support/ProxyExchange.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "integration/support/ProxyProcess.hpp"
#include "integration/support/RawClient.hpp"

namespace it {

std::string finding_rule(const std::string& line) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(line, ec);
    if (ec || !value.is_object()) return {};
    const auto* rule = value.as_object().if_contains("rule");
    return rule && rule->is_string() ? std::string(rule->as_string()) : std::string();
}

std::vector<std::string> ExchangeResult::rules() const {
    std::vector<std::string> ids;
    for (const auto& line : findings) ids.push_back(finding_rule(line));
    return ids;
}

bool ExchangeResult::has_finding(std::string_view rule) const {
    const auto ids = rules();
    return std::find(ids.begin(), ids.end(), rule) != ids.end();
}

ExchangeResult run_exchange_through_proxy(std::string raw_response, std::string request,
                                          const ExchangeOptions& options) {
    ScriptedUpstream upstream(std::move(raw_response), options.after);
    TempDir dir;
    const auto findings_path = dir.file("findings.jsonl");
    std::vector<std::string> args{"--upstream", upstream.url(), "--findings", findings_path.string()};
    args.insert(args.end(), options.proxy_args.begin(), options.proxy_args.end());
    ProxyProcess proxy(args);

    ExchangeResult result;
    {
        RawClient client(proxy.port());
        client.send(request);
        result.response = client.read_response(options.response_timeout, request.rfind("HEAD ", 0) == 0);
    }
    result.proxy_exit = proxy.stop();
    result.proxy_stderr = proxy.stderr_text();
    upstream.stop();
    result.upstream_requests = upstream.requests();
    if (std::filesystem::exists(findings_path)) result.findings = read_lines(findings_path);
    return result;
}

}  // namespace it

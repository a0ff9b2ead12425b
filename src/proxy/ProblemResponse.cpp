#include "proxy/ProblemResponse.hpp"

#include <boost/json.hpp>

#include "proxy/HttpDate.hpp"

namespace cproxy::proxy {

namespace http = boost::beast::http;

std::string problem_json(const Problem& problem) {
    boost::json::object body;
    body["type"] = "about:blank";
    body["title"] = problem.title;
    body["status"] = problem.status;
    body["detail"] = problem.detail;
    if (!problem.rules.empty()) {
        boost::json::array rules;
        for (const auto& id : problem.rules) rules.emplace_back(id);
        body["rules"] = std::move(rules);
    }
    return boost::json::serialize(body);
}

ProblemResponse make_problem_response(const Problem& problem, unsigned version, bool keep_alive,
                                      bool head_request) {
    ProblemResponse res{static_cast<http::status>(problem.status), version};
    res.set(http::field::date, http_date_now());
    res.set(http::field::server, "conformance-proxy");
    res.set(http::field::content_type, "application/problem+json");
    res.set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : problem.extra_fields) res.insert(name, value);
    res.body() = problem_json(problem);
    res.prepare_payload();
    if (head_request) {
        // HEAD: same fields, no content (Content-Length stays as it would be for GET).
        const auto length = res.body().size();
        res.body().clear();
        res.content_length(length);
    }
    res.keep_alive(keep_alive);
    return res;
}

}  // namespace cproxy::proxy

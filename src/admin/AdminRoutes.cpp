#include "admin/AdminRoutes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "conformance_proxy/report/HtmlReport.hpp"
#include "conformance_proxy/report/MetricsText.hpp"
#include "conformance_proxy/report/ReportJson.hpp"
#include "proxy/ProblemResponse.hpp"

namespace cproxy::admin {

AdminResponse admin_problem(unsigned status, std::string title, std::string detail) {
    AdminResponse res;
    res.status = status;
    res.content_type = "application/problem+json";
    res.body = proxy::problem_json(proxy::Problem(status, std::move(title), std::move(detail)));
    return res;
}

AdminResponse route_admin_request(std::string_view method, std::string_view target,
                                  const AdminRouteContext& context) {
    const auto path = target.substr(0, target.find('?'));
    enum class Page { none, dashboard, report_json, routes_json, metrics, healthz };
    Page page = Page::none;
    if (path == "/") page = Page::dashboard;
    else if (path == "/report.json") page = Page::report_json;
    else if (path == "/routes.json") page = Page::routes_json;
    else if (path == "/metrics") page = Page::metrics;
    else if (path == "/healthz") page = Page::healthz;

    if (page == Page::none)
        return admin_problem(404, "Not found",
                             "The admin server serves / (dashboard), /report.json, /routes.json, /metrics and /healthz.");
    if (method != "GET" && method != "HEAD") {
        auto res = admin_problem(405, "Method not allowed",
                                 std::string(path) + " is read-only: use GET or HEAD.");
        res.allow = admin_allowed_methods;
        return res;
    }

    AdminResponse res;
    if (page == Page::healthz) {
        // Liveness only: answering at all means the admin thread and its listener are alive.
        res.content_type = "text/plain; charset=utf-8";
        res.body = "ok\n";
        return res;
    }
    try {
        const auto snapshot = context.snapshot();
        switch (page) {
        case Page::dashboard: {
            report::HtmlOptions html;
            html.title = "Conformance dashboard";
            html.subject = context.subject;
            html.live = true;
            // Relative, so the page still works when mounted under a path by another proxy.
            html.report_json_url = "report.json";
            html.refresh_seconds = context.refresh_seconds;
            res.content_type = "text/html; charset=utf-8";
            res.body = report::render_html(snapshot, html);
            res.dashboard = true;
            break;
        }
        case Page::report_json:
            res.content_type = "application/json";
            res.body = report::render_report_json(snapshot);
            break;
        case Page::routes_json: {  // what `probe --from-admin` reads: templates, one example each
            boost::json::array routes;
            for (const auto& route : snapshot.routes)
                routes.push_back(boost::json::object{{"route", route.route}, {"example", route.example},
                                                     {"exchanges", route.exchanges}});
            res.content_type = "application/json";
            res.body = boost::json::serialize(boost::json::object{{"routes", std::move(routes)}});
            break;
        }
        default:
            res.content_type = std::string(report::metrics_content_type);
            res.body = report::render_metrics(snapshot);
            break;
        }
    } catch (const std::exception& e) {
        return admin_problem(500, "Report unavailable", std::string("Taking the report snapshot failed: ") + e.what());
    }
    return res;
}

}  // namespace cproxy::admin

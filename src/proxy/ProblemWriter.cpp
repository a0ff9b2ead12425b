#include "proxy/ProblemWriter.hpp"

#include <boost/beast/http/write.hpp>

namespace cproxy::proxy {

awaitable<bool> write_problem(AnyStream& client, Exchange& ex, const Problem& problem, bool keep_alive,
                              Watchdog& watchdog, std::chrono::milliseconds timeout) {
    if (ex.info.status != 0) co_return false;
    auto res = make_problem_response(problem, 11, keep_alive, ex.head_request);
    ex.info.status = problem.status;
    ex.info.response_bytes = res.body().size();
    if (ex.error.empty()) ex.error = problem.title;
    watchdog.arm(timeout);
    auto [ec, n] = co_await beast::http::async_write(client, res, nothrow_awaitable);
    co_return !ec && keep_alive;
}

}  // namespace cproxy::proxy

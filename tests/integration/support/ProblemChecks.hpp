#pragma once
// Assertions for the responses the proxy writes itself: RFC 9457 problem details with Date,
// Content-Type application/problem+json and a JSON body whose "status" is the status code.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "integration/support/HttpWire.hpp"
#include "integration/support/RawClient.hpp"

namespace it {

inline void check_problem_response(const HttpResponse& response, int status) {
    INFO("response head:\n" << response.head.raw << "body: " << response.body.bytes);
    CHECK(response.status == status);
    CHECK(response.head.has("Date"));
    CHECK(response.head.value("Content-Type") == "application/problem+json");
    CHECK(response.body.complete);
    CHECK(response.head.content_length() == response.body.size);
    boost::system::error_code ec;
    const auto json = boost::json::parse(response.body.bytes, ec);
    REQUIRE_MESSAGE(!ec, "the body is not JSON");
    REQUIRE(json.is_object());
    const auto* json_status = json.as_object().if_contains("status");
    REQUIRE(json_status);
    CHECK(json_status->to_number<int>() == status);
    const auto* title = json.as_object().if_contains("title");
    CHECK((title && title->is_string() && !title->as_string().empty()));
}

// Sends `request` on a connection of its own: the proxy answers `status` as a problem and
// closes the connection.
inline void expect_refused(std::uint16_t port, const std::string& request, int status) {
    RawClient client(port);
    client.send(request);
    const auto response = client.read_response(std::chrono::seconds(5));
    REQUIRE_MESSAGE(response, "no response");
    check_problem_response(*response, status);
    CHECK(response->head.tokens("Connection") == std::vector<std::string>{"close"});
    CHECK_MESSAGE(client.closed_by_peer(std::chrono::seconds(5)), "the proxy kept the connection open");
}

}  // namespace it

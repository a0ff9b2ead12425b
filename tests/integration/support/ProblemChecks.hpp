#pragma once
// Assertions for the responses the proxy writes itself: RFC 9457 problem details with Date,
// Content-Type application/problem+json and a JSON body whose "status" is the status code.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "integration/support/HttpWire.hpp"

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

}  // namespace it

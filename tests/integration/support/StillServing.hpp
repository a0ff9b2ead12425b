#pragma once
// After a fault (an upstream that broke off, a client that vanished): a normal request on a
// fresh connection is still answered, so the proxy survived it.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "integration/support/RawClient.hpp"

namespace it {

// Sends "GET /ok" on a new connection; the upstream must answer it with `body`.
inline void expect_still_serving(std::uint16_t port, const std::string& body = "ok") {
    RawClient client(port);
    client.send("GET /ok HTTP/1.1\r\nHost: still-serving.test\r\n\r\n");
    const auto response = client.read_response(std::chrono::seconds(5));
    REQUIRE_MESSAGE(response, "the proxy stopped serving");
    CHECK(response->status == 200);
    CHECK(response->body.bytes == body);
}

}  // namespace it

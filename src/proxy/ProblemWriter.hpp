#pragma once
// Writes a response of the proxy's own (ProblemResponse) to the client of an exchange.
#include <chrono>

#include "proxy/AnyStream.hpp"
#include "proxy/Awaitable.hpp"
#include "proxy/Exchange.hpp"
#include "proxy/ProblemResponse.hpp"
#include "proxy/Watchdog.hpp"

namespace cproxy::proxy {

// Records the problem in the exchange and writes it, unless a response already started
// (then only a close is left). Returns whether the connection stays open.
awaitable<bool> write_problem(AnyStream& client, Exchange& ex, const Problem& problem, bool keep_alive,
                              Watchdog& watchdog, std::chrono::milliseconds timeout);

}  // namespace cproxy::proxy

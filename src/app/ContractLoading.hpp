#pragma once
// --openapi FILE for the proxy and lint: loaded once at start-up, before any socket opens.
#include <memory>

#include "conformance_proxy/config/CommandLine.hpp"
#include "conformance_proxy/openapi/OpenApiDocument.hpp"

namespace cproxy::app {

// Null without --openapi. Throws openapi::OpenApiError (the file, the JSON pointer, the
// problem) for a document that cannot be used, and std::invalid_argument for
// --fail-on-coverage without --openapi; main turns both into exit status 2.
std::unique_ptr<openapi::OpenApiDocument> load_contract(const config::CommandLine& command_line);

}  // namespace cproxy::app

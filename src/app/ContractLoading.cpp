#include "app/ContractLoading.hpp"

#include <stdexcept>

namespace cproxy::app {

std::unique_ptr<openapi::OpenApiDocument> load_contract(const config::CommandLine& command_line) {
    if (command_line.openapi_path.empty()) {
        if (command_line.fail_on_coverage)
            throw std::invalid_argument("--fail-on-coverage needs the API description: add --openapi FILE");
        return nullptr;
    }
    return openapi::OpenApiDocument::load_file(command_line.openapi_path);
}

}  // namespace cproxy::app

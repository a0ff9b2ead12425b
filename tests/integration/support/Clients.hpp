#pragma once
// Real HTTP clients, run as commands with a bounded time: curl and Python's http.client.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "integration/support/HttpWire.hpp"
#include "integration/support/Process.hpp"

namespace it {

struct CurlResult {
    CommandResult command;
    std::vector<HttpResponse> responses;  // interim (1xx) ones first, then the final one
    bool ok() const { return command.exit_status == 0 && !responses.empty(); }
    const HttpResponse& final_response() const { return responses.back(); }
};

// curl -sS --include --noproxy '*' --max-time <timeout> ARGS... (response on stdout).
CurlResult curl(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(15),
                std::string_view input = {});

// /usr/bin/python3 (Debian's) when present, else python3 from PATH.
std::string python_interpreter();
// python3 -c SCRIPT ARGS... with `input` on stdin.
CommandResult run_python(std::string_view script, const std::vector<std::string>& args,
                         std::chrono::seconds timeout = std::chrono::seconds(20), std::string_view input = {});

}  // namespace it

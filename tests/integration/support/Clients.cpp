#include "integration/support/Clients.hpp"

#include <filesystem>

namespace it {

CurlResult curl(const std::vector<std::string>& args, std::chrono::seconds timeout, std::string_view input) {
    std::vector<std::string> argv{"curl", "-sS", "--include", "--noproxy", "*", "--max-time",
                                  std::to_string(timeout.count())};
    argv.insert(argv.end(), args.begin(), args.end());
    CurlResult result;
    result.command = run_command(argv, timeout + std::chrono::seconds(5), input);
    result.responses = parse_curl_include_output(result.command.out);
    return result;
}

std::string python_interpreter() {
    return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

CommandResult run_python(std::string_view script, const std::vector<std::string>& args, std::chrono::seconds timeout,
                         std::string_view input) {
    std::vector<std::string> argv{python_interpreter(), "-c", std::string(script)};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, timeout, input);
}

}  // namespace it

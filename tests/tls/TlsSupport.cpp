#include "tls/TlsSupport.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

namespace tlstest {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

bool wait_for_port(unsigned short port, std::chrono::milliseconds timeout) {
    return eventually(
        [port] {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            address.sin_port = htons(port);
            const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
            ::close(fd);
            return ok;
        },
        timeout);
}

std::string proxy_binary() {
    if (const char* binary = std::getenv("CPROXY_BINARY"); binary && *binary) return binary;
    return (source_dir() / "build" / "conformance-proxy").string();
}

fs::path source_dir() {
    if (const char* dir = std::getenv("CPROXY_SOURCE_DIR"); dir && *dir) return dir;
    return fs::current_path();
}

std::string python3() { return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

namespace {

// The port of the first "listening on http://HOST:PORT" (or https://) line, 0 if none yet.
unsigned short listening_port(const std::string& log) {
    const auto at = log.find("listening on http");
    if (at == std::string::npos) return 0;
    const auto scheme_end = log.find("://", at);
    if (scheme_end == std::string::npos) return 0;
    auto colon = log.find(':', scheme_end + 3);
    if (colon == std::string::npos) return 0;
    unsigned port = 0;
    std::size_t i = colon + 1;
    for (; i < log.size() && std::isdigit(static_cast<unsigned char>(log[i])); ++i) port = port * 10 + (log[i] - '0');
    return i > colon + 1 && port > 0 && port < 65536 ? static_cast<unsigned short>(port) : 0;
}

std::vector<std::string> proxy_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv{proxy_binary(), "--listen", "127.0.0.1:0"};
    if (std::find(args.begin(), args.end(), "--threads") == args.end()) argv.insert(argv.end(), {"--threads", "2"});
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

fs::path unique_log(const fs::path& dir, std::string_view stem) {
    static int counter = 0;
    return dir / (std::string(stem) + "-" + std::to_string(++counter) + ".log");
}

}  // namespace

ProxyProcess::ProxyProcess(const fs::path& work_dir, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env, std::chrono::milliseconds timeout)
    : stderr_path_(unique_log(work_dir, "proxy")),
      child_(proxy_argv(args), fs::path(stderr_path_).replace_extension(".out"), stderr_path_, env) {
    eventually(
        [&] {
            port_ = listening_port(read_file(stderr_path_));
            return port_ != 0 || !child_.running();
        },
        timeout);
}

std::string ProxyProcess::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

CommandResult run_proxy(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                        std::chrono::milliseconds timeout) {
    return run_command(proxy_argv(args), timeout, {}, env);
}

std::string HttpResult::header(std::string_view name) const {
    const std::string wanted = lower(name) + ":";
    std::istringstream lines(headers);
    std::string line;
    while (std::getline(lines, line)) {
        if (lower(line).rfind(wanted, 0) == 0) {
            std::string value = line.substr(wanted.size());
            const auto first = value.find_first_not_of(" \t");
            const auto last = value.find_last_not_of(" \t\r");
            return first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
        }
    }
    return {};
}

HttpResult curl(const std::string& url, const std::vector<std::string>& extra, std::chrono::milliseconds timeout) {
    const auto seconds = std::to_string(std::max<long long>(1, timeout.count() / 1000 - 1));
    std::vector<std::string> argv{"curl", "-sS", "-D", "/dev/stderr", "-o", "-", "--max-time", seconds,
                                  "-w", "\n@@status=%{http_code}"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(url);
    const auto run = run_command(argv, timeout);
    HttpResult result;
    result.curl_exit = run.exit_status;
    result.verbose = run.err;
    result.headers = run.err;  // -D /dev/stderr: the response heads land among curl's messages
    const auto marker = run.out.rfind("\n@@status=");
    if (marker != std::string::npos) {
        result.body = run.out.substr(0, marker);
        result.status = std::atoi(run.out.c_str() + marker + 10);
    } else {
        result.body = run.out;
    }
    return result;
}

}  // namespace tlstest

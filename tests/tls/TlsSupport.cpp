#include "tls/TlsSupport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace tlstest {

namespace {

int status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// argv and envp as C arrays for execvpe, kept alive by the owner.
struct ExecArgs {
    std::vector<std::string> env_storage;
    std::vector<char*> argv, envp;
    ExecArgs(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
        if (args.empty()) throw std::invalid_argument("empty command");
        for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        for (char** entry = environ; entry && *entry; ++entry) {
            const std::string_view text(*entry);
            const auto name = text.substr(0, text.find('='));
            if (!env.contains(std::string(name))) env_storage.emplace_back(text);
        }
        for (const auto& [name, value] : env) env_storage.push_back(name + "=" + value);
        for (auto& entry : env_storage) envp.push_back(entry.data());
        envp.push_back(nullptr);
    }
};

[[noreturn]] void exec_child(ExecArgs& exec) {
    ::setpgid(0, 0);  // its own process group: a stop reaches its children too
    ::execvpe(exec.argv[0], exec.argv.data(), exec.envp.data());
    const std::string message = std::string("exec ") + exec.argv[0] + ": " + std::strerror(errno) + "\n";
    (void)!::write(2, message.data(), message.size());
    ::_exit(127);
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

TempDir::TempDir(std::string_view prefix) {
    const char* base = std::getenv("TMPDIR");
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path candidate = fs::path(base && *base ? base : "/tmp") /
                             (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!std::getenv("CPROXY_KEEP_TMP")) fs::remove_all(path_, ec);
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout, std::string_view input,
                          const std::map<std::string, std::string>& env) {
    ExecArgs exec(argv, env);
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        exec_child(exec);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::signal(SIGPIPE, SIG_IGN);
    CommandResult result;
    std::size_t written = 0;
    int in_fd = in_pipe[1];
    if (input.empty()) {
        ::close(in_fd);
        in_fd = -1;
    }
    bool out_open = true, err_open = true;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out_open || err_open) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[3] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0},
                         {in_fd, POLLOUT, 0}};
        if (::poll(fds, 3, static_cast<int>(std::min<long long>(left.count(), 100))) < 0 && errno != EINTR) break;
        char buffer[16384];
        auto drain = [&](pollfd& fd, bool& open, std::string& into) {
            if (fd.fd < 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR))) return;
            const auto n = ::read(fd.fd, buffer, sizeof buffer);
            if (n > 0) into.append(buffer, static_cast<std::size_t>(n));
            else if (n == 0 || errno != EINTR) open = false;
        };
        drain(fds[0], out_open, result.out);
        drain(fds[1], err_open, result.err);
        if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const auto n = ::write(in_fd, input.data() + written, input.size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if (n < 0 || written == input.size()) {
                ::close(in_fd);
                in_fd = -1;
            }
        }
    }
    if (in_fd >= 0) ::close(in_fd);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    if (!result.timed_out) {
        // Output closed; the process ends at once or within the rest of the bound.
        for (;;) {
            const pid_t done = ::waitpid(pid, &status, WNOHANG);
            if (done == pid) break;
            if (std::chrono::steady_clock::now() >= deadline) {
                result.timed_out = true;
                ::kill(-pid, SIGKILL);
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    } else {
        ::waitpid(pid, &status, 0);
    }
    result.exit_status = status_code(status);
    return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const fs::path& stdout_path, const fs::path& stderr_path,
                           const std::map<std::string, std::string>& env) {
    ExecArgs exec(argv, env);
    const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || err < 0 || null < 0) throw std::runtime_error("cannot open the output files of " + argv[0]);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(null, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        exec_child(exec);
    }
    ::setpgid(pid_, pid_);
    ::close(out);
    ::close(err);
    ::close(null);
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0 && !status_) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        reap(true);
    }
}

bool ChildProcess::reap(bool block) {
    if (status_) return true;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (done == pid_) {
        status_ = status_code(status);
        return true;
    }
    return false;
}

bool ChildProcess::running() { return !reap(false); }

void ChildProcess::send_signal(int signal) {
    if (!status_) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    eventually([&] { return reap(false); }, timeout);
    return status_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
    send_signal(SIGTERM);
    if (auto status = wait_for_exit(grace)) return *status;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap(true);
    return *status_;
}

std::string read_file(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, std::string_view text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) throw std::runtime_error("cannot write " + path.string());
}

unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("cannot find a free port");
    ::close(fd);
    return ntohs(address.sin_port);
}

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

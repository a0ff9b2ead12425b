#include "integration/support/Process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace it {

namespace {

// Tests write to sockets and pipes whose peer may be gone: that is an error to check,
// not a reason for the test binary to die.
const bool sigpipe_ignored = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
}();

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::vector<char*> pointers(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& text : strings) out.push_back(const_cast<char*>(text.c_str()));
    out.push_back(nullptr);
    return out;
}

// The test's environment with `env` added or overriding, as NAME=value strings.
std::vector<std::string> merged_environment(const Environment& env) {
    std::vector<std::string> out;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view text(*entry);
        if (!env.contains(std::string(text.substr(0, text.find('='))))) out.emplace_back(text);
    }
    for (const auto& [name, value] : env) out.push_back(name + "=" + value);
    return out;
}

// What one of the child's descriptors becomes: a file opened by path, or another descriptor.
struct Redirect {
    int fd;
    int from = -1;
    std::string path;
    int flags = 0;
};

// fork + exec rather than posix_spawn, for PR_SET_PDEATHSIG: a test binary that crashes (or
// is killed by ctest's timeout) takes its proxy and servers with it instead of leaving them
// listening. The signal follows the spawning thread, which is the test's main thread here.
// The child leads its own process group, so that killing it reaches what it started (a shell
// script's server, nginx's workers).
pid_t spawn(const std::vector<std::string>& argv, const std::vector<Redirect>& redirects, const Environment& env) {
    if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
    (void)sigpipe_ignored;
    auto args = pointers(argv);
    const auto environment = merged_environment(env);
    auto envp = pointers(environment);
    int report[2];  // the child writes errno here if it cannot exec; CLOEXEC closes it on success
    if (::pipe2(report, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {  // only async-signal-safe calls until exec
        auto fail = [&] {
            const int error = errno;
            (void)!::write(report[1], &error, sizeof error);
            ::_exit(127);
        };
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) fail();
        ::setpgid(0, 0);
        ::signal(SIGPIPE, SIG_DFL);  // the test ignores it; the child starts with the default
        for (const auto& redirect : redirects) {
            const int source = redirect.path.empty() ? redirect.from : ::open(redirect.path.c_str(), redirect.flags, 0644);
            if (source < 0 || ::dup2(source, redirect.fd) < 0) fail();
            if (!redirect.path.empty()) ::close(source);
        }
        ::execvpe(args[0], args.data(), envp.data());
        fail();
    }
    if (pid > 0) ::setpgid(pid, pid);  // also here: the group exists before anyone signals it
    ::close(report[1]);
    if (pid < 0) {
        ::close(report[0]);
        throw std::runtime_error("fork failed for " + argv[0]);
    }
    int child_errno = 0;
    ssize_t n;
    while ((n = ::read(report[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
    }
    ::close(report[0]);
    if (n > 0) {
        ::waitpid(pid, nullptr, 0);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(child_errno));
    }
    return pid;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::string_view input, const Environment& env) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
        throw std::runtime_error("pipe2 failed");
    CommandResult result;
    pid_t pid = -1;
    try {
        pid = spawn(argv, {{0, in[0], {}, 0}, {1, out[1], {}, 0}, {2, err[1], {}, 0}}, env);
    } catch (...) {
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
        throw;
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
    int to_child = in[1];
    if (input.empty()) {
        ::close(to_child);
        to_child = -1;
    }

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int open_outputs = 2;
    while (open_outputs > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {to_child, POLLOUT, 0}};
        const int ready = ::poll(fds, to_child >= 0 ? 3 : 2, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char chunk[64 * 1024];
            const auto n = ::read(fds[i].fd, chunk, sizeof chunk);
            if (n > 0) {
                (i == 0 ? result.out : result.err).append(chunk, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                (i == 0 ? out[0] : err[0]) = -1;
                --open_outputs;
            }
        }
        if (to_child >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const auto n = ::write(to_child, input.data(), input.size());
            if (n > 0) input.remove_prefix(static_cast<std::size_t>(n));
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || input.empty()) {
                ::close(to_child);
                to_child = -1;
            }
        }
    }
    for (int fd : {out[0], err[0], to_child})
        if (fd >= 0) ::close(fd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_status = decode_status(status);
    ::kill(-pid, SIGKILL);  // leftovers in its group
    return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stdout_path,
                           const std::filesystem::path& stderr_path, const Environment& env) {
    constexpr int output = O_WRONLY | O_CREAT | O_TRUNC;
    const Redirect to_stderr = stderr_path.empty() ? Redirect{2, 1, {}, 0} : Redirect{2, -1, stderr_path.string(), output};
    pid_ = spawn(argv, {{0, -1, "/dev/null", O_RDONLY}, {1, -1, stdout_path.string(), output}, to_stderr}, env);
}

ChildProcess::~ChildProcess() {
    if (status_ || pid_ < 0) return;
    kill_group();
    reap(true);
}

void ChildProcess::kill_group() {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);  // in case it left its group
}

bool ChildProcess::reap(bool block) {
    if (status_) return true;
    int status = 0;
    pid_t r;
    while ((r = ::waitpid(pid_, &status, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
    }
    if (r != pid_) return false;
    status_ = decode_status(status);
    return true;
}

bool ChildProcess::running() { return !reap(false); }

void ChildProcess::send_signal(int signal) {
    if (!status_) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    eventually([this] { return reap(false); }, timeout);
    return status_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
    send_signal(SIGTERM);
    if (auto status = wait_for_exit(grace)) return *status;
    kill_group();
    reap(true);
    return *status_;
}

}  // namespace it

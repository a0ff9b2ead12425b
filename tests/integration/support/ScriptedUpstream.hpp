#pragma once
// An upstream that writes exact bytes: a loopback server on its own threads (one per
// connection) that reads each request by its framing, records it (head bytes, body and its
// SHA-256, connection number) and answers with whatever the test's script returns: raw
// bytes, delayed pieces, a generated stream, then keep the connection, close it, reset it,
// hang, or echo (a tunnel after 101).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/HttpWire.hpp"

namespace it {

struct ReceivedRequest {
    HttpHead head;
    std::string method;
    std::string target;
    Body body;                  // decoded; body.complete is false if the sender broke off
    std::size_t connection = 0; // 1 for the first connection the upstream accepted, ...
};

struct Reply {
    enum class After {
        keep_open,  // read the next request on this connection
        close,      // half-close after the reply (close-delimited bodies end here)
        reset,      // close with SO_LINGER 0: the peer sees a TCP RST
        hang,       // never answer more; read and discard until the peer closes
        echo,       // a tunnel: send back every byte received until the peer closes
    };
    struct Piece {
        std::chrono::milliseconds delay{0};  // before this piece
        std::string bytes;
    };
    // Sends `length` bytes after the pieces (e.g. a 100 MB body); returns false to stop.
    using Stream = std::function<bool(const std::function<bool(std::string_view)>& send)>;

    std::vector<Piece> pieces;
    Stream stream;
    After after = After::keep_open;

    static Reply bytes(std::string raw, After after = After::keep_open) { return Reply{{{{}, std::move(raw)}}, {}, after}; }
    static Reply nothing(After after) { return Reply{{}, {}, after}; }
};

// A complete "HTTP/1.1 <status>" response with Content-Length, for scripts that need no
// exact bytes. `extra` is field lines, each ending in "\r\n".
std::string http_response(int status, std::string_view body, std::string_view extra = "",
                          std::string_view content_type = "text/plain");

class ScriptedUpstream {
public:
    using Script = std::function<Reply(const ReceivedRequest&)>;

    explicit ScriptedUpstream(Script script);
    // Every request gets these bytes, and the connection stays open.
    explicit ScriptedUpstream(std::string raw_reply, Reply::After after = Reply::After::keep_open);
    ~ScriptedUpstream();
    ScriptedUpstream(const ScriptedUpstream&) = delete;
    ScriptedUpstream& operator=(const ScriptedUpstream&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url() const;
    // A copy, taken under the lock: keep it in a variable before taking references into it
    // (`const auto& head = upstream.requests()[0].head;` dangles; `request(0).head` is safe).
    std::vector<ReceivedRequest> requests() const;
    // The index-th request recorded (0-based); throws std::out_of_range if there is none yet.
    ReceivedRequest request(std::size_t index) const;
    std::size_t connections_accepted() const;
    // Waits until `count` requests were recorded (heads and bodies read, or broken off).
    bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
    bool wait_for_connections(std::size_t count, std::chrono::milliseconds timeout) const;
    // Waits until `count` request heads arrived (their bodies may still be on the way).
    bool wait_for_heads(std::size_t count, std::chrono::milliseconds timeout) const;
    // Waits until every accepted connection was closed (by either side).
    bool wait_for_idle(std::chrono::milliseconds timeout) const;
    void stop();  // closes the listener and every connection, joins the threads

private:
    void accept_loop();
    void serve(int fd, std::size_t number);
    bool perform(int fd, SocketReader& reader, const Reply& reply);
    bool pause(std::chrono::milliseconds delay);  // false if stopping
    void close_connection(int fd, bool reset);

    Script script_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<ReceivedRequest> requests_;
    std::vector<std::thread> workers_;
    std::vector<int> open_fds_;
    std::size_t accepted_ = 0;
    std::size_t heads_ = 0;
};

}  // namespace it

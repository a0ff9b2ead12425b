#pragma once
// A client that writes exact bytes on one TCP connection to 127.0.0.1 and reads responses
// back by their framing, every read bounded by a timeout.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "integration/support/HttpWire.hpp"

namespace it {

class RawClient {
public:
    explicit RawClient(std::uint16_t port);  // throws if the connection is refused
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // errno of a connect() to 127.0.0.1:port (0 when it succeeded), e.g. ECONNREFUSED.
    static int connect_error(std::uint16_t port);

    bool send(std::string_view bytes) { return send_all(fd_, bytes); }
    void shutdown_send();
    void close();  // a normal close (FIN)
    void abort();  // close with SO_LINGER 0 (RST)
    std::uint16_t local_port() const;

    // The next response on the connection (a 100 Continue is one too); nullopt if no complete
    // head arrived within `timeout`. `head_request`: the response has no body whatever it says.
    std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                              bool head_request = false);
    std::optional<std::string> read_until(std::string_view marker, std::chrono::milliseconds timeout);
    std::string read_to_close(std::chrono::milliseconds timeout);
    // True if the proxy closed (or reset) the connection within `timeout`.
    bool closed_by_peer(std::chrono::milliseconds timeout);
    SocketReader& reader() { return reader_; }

private:
    int fd_ = -1;
    SocketReader reader_;
};

}  // namespace it

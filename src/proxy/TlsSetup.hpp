#pragma once
// OpenSSL set-up for the two TLS roles: client towards https upstreams (verification on by
// default against the system CA store) and server for the --tls-cert listener.
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <string>
#include <string_view>

#include "conformance_proxy/proxy/ProxyOptions.hpp"

namespace cproxy::proxy {

// Throws std::runtime_error naming the file when a CA file cannot be loaded.
boost::asio::ssl::context make_upstream_tls_context(const ProxyOptions& options);
// TLS 1.2+, ALPN http/1.1. Throws std::runtime_error naming the file on a bad cert or key.
boost::asio::ssl::context make_listener_tls_context(const std::string& cert_file, const std::string& key_file);

// SNI and the expected host name (DNS name or IP address) for one connection; returns a
// problem text, empty on success.
std::string prepare_client_tls(SSL* ssl, std::string_view host);
// Why a handshake failed, in words a user can act on ("certificate has expired", ...).
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec);

}  // namespace cproxy::proxy

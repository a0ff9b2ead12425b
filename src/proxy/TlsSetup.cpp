#include "proxy/TlsSetup.hpp"

#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace cproxy::proxy {

namespace ssl = boost::asio::ssl;

ssl::context make_upstream_tls_context(const ProxyOptions& options) {
    ssl::context context(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    context.set_default_verify_paths();
    if (!options.upstream_ca_file.empty()) {
        boost::system::error_code ec;
        context.load_verify_file(options.upstream_ca_file, ec);
        if (ec)
            throw std::runtime_error("--upstream-ca '" + options.upstream_ca_file +
                                     "': cannot load CA certificates (" + ec.message() + ")");
    }
    context.set_verify_mode(options.upstream_insecure ? ssl::verify_none : ssl::verify_peer);
    return context;
}

namespace {

int select_http11(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                  unsigned int in_length, void*) {
    static const unsigned char http11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, out_length, http11, sizeof http11, in, in_length) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;  // the client offered no http/1.1: carry on without ALPN
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

}  // namespace

ssl::context make_listener_tls_context(const std::string& cert_file, const std::string& key_file) {
    ssl::context context(ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    context.set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
    boost::system::error_code ec;
    context.use_certificate_chain_file(cert_file, ec);
    if (ec) throw std::runtime_error("--tls-cert '" + cert_file + "': cannot load the certificate (" + ec.message() + ")");
    context.use_private_key_file(key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("--tls-key '" + key_file + "': cannot load the private key (" + ec.message() + ")");
    if (SSL_CTX_check_private_key(context.native_handle()) != 1)
        throw std::runtime_error("--tls-key '" + key_file + "' does not match the certificate in '" + cert_file + "'");
    SSL_CTX_set_alpn_select_cb(context.native_handle(), select_http11, nullptr);
    return context;
}

std::string prepare_client_tls(SSL* ssl, std::string_view host) {
    const std::string name{host};
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(name, ec);
    if (ec) {  // a DNS name: send SNI and verify the certificate against it
        if (SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) return "cannot set SNI for '" + name + "'";
        if (SSL_set1_host(ssl, name.c_str()) != 1) return "cannot set the expected host name '" + name + "'";
    } else {  // an IP address: no SNI (RFC 6066 §3), verify the certificate's IP SAN
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        if (X509_VERIFY_PARAM_set1_ip_asc(param, address.to_string().c_str()) != 1)
            return "cannot set the expected IP address '" + name + "'";
    }
    return {};
}

std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec) {
    const long verify = SSL_get_verify_result(ssl);
    switch (verify) {
    case X509_V_OK:
        return ec.message();
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return "the upstream's certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return "the upstream's certificate is not yet valid";
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return "the upstream's certificate is for another host (wrong host)";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        return std::string("the upstream's certificate is signed by an unknown CA (") +
               X509_verify_cert_error_string(verify) + "); pass its CA with --upstream-ca";
    default:
        return std::string("certificate verification failed: ") + X509_verify_cert_error_string(verify);
    }
}

}  // namespace cproxy::proxy

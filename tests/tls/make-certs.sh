#!/usr/bin/env bash
# Makes the throwaway PKI of the TLS tests in DIR with the openssl command line:
#   ca.pem / ca.key                 a test CA (the one the tests pass with --upstream-ca / --cacert)
#   server.pem / server.key         localhost + 127.0.0.1 (subjectAltName), signed by the CA
#   expired.pem / expired.key       localhost + 127.0.0.1, signed by the CA, expired in 2020
#   wronghost.pem / wronghost.key   wrong.example only, signed by the CA
#   selfsigned.pem / selfsigned.key localhost + 127.0.0.1, self-signed: an unknown CA
# OpenSSL 3.0's `x509 -req` cannot back-date a certificate, so the expired one comes from
# `openssl ca` with -startdate/-enddate.
#   tests/tls/make-certs.sh DIR
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"

quiet() { "$@" >/dev/null 2>&1 || { echo "make-certs.sh: failed: $*" >&2; "$@"; exit 1; }; }
key() { quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

san_local="subjectAltName=DNS:localhost,IP:127.0.0.1"

# The CA.
key ca.key
quiet openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=conformance-proxy test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# CSR + signature by the CA: leaf NAME SAN
leaf() {
  local name=$1 san=$2
  key "$name.key"
  quiet openssl req -new -key "$name.key" -subj "/CN=$name" -out "$name.csr"
  printf '%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' "$san" >"$name.ext"
  quiet openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 2 \
    -extfile "$name.ext" -out "$name.pem"
}
leaf server "$san_local"
leaf wronghost "subjectAltName=DNS:wrong.example"

# Expired: `openssl ca` takes explicit dates.
key expired.key
quiet openssl req -new -key expired.key -subj "/CN=expired" -out expired.csr
mkdir -p ca-db
: >ca-db/index.txt
echo 01 >ca-db/serial
cat >ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf_ext
unique_subject = no
[any]
commonName = supplied
[leaf_ext]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
$san_local
CNF
quiet openssl ca -batch -config ca.cnf -in expired.csr -out expired.pem -notext \
  -startdate 20200101000000Z -enddate 20200102000000Z

# Self-signed for localhost: nobody's CA.
key selfsigned.key
quiet openssl req -x509 -new -key selfsigned.key -sha256 -days 2 -subj "/CN=localhost" \
  -addext "$san_local" -out selfsigned.pem

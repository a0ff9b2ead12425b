#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. Idempotent and quiet when
# everything is already present; run by ./run.sh and ./test.sh, so a fresh machine needs
# nothing but these scripts.
set -euo pipefail

BUILD_PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libssl-dev libspdlog-dev libcli11-dev libyaml-cpp-dev libcrypt-dev doctest-dev
)
# Real peers and clients used by the tests: curl, Python, nginx, htpasswd, openssl.
TEST_PACKAGES=(curl python3 nginx-light apache2-utils openssl)

want=("${BUILD_PACKAGES[@]}")
[ "${1:-}" = "--with-tests" ] && want+=("${TEST_PACKAGES[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${missing[*]}" >&2
SUDO=(); [ "$(id -u)" -ne 0 ] && SUDO=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

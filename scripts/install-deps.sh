#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. Idempotent and quiet when
# everything is already present; run by ./run.sh and ./test.sh, so a fresh machine needs
# nothing but these scripts.
set -euo pipefail

BUILD_PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libssl-dev libspdlog-dev libcli11-dev libyaml-cpp-dev libcrypt-dev doctest-dev
  libvalijson-dev
)
# Real peers and clients used by the tests: curl, Python, Flask, nginx, Apache, htpasswd,
# openssl, and headless Chromium for the dashboard tests. apache2-bin, not apache2: the binary
# and its modules without a system service that would start on port 80.
# json-schema-test-suite: the official JSON Schema tests the OpenAPI validator is held to.
TEST_PACKAGES=(curl python3 python3-yaml python3-flask nginx-light apache2-bin apache2-utils openssl chromium json-schema-test-suite)
# libFuzzer targets (scripts/fuzz.sh): clang and its fuzzer/sanitizer runtimes. Only with
# --with-fuzz, so the normal build never needs clang.
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

# The profile-guided release build (scripts/build-release.sh) trains with a Python client.
RELEASE_PACKAGES=(python3)

# Load benchmark peers and driver (bench/load.sh, bench/memory.sh).
BENCH_PACKAGES=(nginx-light haproxy wrk curl python3 util-linux iproute2 libbenchmark-dev)

want=("${BUILD_PACKAGES[@]}")
for flag in "$@"; do
  case "$flag" in
    --with-tests) want+=("${TEST_PACKAGES[@]}") ;;
    --with-fuzz) want+=("${FUZZ_PACKAGES[@]}") ;;
    --with-bench) want+=("${BENCH_PACKAGES[@]}") ;;
    --with-release) want+=("${RELEASE_PACKAGES[@]}") ;;
    *) echo "install-deps.sh: unknown flag $flag (--with-tests, --with-fuzz, --with-bench, --with-release)" >&2; exit 2 ;;
  esac
done

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

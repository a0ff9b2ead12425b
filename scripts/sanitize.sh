#!/usr/bin/env bash
# Builds the test suite with AddressSanitizer + UndefinedBehaviorSanitizer (CPROXY_SANITIZE)
# into build-asan/ and runs it through ctest, leak checking on; any report fails the run.
#
#   scripts/sanitize.sh            every unit test, the integration tests and the TLS tests
#   scripts/sanitize.sh --unit     unit tests only (config_tests links the proxy library, so
#                                  the Beast translation units are built all the same)
#   scripts/sanitize.sh --pure     unit tests of the components without Beast (HTTP base layer,
#                                  checker, OpenAPI, auth, lint, reports): minutes instead of
#                                  the proxy's long build
#   scripts/sanitize.sh [--unit|--pure] -- [ctest args]   extra arguments for ctest
#
# Debug with -O1: fast enough to run the integration tests, with usable stack traces.
# JOBS (default 2) bounds the build's parallelism; the CI machines have 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

unit_only=0
pure_only=0
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --unit) unit_only=1 ;;
    --pure) unit_only=1; pure_only=1 ;;
    --) shift; ctest_args=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "sanitize.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

scripts/install-deps.sh --with-tests   # g++ brings libasan/libubsan; the tests need curl, nginx ...

source scripts/ccache-launcher.sh
if [ ! -f build-asan/build.ninja ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
    -DCPROXY_SANITIZE=ON "${launcher[@]}" >/dev/null
fi

# Only the test binaries that exist in this tree (a component without tests has no target).
wanted=(http_tests check_tests openapi_tests auth_tests report_tests lint_tests)
[ "$pure_only" = 1 ] || wanted+=(config_tests proxy_unit_tests probe_tests)
[ "$unit_only" = 1 ] || wanted+=(integration_tests tls_tests)
all_targets=$(ninja -C build-asan -t targets all 2>/dev/null | sed -n 's/^\([A-Za-z0-9_.-]*\): .*/\1/p')
targets=()
for t in "${wanted[@]}"; do
  grep -qx "$t" <<<"$all_targets" && targets+=("$t")
done
[ "$unit_only" = 1 ] || targets+=(conformance-proxy)   # the integration tests run the binary

start=$(date +%s)
cmake --build build-asan -j "${JOBS:-2}" --target "${targets[@]}"
echo "sanitize.sh: build took $(( $(date +%s) - start )) s" >&2

# detect_leaks: LeakSanitizer at exit; abort_on_error/halt_on_error: any report fails the test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

regex=$(IFS='|'; echo "^(${targets[*]})\$")
start=$(date +%s)
cd build-asan
ctest --output-on-failure --timeout 900 -j "${JOBS:-2}" -R "$regex" "${ctest_args[@]}"
echo "sanitize.sh: tests took $(( $(date +%s) - start )) s" >&2

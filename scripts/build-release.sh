#!/usr/bin/env bash
# The shipped binary, build-release/conformance-proxy: a profile-guided build (GCC's
# -fprofile-generate, then -fprofile-use). One exchange runs code spread over a large text (the
# session, Asio, Beast, two head parses, ~200 rules, the history, the record); laid out by a
# profile, that code misses the instruction cache less: ~9% more small responses per second
# (docs/performance.md, fifth pass). All in build-release/:
#   1. an instrumented build of the proxy;
#   2. training: the instrumented proxy in front of its own demo upstream, driven through every
#      demo endpoint by scripts/pgo-train.py (conformant and broken responses, HEAD, conditional,
#      range and CORS requests, bodies with Content-Length and chunked; not the benchmark's URL);
#   3. the same build again, optimized with the profile.
# About twice the time of `scripts/build.sh --target conformance-proxy`.
#
#   scripts/build-release.sh          build it (docker/Dockerfile, bench/load.sh)
#   scripts/build-release.sh --test   build it, then run the test suites that drive the binary
#                                     (integration, TLS, dashboard) against it: CI does, so what
#                                     ships is what the tests ran
set -euo pipefail
cd "$(dirname "$0")/.."
run_tests=0
case "${1:-}" in
  "") ;;
  --test) run_tests=1 ;;
  -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
  *) echo "build-release.sh: unknown argument $1 (--test or nothing)" >&2; exit 2 ;;
esac
scripts/install-deps.sh --with-release
DIR=$PWD/build-release
PROFILE=$DIR/profile
# GCC names each profile file after its object's absolute path, so both builds use the same
# directory. No ccache: an instrumented object cached from another checkout would write its
# profile into that checkout's directory. -O2 as scripts/build.sh, without -g (the image strips
# it anyway; GCC's code does not depend on it), which makes each build a quarter shorter.
configure() {
  cmake -S . -B "$DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
        -DCMAKE_CXX_COMPILER_LAUNCHER= -DCMAKE_CXX_FLAGS="$1 -fprofile-dir=$PROFILE" >/dev/null
}

echo "build-release.sh: 1/3 instrumented build" >&2
rm -rf "$PROFILE"
configure "-fprofile-generate -fprofile-update=atomic"
cmake --build "$DIR" --target conformance-proxy

echo "build-release.sh: 2/3 training the instrumented proxy through the demo upstream" >&2
log=$(mktemp)
proxy=""
stop_proxy() { [ -z "$proxy" ] || kill "$proxy" 2>/dev/null || true; rm -f "$log"; }
trap stop_proxy EXIT
# Port 0 would do for the proxy but not for the client, which must know it: ask the kernel for
# a free one, then retry on the rare race with another program taking it first.
for attempt in 1 2 3; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$DIR/conformance-proxy" --demo --listen "127.0.0.1:$port" --threads 1 --findings /dev/null --fail-on never \
    --log-level warn >"$log" 2>&1 &
  proxy=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$proxy" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$proxy" 2>/dev/null && break
  wait "$proxy" 2>/dev/null || true
  proxy=""
  [ "$attempt" -lt 3 ] || { cat "$log" >&2; echo "build-release.sh: the instrumented proxy did not start" >&2; exit 1; }
done
scripts/pgo-train.py "$port"
kill -INT "$proxy"  # the profile is written as the proxy exits
if ! wait "$proxy"; then
  cat "$log" >&2
  echo "build-release.sh: the instrumented proxy did not stop cleanly" >&2
  exit 1
fi
proxy=""
# Every object linked into the proxy writes its profile at exit; one missing means the
# optimized build below would quietly be an unguided one.
objects=$(find "$DIR/CMakeFiles" -name '*.o' | wc -l)
profiles=$(find "$PROFILE" -name '*.gcda' 2>/dev/null | wc -l)
if [ "$profiles" -ne "$objects" ]; then
  echo "build-release.sh: $profiles profile files in $PROFILE for $objects objects" >&2
  exit 1
fi

echo "build-release.sh: 3/3 optimized build with the profile" >&2
# -fprofile-partial-training: code the training did not reach is optimized as usual, not for size.
configure "-fprofile-use -fprofile-partial-training -Wno-missing-profile"
cmake --build "$DIR" --target conformance-proxy
"$DIR/conformance-proxy" --version

if [ "$run_tests" = 1 ]; then
  echo "build-release.sh: the suites that drive the binary, against build-release/conformance-proxy" >&2
  scripts/install-deps.sh --with-tests
  scripts/build.sh --target integration_tests tls_tests browser_tests
  export CPROXY_BINARY=$DIR/conformance-proxy CPROXY_SOURCE_DIR=$PWD
  for suite in integration_tests tls_tests browser_tests; do
    echo "build-release.sh: $suite" >&2
    (cd build && "./$suite")
  done
fi

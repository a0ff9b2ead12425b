#!/usr/bin/env bash
# Load benchmark: conformance-proxy against a direct connection, nginx and HAProxy, all in
# front of the same nginx upstream on loopback, measured with wrk in interleaved rounds
# (bench/peers.sh does the measuring; see its header for every knob).
#
#   bench/load.sh                 # 5 rounds of 8 s, small and 64 KiB responses
#   ROUNDS=7 DURATION=10s bench/load.sh
#   WORKERS=2 bench/load.sh       # two workers per proxy (our default --threads 0 = one per core)
#   FORWARDED=none bench/load.sh  # no proxy tells the upstream about the client
#   CANDIDATE_BIN=build/conformance-proxy bench/load.sh   # the plain build (scripts/build.sh)
#
# The candidate runs like the peers: WORKERS I/O threads (default 1, as many as the peers have
# workers), keep-alive to the upstream, report
# mode with every rule on and findings written to a JSON Lines file, access log off
# (the peers log nothing either). Every proxy sends the upstream the same request fields: by
# default X-Forwarded-For/-Proto/-Host (our default --forwarded x-forwarded; nginx and HAProxy
# configured to send them too, as in front of an app they usually are: otherwise the upstream
# parses three more fields from us, ~0.3 us of its CPU per request); FORWARDED=none: none of them. Only we add Via
# (RFC 9110 §7.6.3 asks it of a proxy; nginx and HAProxy do not).
set -euo pipefail
cd "$(dirname "$0")/.."
FORWARDED=${FORWARDED:-x-forwarded}
case "$FORWARDED" in
  x-forwarded) export PEER_FORWARDED=1 ;;
  none) export PEER_FORWARDED=0 ;;
  *) echo "load.sh: FORWARDED must be x-forwarded or none, not '$FORWARDED'" >&2; exit 2 ;;
esac
scripts/install-deps.sh --with-bench
# What is measured is what ships (docker/Dockerfile): the profile-guided release build, about
# 15 minutes on two cores before the first round. CANDIDATE_BIN=path measures another build.
BIN=${CANDIDATE_BIN:-}
if [ -z "$BIN" ]; then
  scripts/build-release.sh >/dev/null
  BIN=$PWD/build-release/conformance-proxy
fi
[ -x "$BIN" ] || { echo "load.sh: CANDIDATE_BIN=$BIN is not an executable" >&2; exit 2; }
export ROUNDS=${ROUNDS:-5}
# The nginx peer tuned as the issue asks: much faster than its defaults on 64 KiB bodies.
export NGINX_PROXY_OPTS=${NGINX_PROXY_OPTS:-"proxy_buffer_size 16k; proxy_buffers 4 64k; proxy_busy_buffers_size 64k;"}
export CANDIDATE_CMD="exec $BIN --listen 127.0.0.1:18083 --upstream http://127.0.0.1:18080 --threads \$PEERS_WORKERS \
  --forwarded $FORWARDED --mode report --findings \$PEERS_TMP/findings.jsonl --log-level warn"
exec bench/peers.sh

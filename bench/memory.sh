#!/usr/bin/env bash
# Memory benchmark for conformance-proxy (loopback only, stops everything it starts):
#  1. resident memory per idle keep-alive connection: RSS after 1,000 clients each made one
#     request and stayed connected, minus RSS before, divided by 1,000;
#  2. growth of resident memory while a 1 GiB response body streams through the proxy
#     (peak RSS during the download minus RSS before it).
# Goals: <= 64 KiB per idle connection; < 16 MiB growth for 1 GiB.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-bench
scripts/build.sh --target conformance-proxy >/dev/null
BIN=$PWD/build/conformance-proxy
CONNS=${CONNS:-1000}
TMP=$(mktemp -d /tmp/cp-memory.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
ulimit -n 8192 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 not open" >&2; exit 1; }

# Upstream: answers / with a small body and /big with 1 GiB generated on the fly.
UP=$(free_port)
cat >"$TMP/upstream.py" <<PY
import http.server, socketserver
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        size = (1 << 30) if self.path == "/big" else 6
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"x" * (1 << 20)
        left = size
        while left > 0:
            n = min(left, len(chunk)); self.wfile.write(chunk[:n] if size > 6 else b"hello\n"[:n]); left -= n
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 4096
S(("127.0.0.1", $UP), H).serve_forever()
PY
python3 "$TMP/upstream.py" & PIDS+=($!)
wait_port "$UP"
PORT=$(free_port)
"$BIN" --listen "127.0.0.1:$PORT" --upstream "http://127.0.0.1:$UP" --threads 1 --log-level warn \
  --findings "$TMP/findings.jsonl" & PROXY=$!; PIDS+=($PROXY)
wait_port "$PORT"
curl -s -o /dev/null "http://127.0.0.1:$PORT/"   # warm up: pools, logger, checker
sleep 0.5
before=$(rss_kib "$PROXY")

# 1,000 idle keep-alive clients, held open by one Python process.
python3 - "$PORT" "$CONNS" "$TMP/ready" <<'PY' & HOLDER=$!
import socket, sys, time
port, n, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
    socks.append(s)
for s in socks:
    data = b""
    while not data.endswith(b"hello\n"):
        data += s.recv(4096)
open(ready, "w").close()
time.sleep(30)
PY
PIDS+=($HOLDER)
for _ in $(seq 300); do [ -f "$TMP/ready" ] && break; sleep 0.1; done
[ -f "$TMP/ready" ] || { echo "clients did not connect" >&2; exit 1; }
sleep 0.5
idle=$(rss_kib "$PROXY")
kill "$HOLDER" 2>/dev/null || true
per_conn=$(( (idle - before) * 1024 / CONNS ))

# 1 GiB streamed through.
sleep 1
base=$(rss_kib "$PROXY")
curl -s -o /dev/null -w '' "http://127.0.0.1:$PORT/big"
peak=$(hwm_kib "$PROXY")
growth=$(( peak > base ? peak - base : 0 ))

echo "# conformance-proxy memory, 1 I/O thread, report mode, findings on"
echo "rss before: ${before} KiB; with $CONNS idle keep-alive connections: ${idle} KiB"
echo "per idle connection: $(( per_conn / 1024 )) KiB ($per_conn bytes)   goal <= 64 KiB"
echo "1 GiB streamed: peak rss ${peak} KiB vs ${base} KiB before: growth $(( growth / 1024 )) MiB   goal < 16 MiB"

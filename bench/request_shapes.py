#!/usr/bin/env python3
"""Sends malformed and borderline request shapes to conformance-proxy, nginx and HAProxy in
front of the same origin (a Python counting server), all on 127.0.0.1, and prints a markdown
table: the status each proxy answered (or "none"/"hang"), whether it closed the connection, and
whether the origin saw the request. Every wait is bounded.

  bench/request_shapes.py [--proxy build/conformance-proxy] [--keep]

nginx and HAProxy come from scripts/install-deps.sh --with-bench; a peer that is missing is
left out of the table.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import http.server

HOST = "Host: example.test\r\n"
CHUNKED = "POST /s HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"
SHAPES = [
    ("bare LF after the last chunk", (CHUNKED + "5\r\nhello\r\n0\r\n\n").encode()),
    ("Host: user@example.com", b"GET /s HTTP/1.1\r\nHost: user@example.com\r\n\r\n"),
    ("Host: example.com/path", b"GET /s HTTP/1.1\r\nHost: example.com/path\r\n\r\n"),
    ("empty Host, origin-form", b"GET /s HTTP/1.1\r\nHost:\r\n\r\n"),
    ("Host: a.example, b.example", b"GET /s HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n"),
    ("raw UTF-8 target /caf\\xC3\\xA9", b"GET /caf\xc3\xa9 HTTP/1.1\r\n" + HOST.encode() + b"\r\n"),
    ("overlong UTF-8 target /\\xC0\\xAF", b"GET /\xc0\xaf HTTP/1.1\r\n" + HOST.encode() + b"\r\n"),
    ("fragment GET /a#b", b"GET /a#b HTTP/1.1\r\n" + HOST.encode() + b"\r\n"),
    ("percent-encoded /caf%C3%A9 (fine)", b"GET /caf%C3%A9 HTTP/1.1\r\n" + HOST.encode() + b"\r\n"),
    ("100 KB method", b"G" * 100 * 1024 + b" / HTTP/1.1\r\n" + HOST.encode() + b"\r\n"),
    ("64 KiB chunk extension", (CHUNKED + "5;x=" + "a" * 65536 + "\r\nhello\r\n0\r\n\r\n").encode()),
    ("Content_Length / Transfer_Encoding", ("POST /s HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n"
                                            "Content_Length: 0\r\nTransfer_Encoding: chunked\r\n\r\nhello").encode()),
    ("Content-Length: 5, 5", ("POST /s HTTP/1.1\r\n" + HOST + "Content-Length: 5, 5\r\n\r\nhello").encode()),
    ("HTTP/1.2", b"GET /s HTTP/1.2\r\n" + HOST.encode() + b"\r\n"),
]


class Origin(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = []

    def handle_one(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        names = [n for n in self.headers.keys() if "_" in n]
        Origin.seen.append((self.requestline, names, self.headers.get_all("Content-Length")))
        reply = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = handle_one

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, ValueError):
            pass  # a peer that gave up on a malformed body


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, name):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"{name} exited before listening")
            time.sleep(0.1)
    sys.exit(f"{name} is not listening on {port}")


def send_shape(port, data, timeout=4.0):
    """Returns (status or 'none'/'hang', closed?)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        s.settimeout(timeout)
        received = b""
        start = time.monotonic()
        closed = False
        while time.monotonic() - start < timeout:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
            if b"\r\n\r\n" in received and not closed:
                s.settimeout(0.5)  # a response arrived: does the connection close soon?
        if not received:
            return ("hang" if not closed else "none"), closed
        status = received.split(b"\r\n", 1)[0].split(b" ")
        return (status[1].decode() if len(status) > 1 else "?"), closed
    finally:
        s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--proxy", default="build/conformance-proxy")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="shapes.")
    procs = []
    origin_port = free_port()
    origin = http.server.ThreadingHTTPServer(("127.0.0.1", origin_port), Origin)
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    peers = {}
    try:
        port = free_port()
        p = None if not os.path.exists(args.proxy) else subprocess.Popen([args.proxy, "--listen", f"127.0.0.1:{port}", "--upstream",
                              f"http://127.0.0.1:{origin_port}", "--log-level", "warn"],
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "proxy.log"), "w"),
                             start_new_session=True)
        if p:
            procs.append(p)
            wait_port(port, p, "conformance-proxy")
            peers["conformance-proxy"] = port
        else:
            print(f"no {args.proxy}: conformance-proxy left out", file=sys.stderr)
        if shutil.which("nginx"):
            port = free_port()
            conf = os.path.join(tmp, "nginx.conf")
            with open(conf, "w") as f:
                f.write(f"""daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log stderr warn;
events {{ worker_connections 256; }}
http {{ access_log off; client_body_temp_path {tmp}/b; proxy_temp_path {tmp}/p; fastcgi_temp_path {tmp}/f;
  uwsgi_temp_path {tmp}/u; scgi_temp_path {tmp}/s;
  server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://127.0.0.1:{origin_port};
    proxy_http_version 1.1; proxy_set_header Connection ""; }} }} }}
""")
            p = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(tmp, "nginx.log"), "w"), start_new_session=True)
            procs.append(p)
            wait_port(port, p, "nginx")
            peers["nginx"] = port
        if shutil.which("haproxy"):
            port = free_port()
            conf = os.path.join(tmp, "haproxy.cfg")
            with open(conf, "w") as f:
                f.write(f"""global
  maxconn 256
defaults
  mode http
  timeout connect 5s
  timeout client 10s
  timeout server 10s
frontend fe
  bind 127.0.0.1:{port}
  default_backend be
backend be
  server origin 127.0.0.1:{origin_port}
""")
            p = subprocess.Popen(["haproxy", "-db", "-f", conf], stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(tmp, "haproxy.log"), "w"), start_new_session=True)
            procs.append(p)
            wait_port(port, p, "haproxy")
            peers["HAProxy"] = port

        print("| shape | " + " | ".join(peers) + " |")
        print("|---|" + "---|" * len(peers))
        for name, data in SHAPES:
            cells = []
            for peer, port in peers.items():
                before = len(Origin.seen)
                status, closed = send_shape(port, data)
                time.sleep(0.2)
                reached = Origin.seen[before:]
                cell = status + (" close" if closed else " open")
                if reached:
                    line, underscored, lengths = reached[-1]
                    cell += " → origin"
                    if underscored:
                        cell += " (got " + ",".join(underscored) + ")"
                    if lengths and lengths != ["5"]:
                        cell += " (CL " + "|".join(lengths) + ")"
                    if "HTTP/1.2" in line:
                        cell += " (as 1.2)"
                cells.append(cell)
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=5)
            except Exception:
                os.killpg(p.pid, signal.SIGKILL)
        origin.shutdown()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp, file=sys.stderr)


if __name__ == "__main__":
    main()

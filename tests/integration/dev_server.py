#!/usr/bin/env python3
"""A Python http.server dev server as an upstream for the integration tests.

--single: http.server.HTTPServer with protocol_version HTTP/1.1, which serves one connection
at a time and keeps it alive (a framework's dev server); otherwise ThreadingHTTPServer.
GET answers 200 with a short body naming the path. POST answers 413 at once, without reading
the body (with Content-Length, or delimited by the close for /no-length), and closes: the early error response of RFC 9112 §9.5 (with the unread body in its
socket, the close becomes a reset). Prints "listening PORT" when ready; runs until killed or
for --lifetime seconds.
"""
import argparse
import http.server
import os
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = ("served " + self.path + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = b"upload refused before reading it\n"
        self.send_response(413)
        self.send_header("Content-Type", "text/plain")
        if self.path != "/no-length":  # else the body ends with the close (as tornado's do)
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--single", action="store_true")
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()
    server_class = http.server.HTTPServer if args.single else http.server.ThreadingHTTPServer
    server = server_class(("127.0.0.1", 0), Handler)
    print("listening %d" % server.server_address[1], flush=True)
    # A bound even if the test that started it dies: the one-connection server may never return.
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()

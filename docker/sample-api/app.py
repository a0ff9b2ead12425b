#!/usr/bin/env python3
"""A tiny items API for the compose test stack: one conformant resource and one that breaks
RFC 9110 on purpose, so the stack shows the proxy failing a build.

  GET    /healthz          200 "ok"
  GET    /api/items        200 JSON list            (conformant)
  GET    /api/items/{id}   200 JSON item, 404 problem+json for an unknown id
  DELETE /api/items/{id}   405: items are read-only. Without SAMPLE_API_FIXED=1 the 405 has no
                           Allow field, which RFC 9110 §15.5.6 requires (rule 405-missing-allow,
                           level error); with SAMPLE_API_FIXED=1 it sends "Allow: GET, HEAD".

Standard library only. Listens on $PORT (default 8000) on all addresses, $HOST to change that.
"""
import json
import os
import re
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEMS = {1: {"id": 1, "name": "kettle"}, 2: {"id": 2, "name": "teapot"}}
FIXED = os.environ.get("SAMPLE_API_FIXED", "0").lower() in ("1", "true", "yes", "on")
ITEM_PATH = re.compile(r"^/api/items/(\d+)$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, Content-Length on every response
    server_version = "sample-api/1.0"
    # Head and body leave in two writes; with Nagle on, the body waits ~40 ms for the proxy's
    # delayed ACK on every kept-alive connection.
    disable_nagle_algorithm = True

    def send_body(self, status, body, content_type="application/json", extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def problem(self, status, title, extra=()):
        body = json.dumps({"type": "about:blank", "title": title, "status": status})
        self.send_body(status, body, "application/problem+json", extra)

    def do_GET(self):
        if self.path == "/healthz":
            return self.send_body(200, "ok\n", "text/plain; charset=utf-8")
        if self.path == "/api/items":
            return self.send_body(200, json.dumps(list(ITEMS.values())))
        match = ITEM_PATH.match(self.path)
        if match:
            item = ITEMS.get(int(match.group(1)))
            if item is None:
                return self.problem(404, "No such item")
            return self.send_body(200, json.dumps(item))
        return self.problem(404, "Not found")

    do_HEAD = do_GET

    def do_DELETE(self):
        if ITEM_PATH.match(self.path) or self.path == "/api/items":
            allow = [("Allow", "GET, HEAD")] if FIXED else []  # the bug the proxy catches
            return self.problem(405, "Items are read-only", allow)
        return self.problem(404, "Not found")

    def log_message(self, fmt, *args):
        sys.stderr.write("sample-api: %s %s\n" % (self.address_string(), fmt % args))


def main():
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    # SIGTERM (docker stop) ends serve_forever like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    print("sample-api: listening on %s:%d (%s)" % (host, server.server_address[1],
          "fixed" if FIXED else "with a deliberate RFC 9110 bug"), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()

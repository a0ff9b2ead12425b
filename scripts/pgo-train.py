#!/usr/bin/env python3
"""Training traffic for the profile-guided release build (scripts/build-release.sh; figures in
docs/performance.md, fifth pass).

Drives a proxy started with --demo through every endpoint of the built-in demo upstream:
conformant and broken responses, HEAD, conditional, range and CORS requests, request bodies
sent with Content-Length and chunked, over eight keep-alive connections at once. The profile
then describes what the proxy does in front of an application, not the load benchmark's one
URL (training on the benchmark's own traffic would flatter the benchmark).

    bench/pgo-train.py PORT [REQUESTS]     # default 40000 requests; exits 1 if one went unanswered
"""
import http.client
import sys
import threading

ENDPOINTS = ["/", "/api/items", "/api/items/7", "/admin", "/login", "/upload", "/old-page",
             "/csrf", "/busy", "/nodate", "/api/profile", "/session", "/api/public",
             "/static/app.js", "/health", "/missing?q=1"]


def requests_of(round_no):
    """One round of varied requests: (method, target, headers, body)."""
    for path in ENDPOINTS:
        yield "GET", path, {"Accept": "application/json, */*;q=0.5", "User-Agent": "pgo-train"}, None
    yield "HEAD", "/api/items", {}, None
    yield "GET", "/api/profile", {"If-None-Match": '"5f3c1a2b-1a4", W/"x"'}, None
    yield "GET", "/api/items", {"Range": "bytes=0-9", "Origin": "http://localhost:3000"}, None
    yield "GET", "/", {"Cookie": "sid=abc; theme=dark", "Accept-Encoding": "gzip, br"}, None
    yield "DELETE", "/api/items/7", {}, None
    yield "POST", "/upload", {"Content-Type": "application/json"}, b'{"name":"teapot","n":%d}' % round_no
    yield "PUT", "/api/items/7", {"Content-Type": "text/plain", "Transfer-Encoding": "chunked"}, \
        b"5\r\nhello\r\n0\r\n\r\n"
    yield "OPTIONS", "/api/public", {"Origin": "http://localhost:3000",
                                     "Access-Control-Request-Method": "PUT"}, None


def client(port, rounds, failures):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for r in range(rounds):
            for method, target, headers, body in requests_of(r):
                if headers.get("Transfer-Encoding") == "chunked":
                    conn.putrequest(method, target)
                    for name, value in headers.items():
                        conn.putheader(name, value)
                    conn.endheaders()
                    conn.send(body)
                else:
                    conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    except (OSError, http.client.HTTPException) as e:
        failures.append(repr(e))
    finally:
        conn.close()


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: pgo-train.py PORT [REQUESTS]")
    port = int(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) == 3 else 40000
    per_round = sum(1 for _ in requests_of(0))
    connections = 8
    rounds = max(1, total // (per_round * connections))
    failures = []
    threads = [threading.Thread(target=client, args=(port, rounds, failures)) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit("pgo-train.py: the proxy did not answer every request: " + failures[0])
    print(f"pgo-train.py: {rounds * per_round * connections} requests over {connections} connections")


if __name__ == "__main__":
    main()

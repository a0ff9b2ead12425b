#!/usr/bin/env python3
"""The test runner of the compose stack: drives the sample API through conformance-proxy, then
asks the proxy (admin /report.json) what it found, and exits like the proxy's --fail-on does.

  API_BASE_URL     where the API is reached through the proxy   (default http://proxy:8080)
  PROXY_ADMIN_URL  the proxy's admin server                     (default http://proxy:9090)
  FAIL_ON          error | warning | info | never               (default error)
  WAIT_SECONDS     how long to wait for the stack to come up    (default 60)

Exit status: 0 when every API check passed and no finding at or above FAIL_ON was recorded;
1 otherwise; 2 when the stack did not come up. When the runner exits, `docker compose up
--exit-code-from ...` stops the proxy with SIGTERM: it writes its reports (JUnit, HTML, JSON
Lines) to the reports volume and exits with its own --fail-on status, so the build fails
whichever of the two services gives the exit code. Standard library only.
"""
import http.client
import json
import os
import sys
import time
from urllib.parse import urlsplit

API = os.environ.get("API_BASE_URL", "http://proxy:8080").rstrip("/")
ADMIN = os.environ.get("PROXY_ADMIN_URL", "http://proxy:9090").rstrip("/")
FAIL_ON = os.environ.get("FAIL_ON", "error")
WAIT_SECONDS = float(os.environ.get("WAIT_SECONDS", "60"))
LEVELS = ["info", "warning", "error"]


def request(base, method, path, timeout=10):
    """(status, headers dict with lower-case names, body bytes); raises OSError on failure."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
    try:
        connection.request(method, path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def wait_until_up():
    """How many probes went through the proxy (it records each one), or None if it never came up."""
    deadline = time.monotonic() + WAIT_SECONDS
    last = "nothing tried"
    probes_answered = 0
    while time.monotonic() < deadline:
        try:
            admin_status = request(ADMIN, "GET", "/healthz", timeout=2)[0]
            api_status = request(API, "GET", "/healthz", timeout=2)[0]
            probes_answered += 1
            if admin_status == 200 and api_status == 200:
                return probes_answered
            last = "admin /healthz %d, API /healthz through the proxy %d" % (admin_status, api_status)
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    print("runner: the stack did not come up within %gs (%s)" % (WAIT_SECONDS, last), flush=True)
    return None


def enforced(status, headers, body):
    """A 502 that the proxy wrote in --mode enforce instead of a response with error findings."""
    return status == 502 and headers.get("content-type", "").startswith("application/problem+json")


# (method, path, expected status, check of the body or None, what it shows)
CHECKS = [
    ("GET", "/api/items", 200, lambda b: len(json.loads(b)) == 2, "the item list"),
    ("GET", "/api/items/1", 200, lambda b: json.loads(b)["name"] == "kettle", "one item"),
    ("HEAD", "/api/items", 200, lambda b: b == b"", "HEAD without a body"),
    ("GET", "/api/items/99", 404, None, "an unknown item"),
    ("DELETE", "/api/items/1", 405, None, "items are read-only"),
]


def run_checks():
    failures = 0
    for method, path, expected, check, what in CHECKS:
        try:
            status, headers, body = request(API, method, path)
        except OSError as error:
            print("runner: FAIL %s %s (%s): %s" % (method, path, what, error), flush=True)
            failures += 1
            continue
        if status != expected and enforced(status, headers, body):
            print("runner: ENFORCED %s %s -> 502 by the proxy: %s" % (method, path, body.decode(errors="replace")),
                  flush=True)
            continue  # counted by the findings below
        ok = status == expected and (check is None or check(body))
        print("runner: %s %s %s -> %d (%s)" % ("ok  " if ok else "FAIL", method, path, status, what), flush=True)
        failures += 0 if ok else 1
    return failures


def findings_report(expected_exchanges):
    """The proxy's /report.json once it has recorded `expected_exchanges` (bounded wait).

    The proxy records an exchange after the client has its response, so the count can lag
    behind the last answer we read: wait for it rather than read a report one exchange short."""
    deadline = time.monotonic() + 10
    report = {}
    while time.monotonic() < deadline:
        status, _, body = request(ADMIN, "GET", "/report.json")
        report = json.loads(body) if status == 200 else report
        if report.get("exchanges", 0) >= expected_exchanges:
            break
        time.sleep(0.1)
    return report


def main():
    if FAIL_ON not in LEVELS + ["never"]:
        print("runner: FAIL_ON must be error, warning, info or never, got %r" % FAIL_ON, flush=True)
        return 2
    probes = wait_until_up()
    if probes is None:
        return 2
    failures = run_checks()
    # The start-up probes went through the proxy too: count our checks on top of them.
    report = findings_report(probes + len(CHECKS))
    counts = report.get("findings", {})
    print("runner: proxy saw %d exchange(s), findings: %d error, %d warning, %d info" % (
        report.get("exchanges", 0), counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0)),
        flush=True)
    for entry in report.get("rules", []):
        rule = entry.get("rule", entry)  # the rule's id, level and reference
        example = entry.get("example", {}) or {}
        level = entry.get("effective_level") or rule.get("level")
        print("runner:   [%s] %s x%d (%s) %s" % (level, rule.get("id"), entry.get("count", 0),
                                                 rule.get("reference", ""), example.get("message", "")), flush=True)
    gating = [] if FAIL_ON == "never" else LEVELS[LEVELS.index(FAIL_ON):]  # checked in main()
    blocking = sum(counts.get(level, 0) for level in gating)
    if failures or blocking:
        print("runner: FAILED: %d API check(s) failed, %d finding(s) at or above %s" % (failures, blocking, FAIL_ON),
              flush=True)
        return 1
    print("runner: passed: the API answered as expected and conformed to the RFCs", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

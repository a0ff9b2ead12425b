#!/usr/bin/env python3
"""Pools the rounds of several bench runs: the candidate against the better peer of each round.

One run of 5-7 rounds cannot resolve a few percent on a noisy machine; many runs together can.
Feed it the progress logs (stderr) of bench/load.sh or bench/peers.sh:

    for i in 1 2 3; do bench/load.sh 2>run$i.log >/dev/null; done
    bench/pooled.py run*.log

Per response size: the geometric mean of candidate / better peer over all rounds with its 95%
confidence interval (normal approximation on the logs, rounds taken as independent; rounds of
one run share the machine's mood, so pool several runs before trusting a narrow interval), the
rounds ahead, and the median of candidate p99 minus the better p99 of the same round. Then
the same ratio against nginx alone ("<size> vs nginx:"), the bar the project sets for itself.
"""
import math
import re
import statistics
import sys

ROUND = re.compile(
    r"round (\d+)/\d+ (\S+) (\w+): ([\d.]+) req/s p50 [\d.]+ms p99 ([\d.]+)ms")
PEERS = ("nginx", "haproxy")


def rounds_of(path):
    """{(round, size): {target: (rps, p99)}} for every complete round in one log."""
    found = {}
    with open(path, encoding="utf-8") as log:
        for line in log:
            match = ROUND.search(line)
            if match:
                number, size, target, rps, p99 = match.groups()
                found.setdefault((int(number), size), {})[target] = (float(rps), float(p99))
    return {key: targets for key, targets in found.items()
            if "candidate" in targets and all(peer in targets for peer in PEERS)}


def main(paths):
    if not paths:
        sys.exit(__doc__.strip())
    by_size = {}
    vs_nginx = {}
    for path in paths:
        try:
            rounds = rounds_of(path)
        except OSError as error:
            sys.exit(f"pooled.py: cannot read {path}: {error.strerror}")
        if not rounds:
            sys.exit(f"pooled.py: {path}: no complete round with a candidate and both peers")
        for (_, size), targets in rounds.items():
            rps, p99 = targets["candidate"]
            better_rps = max(targets[peer][0] for peer in PEERS)
            better_p99 = min(targets[peer][1] for peer in PEERS)
            by_size.setdefault(size, []).append((math.log(rps / better_rps), p99 - better_p99))
            nginx_rps, nginx_p99 = targets["nginx"]
            vs_nginx.setdefault(size, []).append((math.log(rps / nginx_rps), p99 - nginx_p99))
    print(f"{len(paths)} run(s); candidate / better peer of the same round")
    for size, pairs in by_size.items():
        print(f"{size:>6}: {summary(pairs, 'the better peer')}")
    print("candidate / nginx of the same round")
    for size, pairs in vs_nginx.items():
        print(f"{size:>6} vs nginx: {summary(pairs, 'nginx')}")


def summary(pairs, peer):
    """'0.950x geo-mean, 95% CI ..., ahead in a/b rounds; p99 minus <peer>'s: median ...'."""
    logs = [log_ratio for log_ratio, _ in pairs]
    mean = statistics.fmean(logs)
    if len(logs) > 1:
        half = 1.96 * statistics.stdev(logs) / math.sqrt(len(logs))
        interval = f"95% CI {math.exp(mean - half):.3f}-{math.exp(mean + half):.3f}"
    else:
        interval = "no CI from one round"
    ahead = sum(log_ratio >= 0 for log_ratio in logs)
    p99 = statistics.median(diff for _, diff in pairs)
    return (f"{math.exp(mean):.3f}x geo-mean, {interval}, ahead in {ahead}/{len(logs)} "
            f"rounds; p99 minus {peer}'s: median {p99:+.2f} ms")

if __name__ == "__main__":
    main(sys.argv[1:])

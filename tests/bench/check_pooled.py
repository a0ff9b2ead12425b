#!/usr/bin/env python3
"""bench/pooled.py on progress logs written the way bench/peers.sh writes them.

  tests/bench/check_pooled.py   (ctest runs it as bench_tools_tests)
"""
import math
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

POOLED = Path(__file__).resolve().parents[2] / "bench" / "pooled.py"


def progress_line(number, size, target, rps, p99):
    return (f"[peers 12:00:00] round {number}/3 {size} {target}: {rps} req/s "
            f"p50 0.500ms p99 {p99:.3f}ms errors 0\n")


class PooledTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def log(self, name, rounds):
        """rounds: [(size, {target: (rps, p99)})]; numbered in order per size."""
        path = Path(self.dir.name) / name
        numbers = {}
        with open(path, "w", encoding="utf-8") as out:
            out.write("[peers 12:00:00] started direct pid 1 on 127.0.0.1:18080\n")
            for size, targets in rounds:
                numbers[size] = numbers.get(size, 0) + 1
                for target, (rps, p99) in targets.items():
                    out.write(progress_line(numbers[size], size, target, rps, p99))
        return str(path)

    def run_pooled(self, *paths):
        return subprocess.run([sys.executable, str(POOLED), *paths], capture_output=True,
                              text=True, timeout=30)

    def line_for(self, output, size):
        for line in output.splitlines():
            if line.strip().startswith(size + ":"):
                return line
        self.fail(f"no line for {size} in:\n{output}")

    def test_each_round_is_compared_with_the_better_peer_of_that_round(self):
        # Round 1: HAProxy is the better peer (candidate 1.10x it, 1.21x nginx);
        # round 2: nginx is (candidate 0.90x it). Geo-mean sqrt(1.1 * 0.9) = 0.995.
        first = self.log("one.log", [
            ("small", {"direct": (300.0, 0.2), "nginx": (100.0, 2.0), "haproxy": (110.0, 1.5),
                       "candidate": (121.0, 1.2)}),
            ("small", {"nginx": (200.0, 1.0), "haproxy": (150.0, 3.0), "candidate": (180.0, 1.4)}),
        ])
        result = self.run_pooled(first)
        self.assertEqual(result.returncode, 0, result.stderr)
        line = self.line_for(result.stdout, "small")
        self.assertIn(f"{math.sqrt(1.1 * 0.9):.3f}x geo-mean", line)
        self.assertIn("ahead in 1/2 rounds", line)
        # p99 against the lower peer p99 of each round: 1.2 - 1.5 = -0.3, 1.4 - 1.0 = +0.4.
        self.assertIn("median +0.05 ms", line)
        interval = re.search(r"95% CI ([\d.]+)-([\d.]+)", line)
        self.assertIsNotNone(interval, line)
        self.assertLess(float(interval[1]), 0.995)
        self.assertGreater(float(interval[2]), 0.995)
        # Against nginx alone, round by round: 1.21x and 0.90x; p99 1.2 - 2.0 and 1.4 - 1.0.
        against_nginx = self.line_for(result.stdout, "small vs nginx")
        self.assertIn(f"{math.sqrt(1.21 * 0.9):.3f}x geo-mean", against_nginx)
        self.assertIn("ahead in 1/2 rounds", against_nginx)
        self.assertIn("p99 minus nginx's: median -0.20 ms", against_nginx)

    def test_rounds_of_several_runs_are_pooled_per_size(self):
        runs = [self.log(f"run{i}.log", [
            ("small", {"nginx": (100.0, 1.0), "haproxy": (90.0, 1.0), "candidate": (rps, 1.0)}),
            ("64k", {"nginx": (50.0, 3.0), "haproxy": (40.0, 4.0), "candidate": (60.0, 2.5)}),
        ]) for i, rps in enumerate((105.0, 95.0, 120.0))]
        result = self.run_pooled(*runs)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith("3 run(s)"), result.stdout)
        small = self.line_for(result.stdout, "small")
        self.assertIn(f"{(1.05 * 0.95 * 1.2) ** (1 / 3):.3f}x geo-mean", small)
        self.assertIn("ahead in 2/3 rounds", small)
        big = self.line_for(result.stdout, "64k")
        self.assertIn("1.200x geo-mean", big)
        self.assertIn("ahead in 3/3 rounds", big)
        self.assertIn("median -0.50 ms", big)

    def test_one_round_has_no_interval(self):
        only = self.log("only.log", [
            ("small", {"nginx": (100.0, 1.0), "haproxy": (90.0, 1.0), "candidate": (100.0, 1.0)})])
        result = self.run_pooled(only)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("no CI from one round", result.stdout)
        self.assertNotIn("nan", result.stdout)

    def test_a_log_without_a_complete_round_is_refused_by_name(self):
        no_candidate = self.log("peers-only.log", [
            ("small", {"nginx": (100.0, 1.0), "haproxy": (90.0, 1.0)})])
        result = self.run_pooled(no_candidate)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("peers-only.log", result.stderr)
        self.assertIn("no complete round", result.stderr)

    def test_a_missing_log_is_named_without_a_traceback(self):
        result = self.run_pooled(str(Path(self.dir.name) / "absent.log"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("cannot read", result.stderr)
        self.assertIn("absent.log", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)

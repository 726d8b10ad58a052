#!/usr/bin/env python3
"""Pools the rounds of one or more compare.sh runs and compares two servers' user CPU per message
with a confidence interval.

    bench/rounds.py [--a sluice-epoll] [--b nio] [--seed 1] bench/results/compare-*.jsonl

For each case and each round in which both servers have a valid run (not disturbed, the final
attempt), the ratio A:B of:
  - user     perf-sampled server user time per message, all threads (what compare.sh's target uses);
  - loop     the same, the event-loop thread only (no JIT compiler or VM threads);
  - per-sys  user time per µs of server system time: the machine's slow phases (docs/bench/echo.md,
             sessions 4-5) raise both, so this ratio is the least phase-sensitive one.
It prints the geometric mean of each ratio over the pooled rounds with a 95% bootstrap interval
(resampling rounds: the runs of one round are adjacent in time and share the machine's phase),
and how many rounds came out below 1.
"""
import argparse
import json
import math
import random
import sys


def load(paths):
    runs = []
    for i, path in enumerate(paths):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                r["_file"] = i
                runs.append(r)
    return runs


def valid_final(runs):
    """The last attempt of each (file, server, case, round), if it was ok and not disturbed."""
    last = {}
    for r in runs:
        key = (r["_file"], r["server"], r["case"], r["round"])
        if key not in last or r.get("attempt", 0) >= last[key].get("attempt", 0):
            last[key] = r
    return {k: r for k, r in last.items() if r.get("ok") and not r.get("disturbed")
            and r.get("server_user_perf_us_per_msg") is not None}


def metrics(r):
    sys_us = r["server_sys_us_per_msg"]
    return {
        "user": r["server_user_perf_us_per_msg"],
        "loop": r.get("server_user_perf_loop_us_per_msg") or float("nan"),
        "per-sys": r["server_user_perf_us_per_msg"] / sys_us if sys_us > 0 else float("nan"),
    }


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def bootstrap(xs, rng, n=10000):
    means = sorted(geomean([rng.choice(xs) for _ in xs]) for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--a", default="sluice-epoll")
    ap.add_argument("--b", default="nio")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    runs = valid_final(load(args.files))
    rng = random.Random(args.seed)
    cases = sorted({k[2] for k in runs})
    print(f"{args.a} : {args.b}, rounds pooled from {len(args.files)} file(s); "
          "geometric mean of per-round ratios [95% bootstrap interval], rounds below 1")
    for case in cases:
        rounds = sorted({(k[0], k[3]) for k in runs if k[2] == case})
        ratios = {m: [] for m in ("user", "loop", "per-sys")}
        for f, rnd in rounds:
            a = runs.get((f, args.a, case, rnd))
            b = runs.get((f, args.b, case, rnd))
            if a is None or b is None:
                continue
            ma, mb = metrics(a), metrics(b)
            for m in ratios:
                if ma[m] > 0 and mb[m] > 0 and not math.isnan(ma[m]) and not math.isnan(mb[m]):
                    ratios[m].append(ma[m] / mb[m])
        for m, xs in ratios.items():
            if not xs:
                continue
            lo, hi = bootstrap(xs, rng)
            below = sum(1 for x in xs if x < 1)
            print(f"  {case:12s} {m:8s} {geomean(xs):.3f} [{lo:.3f}, {hi:.3f}]  "
                  f"{below} of {len(xs)} rounds below 1  (min {min(xs):.2f}, max {max(xs):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

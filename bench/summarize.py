#!/usr/bin/env python3
"""Turns compare.sh's raw runs (JSON lines) into a markdown table and a JSON summary.

    summarize.py --raw R.jsonl [--raw R2.jsonl ...] --ref c-uring [--servers "..."] [--cases "..."]
                 [--json OUT.json] [--java PATH] [--jvm-opts "..."] [--quota PCT] [--command "..."]

Ratios: in each round and case compare.sh runs ref, s1, ref, s2, ..., ref. A run's ratio is its
msgs/s over the geometric mean of the valid reference runs right before and after it (one of them
when the other is missing). Per server and case the table gives the median of those ratios over the
rounds, with min and max. Server CPU per message is compared the same way. A comparison of two
non-reference servers X and Y takes, per round, ratio(X) / ratio(Y), then the median over rounds.

Only valid runs count: loadgen and server exited 0 and the run was not disturbed (other CPU above
compare.sh's --max-other). For each (round, case, position) the last attempt is the one that counts.
Standard library only.
"""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys

TARGET_SERVERS = ("sluice-uring", "netty-uring", "nio", "sluice-epoll", "c-epoll")


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def valid(r):
    return r.get("ok") and not r.get("disturbed") and r.get("msgs_per_sec", 0) > 0


def cpu_per_msg(r):
    u, s = r.get("server_user_us_per_msg"), r.get("server_sys_us_per_msg")
    return None if u is None or s is None else u + s


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def stats(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def pairwise(rows, ref):
    """Adds ratio_msgs and ratio_cpu to each valid non-reference run with a valid reference neighbour."""
    final = {}
    for r in rows:
        key = (r.get("source", ""), r["round"], r["case"], r["seq"])
        if key not in final or r["attempt"] >= final[key]["attempt"]:
            final[key] = r
    for (src, rnd, case, seq), r in final.items():
        r["final"] = True
        if r["server"] == ref or not valid(r):
            continue
        refs = [final.get((src, rnd, case, seq + d)) for d in (-1, 1)]
        refs = [x for x in refs if x is not None and x["server"] == ref and valid(x)]
        if not refs:
            continue
        r["ratio_msgs"] = r["msgs_per_sec"] / geomean([x["msgs_per_sec"] for x in refs])
        ref_cpu = [cpu_per_msg(x) for x in refs]
        if cpu_per_msg(r) is not None and all(c for c in ref_cpu):
            r["ratio_cpu"] = cpu_per_msg(r) / geomean(ref_cpu)
            # User time per message drifts with the machine's speed like everything else (the
            # loopback speed changes by up to 1.5x within minutes): the same correction by the
            # adjacent reference runs' CPU per message.
            if r.get("server_user_perf_us_per_msg") is not None:
                r["ratio_user_perf"] = r["server_user_perf_us_per_msg"] / geomean(ref_cpu)
    # Drift of the reference itself: the ratio of consecutive reference runs in a round and case.
    drift = []
    for (src, rnd, case, seq), r in final.items():
        nxt = final.get((src, rnd, case, seq + 2))
        if r["server"] == ref and nxt and nxt["server"] == ref and valid(r) and valid(nxt):
            drift.append(max(r["msgs_per_sec"], nxt["msgs_per_sec"]) / min(r["msgs_per_sec"], nxt["msgs_per_sec"]))
    return [r for r in final.values()], drift


def per_round(runs, server, case, key):
    """{(source, round): value} of a server's key in a case (one valid run per round and position)."""
    out = {}
    for r in runs:
        if r["server"] == server and r["case"] == case and r.get(key) is not None and valid(r):
            out.setdefault((r.get("source", ""), r["round"]), []).append(r[key])
    return {k: statistics.median(v) for k, v in out.items()}


def versus(runs, case, x, y, key, ref):
    """Per-round ratio of x's to y's `key` ratio-to-reference, as stats over rounds."""
    if y == ref:
        return stats(list(per_round(runs, x, case, key).values()))
    a, b = per_round(runs, x, case, key), per_round(runs, y, case, key)
    return stats([a[k] / b[k] for k in a if k in b])


def machine(java):
    info = {"nproc": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        info["cpu"] = "?"
    try:
        with open("/proc/meminfo") as f:
            info["mem_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    if java:
        try:
            out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
            info["jdk"] = " / ".join(l.strip() for l in out.splitlines()[:2])
        except (OSError, subprocess.SubprocessError):
            info["jdk"] = "?"
    return info


def fmt(x, spec=",.0f"):
    return "–" if x is None else format(x, spec)


def fmt_stats(s, spec, suffix=""):
    if not s:
        return "–"
    return f"{format(s['median'], spec)}{suffix} ({format(s['min'], spec)}–{format(s['max'], spec)})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", action="append", required=True)
    ap.add_argument("--ref", default="c-uring")
    ap.add_argument("--servers")
    ap.add_argument("--cases")
    ap.add_argument("--json")
    ap.add_argument("--java")
    ap.add_argument("--jvm-opts", default="")
    ap.add_argument("--quota", type=int, default=None)
    ap.add_argument("--command", default="")
    a = ap.parse_args()

    # Runs of several files (e.g. two compare.sh sessions) are pooled; their rounds stay apart.
    rows = []
    for p in a.raw:
        for r in load([p]):
            r["source"] = os.path.basename(p)
            rows.append(r)
    servers = a.servers.split() if a.servers else list(dict.fromkeys(r["server"] for r in rows))
    cases = a.cases.split() if a.cases else list(dict.fromkeys(r["case"] for r in rows))
    quota = a.quota if a.quota is not None else max((r.get("quota_pct", 0) for r in rows), default=0)
    runs, drift = pairwise(rows, a.ref)

    summary = {"ref": a.ref, "servers": servers, "cases": cases, "quota_pct": quota, "command": a.command,
               "jvm_opts": a.jvm_opts, "machine": machine(a.java), "cases_detail": {}, "targets": [],
               "ref_drift": stats(drift)}
    out = []
    m = summary["machine"]
    busy = sorted({bool(r.get("busy")) for r in rows if "busy" in r})
    summary["loadgen_busy"] = busy[0] if len(busy) == 1 else None if not busy else "mixed"
    lg_mode = {(True,): "; loadgen busy-polls (--busy, never sleeps)", (False,): "; loadgen blocks in epoll_wait when idle",
               (False, True): "; loadgen: busy-polling and blocking runs mixed"}.get(tuple(busy), "")
    out.append(f"Machine: {m.get('nproc')} CPUs ({m.get('cpu')}), kernel {m.get('kernel')}, {m.get('jdk', 'JDK ?')}; "
               f"server pinned to CPU 0, loadgen to CPU 1" + (f"; server limited to {quota}% of one core (cgroup)" if quota else "") + lg_mode + ".")
    if a.command:
        out.append(f"Command: `{a.command}`" + (f" (Java servers: `{a.jvm_opts}`)" if a.jvm_opts else ""))
    if drift:
        d = stats(drift)
        out.append(f"Reference drift: consecutive {a.ref} runs in the same round differed by a median {100 * (d['median'] - 1):.0f}% "
                   f"(max {100 * (d['max'] - 1):.0f}%, {d['n']} pairs).")
    out.append("")
    for case in cases:
        conns, size, depth, idle = case.split(":")
        title = f"{size} B × {conns} connections, depth {depth}" + (f", + {int(idle):,} idle connections" if int(idle) else "")
        out.append(f"### {title} (`{case}`)")
        out.append("")
        idle_col = int(idle) > 0
        # compare.sh --perf-user: user time from perf samples, finer than the kernel's tick accounting.
        perf_col = any(r.get("server_user_perf_us_per_msg") is not None for r in rows if r["case"] == case)
        hdr = ["server", "runs", "msgs/s median (min–max)", f"× {a.ref} (median of pairwise, min–max)", "MB/s",
               "p50 µs", "p99 µs", "p99.9 µs", "server user µs/msg"] + (["server user µs/msg (perf samples)"] if perf_col else []) + ["server sys µs/msg", "CPU/msg × " + a.ref,
               "server CPU %", "loadgen CPU %", "other CPU %"]
        if idle_col:
            hdr.append("RSS per idle conn (B)")
        hdr.append("disturbed / failed")
        out.append("| " + " | ".join(hdr) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(hdr) - 1)) + "|")
        detail = {}
        for s in servers:
            all_s = [r for r in rows if r["server"] == s and r["case"] == case]
            ok = [r for r in runs if r["server"] == s and r["case"] == case and valid(r)]
            disturbed = sum(1 for r in all_s if r.get("ok") and r.get("disturbed"))
            failed = sum(1 for r in all_s if not r.get("ok"))
            med = lambda k: stats([r.get(k) for r in ok])
            d = {k: med(k) for k in ("msgs_per_sec", "mb_per_sec", "p50_us", "p99_us", "p999_us", "server_user_us_per_msg",
                                      "server_sys_us_per_msg", "server_cpu_pct", "loadgen_cpu_pct", "other_cpu_pct",
                                      "server_user_perf_us_per_msg")}
            # Memory does not depend on CPU contention: disturbed runs count for RSS too.
            d["rss_per_idle_conn_bytes"] = stats([r.get("rss_per_idle_conn_bytes") for r in all_s if r.get("ok")])
            d["ratio_msgs"] = stats([1.0 for _ in ok]) if s == a.ref else med("ratio_msgs")
            d["ratio_cpu"] = stats([1.0 for _ in ok]) if s == a.ref else med("ratio_cpu")
            d["runs"], d["disturbed"], d["failed"] = len(ok), disturbed, failed
            detail[s] = d
            g = lambda k, spec=",.0f": fmt(d[k]["median"], spec) if d[k] else "–"
            row = [s, str(len(ok)), fmt_stats(d["msgs_per_sec"], ",.0f"),
                   "1 (reference)" if s == a.ref and ok else fmt_stats(d["ratio_msgs"], ".2f", "×"),
                   g("mb_per_sec", ",.1f"), g("p50_us"), g("p99_us"), g("p999_us"), g("server_user_us_per_msg", ".2f")] \
                + ([g("server_user_perf_us_per_msg", ".4f")] if perf_col else []) + [
                   g("server_sys_us_per_msg", ".2f"), "1" if s == a.ref and ok else fmt_stats(d["ratio_cpu"], ".2f", "×"),
                   g("server_cpu_pct"), g("loadgen_cpu_pct"), g("other_cpu_pct")]
            if idle_col:
                row.append(g("rss_per_idle_conn_bytes"))
            row.append(f"{disturbed} / {failed}")
            out.append("| " + " | ".join(row) + " |")
        summary["cases_detail"][case] = detail
        out.append("")

    # The targets, each checked on the pairwise medians.
    checks = []
    for case in cases:
        c64 = case.split(":")[1] == "64" and case.split(":")[0] == "50" and case.split(":")[3] == "0"
        checks += [
            (case, "sluice-uring", "netty-uring", "ratio_msgs", ">=", 1.0, "msgs/s ≥ 1.0× Netty io_uring"),
            (case, "sluice-uring", a.ref, "ratio_msgs", ">=", 0.95, f"msgs/s ≥ 0.95× {a.ref}"),
            (case, "sluice-uring", "netty-uring", "ratio_cpu", "<=", 1.0, "server CPU/msg ≤ Netty io_uring's"),
        ]
        if c64:
            checks += [
                (case, "sluice-uring", "nio", "ratio_msgs", ">=", 1.3, "msgs/s ≥ 1.3× JDK NIO"),
                (case, "sluice-epoll", "c-epoll", "ratio_msgs", ">=", 0.9, "epoll: msgs/s ≥ 0.9× C epoll"),
                (case, "sluice-epoll", "nio", "ratio_msgs", ">=", 1.0, "epoll: msgs/s ≥ 1.0× JDK NIO"),
                (case, "sluice-epoll", "nio", "user_cpu", "<", 1.0, "epoll: server user CPU/msg < JDK NIO's"),
                (case, "sluice-epoll", "nio", "user_cpu_perf", "<", 1.0, "epoll: server user CPU/msg (perf samples) < JDK NIO's"),
                (case, "sluice-epoll", "nio", "ratio_user_perf", "<", 1.0, "epoll: server user CPU/msg (perf samples, per reference CPU/msg) < JDK NIO's"),
                (case, "sluice-epoll-alt", "nio", "user_cpu", "<", 1.0, "epoll (alt build): server user CPU/msg < JDK NIO's"),
                (case, "sluice-epoll-alt", "nio", "user_cpu_perf", "<", 1.0, "epoll (alt build): server user CPU/msg (perf samples) < JDK NIO's"),
                (case, "sluice-epoll-alt", "sluice-epoll", "user_cpu", "<", 1.0, "A/B: alt build's user CPU/msg < sluice-epoll's"),
                (case, "sluice-epoll-alt", "nio", "ratio_user_perf", "<", 1.0, "epoll (alt build): server user CPU/msg (perf samples, per reference CPU/msg) < JDK NIO's"),
                (case, "sluice-epoll-alt", "sluice-epoll", "user_cpu_perf", "<", 1.0, "A/B: alt build's user CPU/msg (perf samples) < sluice-epoll's"),
                (case, "sluice-epoll-alt", "sluice-epoll", "ratio_user_perf", "<", 1.0, "A/B: alt build's user CPU/msg (perf samples, per reference CPU/msg) < sluice-epoll's"),
                (case, "sluice-epoll-alt", "sluice-epoll", "ratio_msgs", ">=", 1.0, "A/B: alt build's msgs/s ≥ sluice-epoll's"),
            ]
    tlines = []
    for case, x, y, key, op, bound, what in checks:
        if x not in servers or y not in servers:
            continue
        if key in ("user_cpu", "user_cpu_perf"):
            k_ = "server_user_us_per_msg" if key == "user_cpu" else "server_user_perf_us_per_msg"
            a_ = per_round(runs, x, case, k_)
            b_ = per_round(runs, y, case, k_)
            st = stats([a_[k] / b_[k] for k in a_ if k in b_ and b_[k]])
        else:
            st = versus(runs, case, x, y, key, a.ref)
        if st is None and key in ("user_cpu_perf", "ratio_user_perf"):
            continue    # a run without --perf-user
        if st is None:
            verdict = "no data"
        else:
            v = st["median"]
            met = v >= bound if op == ">=" else v <= bound if op == "<=" else v < bound
            verdict = "met" if met else "NOT met"
        summary["targets"].append({"case": case, "x": x, "y": y, "key": key, "op": op, "bound": bound, "what": what,
                                   "stats": st, "verdict": verdict})
        tlines.append(f"| `{case}` | {x} vs {y}: {what} | {fmt_stats(st, '.2f', '×')} | {verdict} |")
    if tlines:
        out.append("### Targets (per-round ratio of the two servers' pairwise ratios; median (min–max) over rounds)")
        out.append("")
        out.append("| case | target | measured | verdict |")
        out.append("|---|---|---:|---|")
        out += tlines
        out.append("")
    print("\n".join(out))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())

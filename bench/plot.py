#!/usr/bin/python3
"""Plots compare.sh summaries and JMH results as PNGs.

    /usr/bin/python3 bench/plot.py --summary bench/results/compare-X.json --out docs/bench [--prefix echo]
    /usr/bin/python3 bench/plot.py --jmh bench/results/jmh-X.json --out docs/bench

From a summary (summarize.py --json): PREFIX-ratio.png (msgs/s as a multiple of the reference
server, median of pairwise ratios with min-max whiskers, one panel per case), PREFIX-cpu.png
(server user + system CPU microseconds per message, stacked, medians), PREFIX-throughput.png
(absolute msgs/s, median with min-max; drifts between runs, so read the ratio plot first) and,
when a case has idle connections, PREFIX-rss.png (resident memory per idle connection, log scale).
From JMH's JSON (-rf json): jmh.png (ns/op and B/op per benchmark and backend).

Needs matplotlib (Debian: apt-get install -y python3-matplotlib).
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {
    "c-uring": "#444444", "c-epoll": "#888888",
    "sluice-uring": "#d62728", "sluice-epoll": "#ff9896",
    "netty-uring": "#1f77b4", "netty-epoll": "#aec7e8",
    "nio": "#2ca02c", "vthreads": "#98df8a",
}


def case_title(case):
    conns, size, depth, idle = case.split(":")
    size = f"{int(size) // 1024} KiB" if int(size) >= 1024 else f"{size} B"
    t = f"{size} × {conns} conns, depth {depth}"
    return t + (f"\n+ {int(idle):,} idle" if int(idle) else "")


def subtitle(s):
    m = s.get("machine", {})
    q = s.get("quota_pct") or 0
    bound = f"; server limited to {q}% of one core" if q else ""
    return f"{m.get('nproc')} CPUs {m.get('cpu')}, Linux {m.get('kernel')}, server on CPU 0, loadgen on CPU 1{bound}"


def servers_with_data(s, case, key):
    d = s["cases_detail"][case]
    return [x for x in s["servers"] if d.get(x, {}).get(key)]


def ratio_plot(s, path):
    cases = s["cases"]
    fig, axes = plt.subplots(1, len(cases), figsize=(max(9.5, 4.2 * len(cases)), 4.8), sharey=False, squeeze=False)
    for ax, case in zip(axes[0], cases):
        d = s["cases_detail"][case]
        names = servers_with_data(s, case, "ratio_msgs")
        med = [d[n]["ratio_msgs"]["median"] for n in names]
        lo = [m - d[n]["ratio_msgs"]["min"] for m, n in zip(med, names)]
        hi = [d[n]["ratio_msgs"]["max"] - m for m, n in zip(med, names)]
        y = range(len(names))
        ax.barh(y, med, xerr=[lo, hi], color=[COLORS.get(n, "#999") for n in names], capsize=3)
        ax.set_yticks(list(y))
        ax.set_yticklabels(names)
        ax.invert_yaxis()
        ax.axvline(1.0, color="black", lw=0.8)
        ax.axvline(0.95, color="black", lw=0.6, ls=":")
        ax.set_xlim(0, max(1.3, max((m + h for m, h in zip(med, hi)), default=1.3) * 1.05))
        for i, m in enumerate(med):
            ax.text(0.02, i, f"{m:.2f}×", va="center", ha="left", color="white", fontsize=8, fontweight="bold")
        ax.set_title(case_title(case), fontsize=10)
        ax.set_xlabel(f"msgs/s ÷ {s['ref']} (adjacent runs)")
    fig.suptitle("Echo throughput relative to the C liburing server (median of pairwise ratios, whiskers min–max)\n"
                 + subtitle(s), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cpu_plot(s, path):
    cases = s["cases"]
    fig, axes = plt.subplots(1, len(cases), figsize=(max(9.5, 4.2 * len(cases)), 4.8), squeeze=False)
    for ax, case in zip(axes[0], cases):
        d = s["cases_detail"][case]
        names = servers_with_data(s, case, "server_sys_us_per_msg")
        user = [d[n]["server_user_us_per_msg"]["median"] for n in names]
        sys_ = [d[n]["server_sys_us_per_msg"]["median"] for n in names]
        y = range(len(names))
        ax.barh(y, sys_, color=[COLORS.get(n, "#999") for n in names], alpha=0.55, label="system")
        ax.barh(y, user, left=sys_, color=[COLORS.get(n, "#999") for n in names], hatch="///", edgecolor="white",
                label="user")
        ax.set_yticks(list(y))
        ax.set_yticklabels(names)
        ax.invert_yaxis()
        for i, (u, sy) in enumerate(zip(user, sys_)):
            ax.text(u + sy, i, f" {u + sy:.2f}", va="center", fontsize=8)
        ax.set_xlim(0, max((u + sy for u, sy in zip(user, sys_)), default=1) * 1.25)
        ax.set_title(case_title(case), fontsize=10)
        ax.set_xlabel("server CPU µs per message (system + user, hatched)")
    fig.suptitle("Server CPU time per message, from /proc/PID/stat over the measured window (medians)\n" + subtitle(s),
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def throughput_plot(s, path):
    cases = s["cases"]
    fig, axes = plt.subplots(1, len(cases), figsize=(max(9.5, 4.2 * len(cases)), 4.8), squeeze=False)
    for ax, case in zip(axes[0], cases):
        d = s["cases_detail"][case]
        names = servers_with_data(s, case, "msgs_per_sec")
        med = [d[n]["msgs_per_sec"]["median"] / 1e3 for n in names]
        lo = [m - d[n]["msgs_per_sec"]["min"] / 1e3 for m, n in zip(med, names)]
        hi = [d[n]["msgs_per_sec"]["max"] / 1e3 - m for m, n in zip(med, names)]
        y = range(len(names))
        ax.barh(y, med, xerr=[lo, hi], color=[COLORS.get(n, "#999") for n in names], capsize=3)
        ax.set_yticks(list(y))
        ax.set_yticklabels(names)
        ax.invert_yaxis()
        ax.set_title(case_title(case), fontsize=10)
        ax.set_xlabel("thousand msgs/s (median, whiskers min–max)")
    fig.suptitle("Echo throughput, absolute (loopback speed drifts between runs: compare ratios, not these)\n"
                 + subtitle(s), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def rss_plot(s, path):
    cases = [c for c in s["cases"] if int(c.split(":")[3]) > 0]
    if not cases:
        return False
    case = cases[0]
    d = s["cases_detail"][case]
    names = servers_with_data(s, case, "rss_per_idle_conn_bytes")
    real = [d[n]["rss_per_idle_conn_bytes"]["median"] for n in names]
    vals = [max(v, 1) for v in real]
    fig, ax = plt.subplots(figsize=(7.5, 4))
    y = range(len(names))
    ax.barh(y, vals, color=[COLORS.get(n, "#999") for n in names])
    ax.set_xscale("log")
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    for i, (v, r) in enumerate(zip(vals, real)):
        ax.text(v, i, f" {r:,.0f} B", va="center", fontsize=8)
    ax.set_xlim(1, max(vals) * 8)
    ax.set_xlabel("bytes of server RSS per idle connection (VmRSS after − before, ÷ idle count; log scale)")
    ax.set_title(f"Resident memory per idle connection ({int(case.split(':')[3]):,} idle)\n" + subtitle(s), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def jmh_plot(path_json, path):
    rows = json.load(open(path_json))
    labels, ns, bop = [], [], []
    for r in rows:
        name = r["benchmark"].rsplit(".", 2)
        label = f"{name[-2].replace('Benchmark', '')}.{name[-1]} [{r.get('params', {}).get('backend', '')}]"
        labels.append(label)
        ns.append(r["primaryMetric"]["score"])
        g = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        bop.append(g["score"] if g else float("nan"))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 0.42 * len(labels) + 1.6))
    y = range(len(labels))
    colors = ["#d62728" if "io_uring" in l else "#ff9896" for l in labels]
    a1.barh(y, ns, color=colors)
    a1.set_xscale("log")
    a1.set_yticks(list(y))
    a1.set_yticklabels(labels, fontsize=8)
    a1.invert_yaxis()
    for i, v in enumerate(ns):
        a1.text(v, i, f" {v:,.0f}", va="center", fontsize=7)
    a1.set_xlabel("ns per operation (log)")
    a2.barh(y, [max(b, 1e-3) for b in bop], color=colors)
    a2.set_xscale("log")
    a2.set_yticks(list(y))
    a2.set_yticklabels([])
    a2.invert_yaxis()
    for i, v in enumerate(bop):
        a2.text(max(v, 1e-3), i, f" {v:.3g} B", va="center", fontsize=7)
    a2.set_xlim(1e-3, max(bop) * 20)
    a2.set_xlabel("bytes allocated per operation (-prof gc, log; ≤ 0.1 is JMH's own noise)")
    fig.suptitle("JMH: ring round trips and no-ops (io_uring dark, epoll light)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--summary")
    ap.add_argument("--jmh")
    ap.add_argument("--out", required=True)
    ap.add_argument("--prefix", default="echo")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    written = []
    if a.summary:
        s = json.load(open(a.summary))
        for kind, fn in (("ratio", ratio_plot), ("cpu", cpu_plot), ("throughput", throughput_plot), ("rss", rss_plot)):
            p = os.path.join(a.out, f"{a.prefix}-{kind}.png")
            if fn(s, p) is not False:
                written.append(p)
    if a.jmh:
        p = os.path.join(a.out, "jmh.png")
        jmh_plot(a.jmh, p)
        written.append(p)
    print("\n".join(written))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Charts of a schedsim run (schedsim --out DIR --plot runs this):
per-pCPU Gantt charts, wake-to-run latency CDFs and CPU share bars, each
as PNG and SVG, one set per scheduler run in DIR.

Reads DIR/timeline.csv, latency.csv, domains.csv, summary.json.
Usage: plot.py DIR [--window-ms MS]  (the Gantt chart's span from time 0;
default: the whole run up to 100 ms). Needs matplotlib (Debian:
python3-matplotlib); exits 3 without it."""
import csv
import json
import os
import sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("plot.py: no matplotlib (Debian package python3-matplotlib)",
          file=sys.stderr)
    sys.exit(3)


def rows(d, name):
    with open(os.path.join(d, name)) as f:
        return list(csv.DictReader(f))


def save(fig, d, stem):
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(d, f"{stem}.{ext}"), format=ext, dpi=100)
    plt.close(fig)


def colours(domains):
    cmap = plt.get_cmap("tab20")
    return {dom: cmap(i % 20) for i, dom in enumerate(domains)}


def gantt(d, sched, segs, domains, pcpus, window_us):
    col = colours(domains)
    fig, ax = plt.subplots(figsize=(12, 1 + 0.4 * pcpus))
    for cpu in range(pcpus):
        bars = {}
        for s in segs:
            if int(s["cpu"]) != cpu:
                continue
            a, b = float(s["start_us"]), float(s["end_us"])
            if a >= window_us:
                continue
            bars.setdefault(s["domain"], []).append(
                (a / 1e3, (min(b, window_us) - a) / 1e3))
        for dom, spans in bars.items():
            ax.broken_barh(spans, (cpu - 0.4, 0.8), color=col[dom])
    ax.set_yticks(range(pcpus))
    ax.set_yticklabels([f"CPU{c}" for c in range(pcpus)])
    ax.set_xlim(0, window_us / 1e3)
    ax.set_xlabel("time (ms)")
    ax.set_title(f"{sched}: which domain runs on each pCPU")
    handles = [plt.Rectangle((0, 0), 1, 1, color=col[x]) for x in domains]
    ax.legend(handles, domains, loc="upper right", fontsize="small",
              ncol=min(len(domains), 6))
    save(fig, d, f"gantt-{sched}")


def latency_cdf(d, sched, lats, domains):
    fig, ax = plt.subplots(figsize=(8, 5))
    col = colours(domains)
    drawn = 0
    for dom in domains:
        xs = sorted(float(r["latency_us"]) for r in lats
                    if r["domain"] == dom)
        if not xs:
            continue
        ys = [(i + 1) / len(xs) for i in range(len(xs))]
        ax.step([max(x, 0.01) for x in xs], ys, where="post",
                color=col[dom], label=dom)
        drawn += 1
    ax.set_xscale("log")
    ax.set_xlabel("wake-to-run latency (us)")
    ax.set_ylabel("fraction of wake-ups")
    ax.set_ylim(0, 1)
    ax.set_title(f"{sched}: latency CDF per domain")
    if drawn:
        ax.legend(fontsize="small")
    else:
        ax.text(0.5, 0.5, "no wake-ups", transform=ax.transAxes,
                ha="center")
    save(fig, d, f"latency-cdf-{sched}")


def shares(d, sched, doms):
    fig, ax = plt.subplots(figsize=(max(6, len(doms)), 5))
    xs = range(len(doms))
    ax.bar([x - 0.2 for x in xs], [float(r["share"]) for r in doms], 0.4,
           label="share (pCPUs)")
    ax.bar([x + 0.2 for x in xs], [float(r["entitled"]) for r in doms],
           0.4, label="entitled")
    ax.set_xticks(list(xs))
    ax.set_xticklabels([r["domain"] for r in doms], rotation=30)
    ax.set_ylabel("pCPUs")
    ax.set_title(f"{sched}: CPU share against entitlement")
    ax.legend()
    fig.tight_layout()
    save(fig, d, f"shares-{sched}")


def main():
    args = sys.argv[1:]
    window_ms = 100.0
    if "--window-ms" in args:
        i = args.index("--window-ms")
        window_ms = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    d = args[0]
    with open(os.path.join(d, "summary.json")) as f:
        runs = json.load(f)
    segs, lats, doms = (rows(d, "timeline.csv"), rows(d, "latency.csv"),
                        rows(d, "domains.csv"))
    for run in runs:
        sched = run["sched"]
        mine = [r for r in doms if r["sched"] == sched]
        domains = [r["domain"] for r in mine]
        pcpus = run["pcpus"]
        window = min(window_ms * 1e3, run["duration_ns"] / 1e3)
        gantt(d, sched, [s for s in segs if s["sched"] == sched], domains,
              pcpus, window)
        latency_cdf(d, sched, [r for r in lats if r["sched"] == sched],
                    domains)
        shares(d, sched, mine)
        print(f"plot.py: {d}/gantt-{sched}, latency-cdf-{sched}, "
              f"shares-{sched} (.png, .svg)")


main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""schedsim's tools, end to end: the invariant checker, --trace and its
decoder, --plot, --sched all, determinism, robustness to bad files.
Usage: check_tools.py SCHEDSIM SCENARIO_DIR TEST"""
import csv
import json
import os
import subprocess
import sys
import tempfile

from schedsim_check import expect, main, run


def test_invariants(sim, d):
    # The checker runs on every event with --check: two hogs taking
    # 30 ms turns on one pCPU break a 5 ms starvation bound (exit 1, the
    # event and time named) and keep the default 1 s one.
    path = os.path.join(d, "starvation-bound.json")
    p = subprocess.run([sim, path, "--check"], capture_output=True,
                       text=True)
    expect(p.returncode == 1 and "INVARIANT at " in p.stderr and
           "more than the 5000000 ns starvation bound" in p.stderr,
           f"5 ms bound: exit {p.returncode}, {p.stderr.strip()!r}")
    with open(path) as f:
        sc = json.load(f)
    sc["invariants"]["starvation_ms"] = 1000
    tmp = os.path.join(tempfile.mkdtemp(prefix="schedsim-"), "s.json")
    with open(tmp, "w") as f:
        json.dump(sc, f)
    p = subprocess.run([sim, tmp, "--check"], capture_output=True, text=True)
    expect(p.returncode == 0, f"1 s bound: exit {p.returncode}, "
           f"{p.stderr.strip()!r}")


def test_trace(sim, d):
    # --trace writes xentrace records; the decoder reads them back and
    # they tell the same story as the CSV files: every pCPU's switches to
    # a vCPU, every vCPU's running time to the ns (from its runstate
    # changes), time never going backwards, each CPU-change record's
    # length right.
    dec = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "tools", "xentrace", "xentrace-format.py")
    tr = os.path.join(tempfile.mkdtemp(prefix="schedsim-"), "t.bin")
    t = run(sim, os.path.join(d, "pools-move.json"), "--trace", tr)
    p = subprocess.run([sys.executable, dec, "--json", tr],
                       capture_output=True, text=True)
    expect(p.returncode == 0, f"decoder exit {p.returncode} {p.stderr!r}")
    recs = [json.loads(line) for line in p.stdout.splitlines()]
    expect(len(recs) > 1000, f"{len(recs)} records")
    size = os.path.getsize(tr)
    changes = [r for r in recs if r["name"] == "cpu_change"]
    for i, c in enumerate(changes):
        end = changes[i + 1]["offset"] if i + 1 < len(changes) else size
        if c["offset"] + 12 + c["extra"][1] != end:
            expect(False, f"cpu_change at {c['offset']}: says "
                   f"{c['extra'][1]} bytes, has {end - c['offset'] - 12}")
            break
    tscs = [r["tsc"] for r in recs if r["tsc"] is not None]
    expect(all(a <= b for a, b in zip(tscs, tscs[1:])),
           "TSC never goes backwards")
    sw = {}
    for r in recs:
        if r["name"] == "switch" and r["extra"][2] != 0x7fff:
            sw[r["cpu"]] = sw.get(r["cpu"], 0) + 1
    for row in t["pcpus"]:
        c = int(row["cpu"])
        expect(sw.get(c, 0) == int(row["switches"]),
               f"CPU{c}: {sw.get(c, 0)} switch records, "
               f"{row['switches']} switches")
    # Running time per vCPU from runstate changes.
    dom_ids = {}
    for r in recs:
        if r["name"] == "dom_add":
            dom_ids[r["extra"][0]] = len(dom_ids)
    names = [row["domain"] for row in t["domains"]]
    since, run_ns, dur = {}, {}, 3000 * 1000000
    for r in recs:
        if r["name"] != "runstate_change":
            continue
        key = (r["extra"][0] >> 16, r["extra"][0] & 0xffff)
        old, new = r["extra"][1], r["extra"][2]
        if old == 0:
            run_ns[key] = run_ns.get(key, 0) + r["tsc"] - since[key]
        if new == 0:
            since[key] = r["tsc"]
    last = {}
    for r in recs:
        if r["name"] == "runstate_change":
            key = (r["extra"][0] >> 16, r["extra"][0] & 0xffff)
            last[key] = (r["extra"][2], r["tsc"])
    for key, (state, at) in last.items():
        if state == 0:
            run_ns[key] = run_ns.get(key, 0) + dur - at
    for row in t["vcpus"]:
        dom = [k for k, v in dom_ids.items()
               if names[v] == row["domain"]][0]
        got = run_ns.get((dom, int(row["vcpu"])), 0)
        want = round(float(row["running_ms"]) * 1e6)
        expect(got == want, f"{row['domain']}v{row['vcpu']}: running "
               f"{got} ns in the trace, {want} ns in vcpus.csv")
    p = subprocess.run([sys.executable, dec, tr], capture_output=True,
                       text=True)
    expect(p.returncode == 0 and " switch " in p.stdout and
           " runstate_change " in p.stdout, "text output decodes")
    # A truncated file is an error with its offset, not a crash.
    with open(tr, "rb") as f:
        data = f.read()
    with open(tr + ".cut", "wb") as f:
        f.write(data[:len(data) - 2])
    p = subprocess.run([sys.executable, dec, tr + ".cut"],
                       capture_output=True, text=True)
    expect(p.returncode == 1 and "offset" in p.stderr,
           f"truncated file: exit {p.returncode}, {p.stderr.strip()!r}")


def test_plot(sim, d):
    # --plot: a Gantt chart, a latency CDF and share bars per scheduler
    # run, each a valid PNG (signature, IHDR with a size) and SVG (XML
    # with an <svg> root). Skipped (77) only if no matplotlib exists.
    import struct
    import xml.etree.ElementTree as ET
    out = tempfile.mkdtemp(prefix="schedsim-")
    p = subprocess.run([sim, os.path.join(d, "mixed.json"), "--duration",
                        "200ms", "--sched", "all", "--out", out, "--plot"],
                       capture_output=True, text=True)
    if "no matplotlib" in p.stderr:
        print("SKIP: no matplotlib (python3-matplotlib)")
        sys.exit(77)
    expect(p.returncode == 0, f"schedsim --plot: exit {p.returncode} "
           f"{p.stderr.strip()!r}")
    with open(os.path.join(out, "summary.json")) as f:
        scheds = [r["sched"] for r in json.load(f)]
    expect(len(scheds) >= 3, f"runs: {scheds}")
    for sched in scheds:
        for chart in ("gantt", "latency-cdf", "shares"):
            png = os.path.join(out, f"{chart}-{sched}.png")
            svg = os.path.join(out, f"{chart}-{sched}.svg")
            ok = os.path.exists(png) and os.path.exists(svg)
            expect(ok, f"{chart}-{sched}.png and .svg exist")
            if not ok:
                continue
            with open(png, "rb") as f:
                head = f.read(24)
            w, h = struct.unpack(">II", head[16:24])
            expect(head[:8] == b"\x89PNG\r\n\x1a\n" and
                   head[12:16] == b"IHDR" and w > 100 and h > 100,
                   f"{chart}-{sched}.png is a PNG ({w}x{h})")
            root = ET.parse(svg).getroot()
            expect(root.tag == "{http://www.w3.org/2000/svg}svg",
                   f"{chart}-{sched}.svg is SVG ({root.tag})")
    # The Gantt chart's data: stints never overlap on a pCPU.
    with open(os.path.join(out, "timeline.csv")) as f:
        segs = list(csv.DictReader(f))
    last = {}
    for sg in segs:
        key = (sg["sched"], sg["cpu"])
        a, b = float(sg["start_us"]), float(sg["end_us"])
        last.setdefault(key, []).append((a, b))
    bad = 0
    for spans in last.values():
        spans.sort()
        bad += sum(1 for x, y in zip(spans, spans[1:]) if y[0] < x[1])
    expect(segs and bad == 0, f"{len(segs)} stints, {bad} overlapping")


def test_compare(sim, d):
    # --sched all: every registered scheduler that takes the scenario,
    # one row each in comparison.csv and in the printed table.
    out = tempfile.mkdtemp(prefix="schedsim-")
    p = subprocess.run([sim, os.path.join(d, "pinned.json"), "--sched",
                        "all", "--out", out], capture_output=True, text=True)
    expect(p.returncode == 0, f"exit {p.returncode} {p.stderr.strip()!r}")
    with open(os.path.join(out, "comparison.csv")) as f:
        rows = list(csv.DictReader(f))
    with open(os.path.join(out, "summary.json")) as f:
        runs = [r["sched"] for r in json.load(f)]
    expect([r["sched"] for r in rows] == runs and len(runs) >= 4,
           f"comparison rows {[r['sched'] for r in rows]}, runs {runs}")
    for r in rows:
        expect(0 < float(r["fairness"]) <= 1 and
               0 <= float(r["util"]) <= 1,
               f"{r['sched']}: fairness {r['fairness']}, util {r['util']}")
        expect(any(line.split()[:1] == [r["sched"]]
                   for line in p.stdout.splitlines()),
               f"{r['sched']} in the printed table")


def test_determinism(sim, d):
    # A run is a pure function of scenario and seed: the same seed gives
    # byte-identical files (and trace), another seed other random phases.
    outs = []
    for seed in ("7", "7", "8"):
        out = tempfile.mkdtemp(prefix="schedsim-")
        p = subprocess.run([sim, os.path.join(d, "mixed.json"), "--duration",
                            "300ms", "--seed", seed, "--out", out,
                            "--trace", os.path.join(out, "t.bin")],
                           capture_output=True, text=True)
        expect(p.returncode == 0, f"seed {seed}: exit {p.returncode}")
        files = {}
        for name in ("vcpus.csv", "domains.csv", "pcpus.csv",
                     "summary.json", "vcpus.json", "t.bin"):
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
        outs.append(files)
    for name in outs[0]:
        expect(outs[0][name] == outs[1][name], f"seed 7 twice: same {name}")
    expect(outs[0]["vcpus.csv"] != outs[2]["vcpus.csv"],
           "seed 8: other vcpus.csv")


def test_robust(sim, d):
    # Mangled scenario files (bytes cut, tokens and punctuation put in, a
    # fixed seed so every run mangles the same way) give exit 0, 1 or 2
    # and never a crash, a sanitizer report or a hang.
    import glob
    import random
    import shutil
    rng = random.Random(4)
    work = tempfile.mkdtemp(prefix="schedsim-")
    shutil.copytree(os.path.join(d, "rtapp"), os.path.join(work, "rtapp"))
    files = sorted(glob.glob(os.path.join(d, "*.json")))
    tokens = ["0", "-1", "1e9", "65536", '"x"', "null", "true", "[]", "{}",
              '""', "4000001", "0.5", "64", '"cpu"', '"a"']
    scheds = ["credit", "credit2", "null", "rr", "rtds", "arinc653"]
    bad = 0
    for i in range(120):
        with open(rng.choice(files)) as f:
            text = list(f.read())
        for _ in range(rng.randint(1, 4)):
            k = rng.randrange(len(text))
            op = rng.randrange(3)
            if op == 0:
                del text[k:k + rng.randint(1, 5)]
            elif op == 1:
                text.insert(k, rng.choice(tokens))
            else:
                text[k] = rng.choice('{}[],:"0123456789-.eE ')
        path = os.path.join(work, "f.json")
        with open(path, "w") as f:
            f.write("".join(text))
        try:
            p = subprocess.run([sim, path, "--duration", "20ms", "--sched",
                                rng.choice(scheds)], capture_output=True,
                               text=True, timeout=120)
            ok = p.returncode in (0, 1, 2) and not any(
                w in p.stderr for w in ("Sanitizer", "runtime error",
                                        "PANIC"))
        except subprocess.TimeoutExpired:
            ok, p = False, None
        if not ok:
            bad += 1
            keep = os.path.join(work, f"case{i}.json")
            shutil.copy(path, keep)
            print(f"FAIL  case {i} ({keep}): "
                  f"{p.returncode if p else 'timeout'} "
                  f"{p.stderr[-500:] if p else ''}")
    expect(bad == 0, f"120 mangled scenarios, {bad} crashed or hung")


main(globals())

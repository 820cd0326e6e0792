#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""schedsim's scenario features, end to end: a scenario file in, the
metrics files out, checked against what the file asks for.
Usage: check_scenario.py SCHEDSIM SCENARIO_DIR TEST"""
import csv
import json
import os
import subprocess
import sys
import tempfile

failures = []


def expect(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def run(sim, scenario, *args):
    out = tempfile.mkdtemp(prefix="schedsim-")
    p = subprocess.run([sim, scenario, "--out", out, *args],
                       capture_output=True, text=True)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    if p.returncode != 0:
        sys.exit(f"FAIL: schedsim exited with {p.returncode}")
    t = {}
    for name in ("vcpus", "domains", "pcpus"):
        with open(os.path.join(out, name + ".csv")) as f:
            t[name] = list(csv.DictReader(f))
    with open(os.path.join(out, "vcpus.json")) as f:
        t["vcpus.json"] = json.load(f)
    return t


def test_periodic(sim, d):
    # C = 300 us every 1000 us, D = 800 us, on a pCPU shared with a hog:
    # 2000 jobs in 2 s, each done in exactly C (credit's boost preempts
    # the hog at once), no miss. Two jobs of 600/1000 on one pCPU (U =
    # 1.2) must miss, and finish fewer jobs than were released.
    t = run(sim, os.path.join(d, "periodic.json"))
    v = {(r["domain"], r["vcpu"]): r for r in t["vcpus"]}
    rt = v[("rt", "0")]
    expect(rt["jobs"] == "2000", f"rt: {rt['jobs']} jobs, want 2000")
    expect(rt["deadline_misses"] == "0",
           f"rt: {rt['deadline_misses']} deadline misses, want 0")
    expect(float(rt["resp_p50_us"]) == 300 and
           float(rt["resp_max_us"]) == 300,
           f"rt: response p50 {rt['resp_p50_us']} max {rt['resp_max_us']}"
           " us, want 300 (C)")
    expect(abs(float(rt["cpu_ms"]) - 600) < 1e-6,
           f"rt: {rt['cpu_ms']} ms of CPU, want 2000 x 300 us")
    for k in ("0", "1"):
        o = v[("over", k)]
        expect(int(o["deadline_misses"]) > 0 and int(o["jobs"]) < 2000,
               f"over v{k}: {o['jobs']} jobs, {o['deadline_misses']} "
               "misses: want misses, fewer than 2000 jobs")
        expect(float(o["resp_max_us"]) > 1000,
               f"over v{k}: worst response {o['resp_max_us']} us > T")
    # The JSON twin of vcpus.csv says the same.
    j = [x for x in t["vcpus.json"] if x["domain"] == "rt"][0]
    expect(j["jobs"] == 2000 and j["deadline_misses"] == 0 and
           j["response_us"]["n"] == 2000 and j["response_us"]["p99"] == 300,
           f"vcpus.json rt: {j['jobs']} jobs, {j['deadline_misses']} "
           f"misses, response {j['response_us']}")


def test_topology(sim, d):
    # 2 sockets x 4 cores x 2 threads, 2 nodes: 16 pCPUs, numbered
    # thread first, as the framework's topology table now says.
    t = run(sim, os.path.join(d, "topology.json"))
    cpus = t["pcpus"]
    expect(len(cpus) == 16, f"{len(cpus)} pCPUs, want 16")
    for r in cpus:
        c = int(r["cpu"])
        want = (c // 8, c // 2, c % 2, c // 8)
        got = tuple(int(r[k]) for k in ("socket", "core", "thread", "node"))
        expect(got == want, f"CPU{c}: socket/core/thread/node {got}, "
               f"want {want}")
        expect(r["pool"] == ("1" if c >= 8 else "0"),
               f"CPU{c} in pool {r['pool']}")


def test_pool_params(sim, d):
    # Two CPU hogs per pCPU under credit: a 10 ms slice in pool 0 (set
    # through pool 0's own entry) switches every 10 ms, pool 1 (default
    # 30 ms) every 30 ms; each hog gets half its pCPU.
    t = run(sim, os.path.join(d, "pool-params.json"))
    sw = {r["cpu"]: int(r["switches"]) for r in t["pcpus"]}
    expect(abs(sw["0"] - 300) <= 3, f"CPU0: {sw['0']} switches, want ~300")
    expect(abs(sw["1"] - 100) <= 3, f"CPU1: {sw['1']} switches, want ~100")
    for r in t["vcpus"]:
        expect(abs(float(r["cpu_ms"]) - 1500) <= 30,
               f"{r['domain']}: {r['cpu_ms']} ms, want 1500 +- 2%")


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


def main():
    sim, d, name = sys.argv[1:4]
    globals()["test_" + name.replace("-", "_")](sim, d)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")


main()

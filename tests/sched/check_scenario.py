#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""schedsim's scenario features, end to end: a scenario file in, the
metrics files out, checked against what the file asks for.
Usage: check_scenario.py SCHEDSIM SCENARIO_DIR TEST"""
import csv
import json
import os
import subprocess
import tempfile

from schedsim_check import expect, main, run


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


def test_metrics(sim, d):
    # Three CPU hogs on one pCPU: it is always busy and two of them
    # always wait (runqueue length 2, sampled every ms); each domain gets
    # its entitlement, so Jain's index is ~1. null on the periodic
    # scenario leaves the hog's pCPU idle while the job's vCPU sleeps.
    t = run(sim, os.path.join(d, "weights-1-2-4.json"))
    cpu = t["pcpus"][0]
    expect(float(cpu["util"]) == 1.0, f"util {cpu['util']}, want 1")
    expect(1.99 <= float(cpu["rq_mean"]) <= 2.0 and cpu["rq_max"] == "3",
           f"runqueue mean {cpu['rq_mean']} max {cpu['rq_max']}, want "
           "2 and 3 (all three at time 0)")
    out = tempfile.mkdtemp(prefix="schedsim-")
    subprocess.run([sim, os.path.join(d, "weights-1-2-4.json"), "--out",
                    out], capture_output=True, check=True)
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)[0]
    expect(s["fairness"] > 0.999 and s["util"] == 1.0 and
           1.99 <= s["rq_mean"] <= 2.0,
           f"summary: fairness {s['fairness']}, util {s['util']}, "
           f"rq_mean {s['rq_mean']}")
    doms = {x["name"]: x for x in s["domains"]}
    expect(sorted(doms) == ["w1", "w2", "w4"] and
           abs(sum(x["share"] for x in doms.values()) - 1) < 1e-5 and
           abs(doms["w4"]["entitled"] - 4 / 7) < 1e-6,
           f"summary domains {s['domains']}")


def test_notify(sim, d):
    # Request/response over notifications: 1000 us of guest work, 50 us
    # of backend service, one round trip per 1050 us, each side waking
    # exactly once per round trip, never both running.
    t = run(sim, os.path.join(d, "io-notify.json"))
    v = {r["domain"]: r for r in t["vcpus"]}
    g, b = v["guest"], v["backend"]
    expect(abs(float(g["cpu_ms"]) - 1000) < 1e-6 and
           abs(float(b["cpu_ms"]) - 50) < 1e-6,
           f"guest {g['cpu_ms']} ms, backend {b['cpu_ms']} ms of CPU, "
           "want 1000 and 50")
    expect(g["wakes"] == "1000" and b["wakes"] == "1000",
           f"wakes: guest {g['wakes']}, backend {b['wakes']}, want 1000")
    expect(abs(float(g["blocked_ms"]) - 50) < 1e-6 and
           abs(float(b["blocked_ms"]) - 1000) < 1e-6,
           f"blocked: guest {g['blocked_ms']}, backend {b['blocked_ms']}")


def test_rtapp(sim, d):
    # rt-app input, from a file (one vCPU per task) and inline: the
    # periodic task's timer gives 100 runs of 2 ms in 1 s; the burst task
    # stops after its 5 loops (7.5 ms of CPU); the inline task runs 300
    # us every 1000 us; the phased task, twice through its phases, runs
    # 8 ms and waits 7 times (3 sleeps a loop, one timer wait: the first
    # 5 ms boundary has passed by the time it gets there).
    t = run(sim, os.path.join(d, "rtapp.json"))
    v = {(r["domain"], r["vcpu"]): r for r in t["vcpus"]}
    want = {("app", "0"): (200, 100), ("app", "1"): (7.5, 5),
            ("inline", "0"): (300, 1000), ("phased", "0"): (8, 7)}
    expect(set(v) == set(want), f"vCPUs {sorted(v)}")
    for k, (ms, wakes) in want.items():
        r = v.get(k)
        if r:
            expect(abs(float(r["cpu_ms"]) - ms) < 1e-6 and
                   int(r["wakes"]) == wakes,
                   f"{k}: {r['cpu_ms']} ms of CPU, {r['wakes']} wakes; "
                   f"want {ms} ms, {wakes}")


def test_overhead(sim, d):
    # On a pCPU that is never idle, useful CPU time is the run's length
    # less 2 us per decision and 5 us per switch, to the nanosecond; the
    # runstates still count the whole time as running.
    t = run(sim, os.path.join(d, "overhead.json"))
    out = tempfile.mkdtemp(prefix="schedsim-")
    subprocess.run([sim, os.path.join(d, "overhead.json"), "--out", out],
                   capture_output=True, check=True)
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)[0]
    useful = sum(round(float(r["cpu_ms"]) * 1e6) for r in t["vcpus"])
    running = sum(round(float(r["running_ms"]) * 1e6) for r in t["vcpus"])
    want = 2995 * 10**6 - 2000 * s["decisions"] - 5000 * s["switches"]
    expect(s["switches"] > 50 and useful == want,
           f"useful {useful} ns, want {want} ({s['decisions']} decisions, "
           f"{s['switches']} switches)")
    expect(running == 2995 * 10**6, f"running {running} ns, want 2.995 s")


def test_entitlement(sim, d):
    # Entitled shares honour hard affinity (max-min fairness): a and c
    # split pCPU 0 by weight 1:2, b gets pCPU 1. Jain's index in the
    # summary is the one of the domains' share/entitled ratios.
    out = tempfile.mkdtemp(prefix="schedsim-")
    p = subprocess.run([sim, os.path.join(d, "affinity-shares.json"),
                        "--out", out], capture_output=True, text=True)
    expect(p.returncode == 0, f"exit {p.returncode} {p.stderr.strip()!r}")
    with open(os.path.join(out, "domains.csv")) as f:
        doms = {r["domain"]: r for r in csv.DictReader(f)}
    for dom, want in (("a", 1 / 3), ("b", 1.0), ("c", 2 / 3)):
        got = float(doms[dom]["entitled"])
        expect(abs(got - want) < 1e-6, f"{dom}: entitled {got}, want "
               f"{want:.6f}")
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)[0]
    x = [float(r["share"]) / float(r["entitled"]) for r in doms.values()]
    jain = sum(x) ** 2 / (len(x) * sum(v * v for v in x))
    expect(abs(s["fairness"] - jain) < 1e-5,
           f"fairness {s['fairness']}, Jain's index of the ratios {jain}")


main(globals())

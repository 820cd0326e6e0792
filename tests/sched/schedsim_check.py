# SPDX-License-Identifier: MIT
"""What the schedsim checks share: run schedsim and read its files, count
the checks, dispatch to test_NAME. Used by check_scenario.py and
check_tools.py."""
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


def main(tests):
    """argv: SCHEDSIM SCENARIO_DIR TEST; run tests["test_" + TEST]."""
    sim, d, name = sys.argv[1:4]
    tests["test_" + name.replace("-", "_")](sim, d)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")

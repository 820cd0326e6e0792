#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run every benchmark program in a bench/ output folder (make bench).

Each program prints `name: value unit` lines; this prints them under the
program's name and fails if any program fails. Usage: run_all.py DIR"""
import os
import subprocess
import sys


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: run_all.py BENCH_DIR")
    d = sys.argv[1]
    progs = sorted(f for f in os.listdir(d)
                   if os.path.isfile(os.path.join(d, f))
                   and os.access(os.path.join(d, f), os.X_OK))
    if not progs:
        sys.exit(f"run_all.py: no benchmark programs in {d}")
    failed = []
    for p in progs:
        print(f"== {p}", flush=True)
        rc = subprocess.run([os.path.join(d, p)]).returncode
        if rc != 0:
            print(f"run_all.py: {p} exited with {rc}", file=sys.stderr)
            failed.append(p)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

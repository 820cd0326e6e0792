#!/usr/bin/env python3
"""Run a command and check its output: lines matching each --expect, in
order; no line matching --reject; the exit status --status.

Usage: expect_output.py [--expect RE]... [--reject RE]... [--status N]
                        -- COMMAND [ARG]...
"""
import argparse
import re
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--expect', action='append', default=[])
    p.add_argument('--reject', action='append', default=[])
    p.add_argument('--status', type=int, default=0)
    p.add_argument('--timeout', type=float, default=120)
    p.add_argument('command', nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.command[1:] if a.command[:1] == ['--'] else a.command
    if not cmd:
        p.error('no command')
    try:
        r = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=a.timeout)
    except subprocess.TimeoutExpired:
        print('FAIL: %s did not finish in %g s' % (cmd[0], a.timeout))
        return 1
    out = r.stdout.splitlines()
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    failures = []
    at = 0
    for pattern in a.expect:
        rx = re.compile(pattern)
        while at < len(out) and not rx.search(out[at]):
            at += 1
        if at == len(out):
            failures.append('no line matching /%s/ (in order)' % pattern)
            break
        at += 1
    for pattern in a.reject:
        bad = [l for l in out if re.search(pattern, l)]
        if bad:
            failures.append('rejected line: %s' % bad[0])
    if r.returncode != a.status:
        failures.append('exit status %d, expected %d' % (r.returncode,
                                                         a.status))
    for f in failures:
        print('FAIL: ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

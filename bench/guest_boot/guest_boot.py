#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Time x86 guest boots under QEMU/TCG (make bench-guests).

Boots Orrery with one test kernel as one domain, RUNS times, and prints
`name: value unit` lines: the seconds from QEMU's start to the guest's
`Test result:` line (median, min, max), and the median of whatever figures
the guest itself printed as `<name>: median <N> TSC cycles` or
`<name>: <N> cycles (median ...)` (tests/guests/hello, upcall). Also
the build's bench-guest-boot target.

Usage: bench/guest_boot/guest_boot.py BUILD_DIR [--runs 5] [--kernel hello ...]
BUILD_DIR holds images/orrery-x86_64 and images/guests/*.elf (an x86
image build: `make` builds them in build/)."""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'tests', 'boot'))
import qemu_boot  # noqa: E402

# Figures a guest prints about itself (guest TSC cycles).
FIGURES = (
    re.compile(r'\((?P<dom>[\w-]+)\) (?P<name>[\w ]+? round trip): median '
               r'(?P<val>\d+) TSC cycles'),
    re.compile(r'\((?P<dom>[\w-]+)\) (?P<name>\w+): (?P<val>\d+) cycles '
               r'\(median'),
)


def boot_once(build, kernel, run, log_dir):
    image = os.path.join(build, 'images', 'orrery-x86_64')
    elf = os.path.join(build, 'images', 'guests', kernel + '.elf')
    for f in (image, elf):
        if not os.path.isfile(f):
            sys.exit(f"guest_boot.py: {f} is missing (build the x86 images "
                     f"first: make)")
    result_re = r'\(%s\) Test result: SUCCESS' % kernel
    cfg = qemu_boot.BootConfig(
        image=image, smp=2, mem='256M', timeout=150, settle=0.2,
        append='console=com1 domain=name=%s,kernel=0,mem=16M' % kernel,
        extra=['-initrd', elf],
        steps=[qemu_boot.Expect([re.compile(result_re)], 'result')],
        rejects=[re.compile(r'PANIC'),
                 re.compile(r'Test result: (FAILURE|ERROR)')],
        name='guest-boot-%s-%d' % (kernel, run), log_dir=log_dir,
        quiet=True)
    res = qemu_boot.run_boot(cfg)
    if not res.ok:
        sys.exit(f"guest_boot.py: {kernel} run {run}: {res.reason} "
                 f"(transcript {res.log_path})")
    figures = {}
    with open(res.log_path, errors='replace') as f:
        for line in f:
            for pat in FIGURES:
                m = pat.search(line)
                if m and m.group('dom') == kernel:
                    key = re.sub(r'\W+', '_', m.group('name').strip())
                    figures[key] = int(m.group('val'))
    return res.marks['result'], figures


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('build', help='build directory with images/')
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--kernel', action='append',
                   help='test kernel (default: hello and upcall)')
    p.add_argument('--log-dir', default=None)
    a = p.parse_args()
    if a.runs < 1:
        p.error('--runs must be at least 1')
    log_dir = a.log_dir or os.path.join(a.build, 'bench', 'guest-boot')
    for kernel in a.kernel or ['hello', 'upcall']:
        times, figs = [], {}
        for run in range(a.runs):
            t, f = boot_once(a.build, kernel, run, log_dir)
            times.append(t)
            for k, v in f.items():
                figs.setdefault(k, []).append(v)
        print(f"guest_boot_to_result_{kernel}: {statistics.median(times):.2f} "
              f"s (median of {a.runs}; min {min(times):.2f}, "
              f"max {max(times):.2f})", flush=True)
        for k, vals in sorted(figs.items()):
            print(f"guest_{kernel}_{k}: {int(statistics.median(vals))} "
                  f"TSC cycles (median over {len(vals)} boots)", flush=True)


if __name__ == '__main__':
    main()

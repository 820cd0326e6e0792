#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot-time benchmark: seconds from starting QEMU to "Orrery is up".

Boots the PVH image (QEMU's -kernel loader) and the ISO (SeaBIOS, then
GRUB's multiboot2) RUNS times each, one boot at a time, and prints the
median, minimum and maximum for each and the ISO/PVH ratio of medians: the
price of going through firmware and a boot loader. Every boot is a full
boot test (banner figures checked), so a broken boot is an error, not a
number.

Usage: boot_time.py [BUILD_DIR] [--runs N] [--smp N] [--mem SIZE]
   or: cmake --build build --target bench-boot-time
"""

import argparse
import os
import statistics
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'tests', 'boot'))
import qemu_boot as qb  # noqa: E402
import qemu_cmd  # noqa: E402


def measure(label, runs, **media):
    times = []
    for i in range(runs):
        cfg = qb.BootConfig(settle=0, quiet=True, name='bench.%s.%d'
                            % (label, i), **media)
        result = qb.run_boot(cfg)
        if not result.ok:
            raise RuntimeError('%s boot %d failed: %s (transcript %s)'
                               % (label, i + 1, result.reason,
                                  result.log_path))
        times.append(result.marks['up'])
        print('  %-4s run %d: %6.3f s' % (label, i + 1, times[-1]))
        sys.stdout.flush()
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('build', nargs='?', default=os.path.join(REPO, 'build'))
    p.add_argument('--arch', default='x86_64')
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--smp', type=int, default=4)
    p.add_argument('--mem', default='1G')
    p.add_argument('--timeout', type=float, default=120)
    ns = p.parse_args()
    if ns.runs < 1:
        p.error('--runs must be at least 1')

    common = dict(arch=ns.arch, smp=ns.smp, mem=ns.mem, timeout=ns.timeout,
                  log_dir=os.path.join(ns.build, 'bench', 'boot_time'))
    kinds = (('pvh', dict(image=qemu_cmd.image_path(ns.build, ns.arch))),
             ('iso', dict(iso=qemu_cmd.iso_path(ns.build),
                          firmware='bios')))
    print('boot_time: %d boots each, -smp %d -m %s, QEMU start to '
          '"Orrery is up"' % (ns.runs, ns.smp, ns.mem))
    medians = {}
    rows = []
    try:
        for label, media in kinds:
            times = measure(label, ns.runs, **common, **media)
            medians[label] = statistics.median(times)
            rows.append((label, medians[label], min(times), max(times)))
    except (qb.UsageError, RuntimeError) as e:
        print('boot_time: %s' % e, file=sys.stderr)
        return 1
    print('%-6s %9s %9s %9s' % ('boot', 'median', 'min', 'max'))
    for label, med, lo, hi in rows:
        print('%-6s %8.3fs %8.3fs %8.3fs' % (label, med, lo, hi))
    print('iso/pvh ratio (medians): %.2f' % (medians['iso'] / medians['pvh']))
    return 0


if __name__ == '__main__':
    sys.exit(main())

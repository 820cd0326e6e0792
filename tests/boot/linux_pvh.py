#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot Debian's Linux kernel as a PVH domU on Orrery (issue 7's goal).

1. tools/guests/fetch-linux.py gets the kernel from Debian's archive and
   unpacks the ELF vmlinux (cached in <build>/linux). If apt cannot
   download it (exit 77) the test is skipped, with fetch-linux's reason
   printed; any other fetch failure fails the test.
2. qemu_boot.py boots Orrery with the vmlinux as module 0 and one domain
   `linux` (256 MiB, 1 vCPU, console=hvc0 earlyprintk=xen) and expects,
   in order, the milestones Linux reaches today (docs/linux-pvh.md):
   the banner through Xen's early console (REP OUTSB to port 0xE9), its
   CPU found in the MADT (pvh_acpi.c), the PVH boot path, FIFO event
   channels with the callback vector, hvc0 on the console ring, the Xen
   timer, the grant table, the Xen clocksource, and finally the panic for
   want of a root file system (no initramfs yet), after which Orrery
   reports the domain's crash. A hypervisor PANIC, a guest early-exception PANIC or a
   triple fault fails the run.

Exit status: 0 pass, 1 fail, 77 skipped (no download).
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FETCH = os.path.join(REPO, 'tools', 'guests', 'fetch-linux.py')
RUNNER = os.path.join(HERE, 'qemu_boot.py')
SKIP = 77

GUEST_CMDLINE = 'console=hvc0 earlyprintk=xen loglevel=8'

# (option, pattern): the milestones in the order Linux prints them. Each
# guest line reaches the serial console as "(linux) <text>".
MILESTONES = [
    ('--expect', r'\(linux\) .*Linux version 6\.'),
    ('--expect', r'\(linux\) .*Hypervisor detected: Xen HVM'),
    ('--expect', r'\(linux\) .*ACPI: Using ACPI for processor \(LAPIC\) '
                 r'configuration information'),
    ('--expect', r'\(linux\) .*Booting kernel on Xen PVH'),
    ('--expect', r'\(linux\) .*xen:events: Using FIFO-based ABI'),
    ('--expect', r'\(linux\) .*Xen HVM callback vector for event delivery '
                 r'is enabled'),
    ('--expect', r'\(linux\) .*printk: console \[hvc0\] enabled'),
    ('--expect', r'\(linux\) .*installing Xen timer for CPU 0'),
    ('--expect', r'\(linux\) .*Grant table initialized'),
    ('--expect', r'\(linux\) .*clocksource: Switched to clocksource xen'),
    ('--expect', r'\(linux\) .*Kernel panic - not syncing: VFS: Unable to '
                 r'mount root fs'),
    ('--expect-all', r'linux: shut down \(crash\)'),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', required=True, help='the build folder')
    ap.add_argument('--timeout', type=float, default=150.0)
    ap.add_argument('--no-update', action='store_true',
                    help='pass --no-update to fetch-linux.py')
    args = ap.parse_args()

    cache = os.path.join(args.build, 'linux')
    fetch = [sys.executable, FETCH, '--cache', cache]
    if args.no_update:
        fetch.append('--no-update')
    r = subprocess.run(fetch, stdout=subprocess.PIPE, text=True,
                       check=False)
    if r.returncode == SKIP:
        print('SKIP: Debian\'s kernel package could not be downloaded '
              '(see fetch-linux above); the Linux PVH boot was not run')
        return SKIP
    if r.returncode != 0 or not r.stdout.strip():
        print('FAIL: fetch-linux.py exited %d' % r.returncode)
        return 1
    vmlinux = r.stdout.strip().splitlines()[-1]

    cmd = [sys.executable, RUNNER, '--name', 'linux.pvh',
           '--log-dir', os.path.join(args.build, 'tests', 'linux'),
           '--timeout', str(args.timeout), '--settle', '1',
           '--image', os.path.join(args.build, 'images', 'orrery-x86_64'),
           '--smp', '2', '--mem', '1G',
           '--qemu-arg=-initrd', '--qemu-arg=' + vmlinux,
           '--append', 'console=com1 domain=name=linux,kernel=0,mem=256M,'
                       'vcpus=1,cmdline="%s"' % GUEST_CMDLINE]
    for opt, pat in MILESTONES:
        cmd += [opt, pat]
    # The hypervisor must survive the guest's crash.
    cmd += ['--reject', r'PANIC on CPU']
    return subprocess.run(cmd, check=False).returncode


if __name__ == '__main__':
    sys.exit(main())

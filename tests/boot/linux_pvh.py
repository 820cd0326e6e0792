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

With --initramfs it goes on to userspace: tools/guests/make-initramfs.py
builds a busybox initramfs from Debian's busybox-static, and since QEMU's
PVH loader passes one module only, GRUB boots Orrery from an ISO made here
(grub-mkrescue) with the vmlinux and the initramfs as modules 0 and 1
(domain=...,ramdisk=1; the guest's command line is the vmlinux module's
own). Linux unpacks the initramfs and runs /init, which prints
"orrery-initramfs: Linux userspace is up" and its kernel, CPUs and memory,
and powers off: Linux enters ACPI S5 through the hardware-reduced sleep
control register (pvh_acpi_sleep.c), and Orrery reports the domain's
poweroff.

Exit status: 0 pass, 1 fail, 77 skipped (no download).
"""

import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FETCH = os.path.join(REPO, 'tools', 'guests', 'fetch-linux.py')
INITRAMFS = os.path.join(REPO, 'tools', 'guests', 'make-initramfs.py')
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
    # The panic's text and Orrery's line in either order: the guest's last
    # console output is drained after the shutdown is logged.
    ('--expect-all', r'\(linux\) .*Kernel panic - not syncing: VFS: Unable '
                     r'to mount root fs'),
    ('--expect-all', r'linux: shut down \(crash\)'),
]

# With the initramfs: the same way up to the clocksource, then userspace.
USERSPACE = MILESTONES[:-2] + [
    ('--expect', r'\(linux\) .*Freeing initrd memory'),
    ('--expect', r'\(linux\) .*Run /init as init process'),
    ('--expect', r'\(linux\) orrery-initramfs: Linux userspace is up'),
    ('--expect', r'\(linux\) orrery-initramfs: kernel 6\.\S+, %(vcpus)d '
                 r'CPU\(s\), MemTotal: +\d+ kB'),
    # Orrery's line may come first: the guest's last console output is
    # drained after the shutdown.
    ('--expect-all', r'\(linux\) .*reboot: Power down'),
    ('--expect-all', r'linux: shut down \(poweroff\)'),
]

GRUB_CFG = """serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0
menuentry "Orrery: Linux PVH with an initramfs" {
    multiboot2 /boot/orrery-x86_64 console=com1 %s
    module2 /boot/vmlinux %s
    module2 /boot/initramfs.cpio
    boot
}
"""


def fetch_one(cmd):
    """Run a fetch tool: its output path, or an exit code to return."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if r.returncode == SKIP:
        print('SKIP: a Debian package could not be downloaded (see above); '
              'the Linux PVH boot was not run')
        return None, SKIP
    if r.returncode != 0 or not r.stdout.strip():
        print('FAIL: %s exited %d' % (os.path.basename(cmd[1]),
                                      r.returncode))
        return None, 1
    return r.stdout.strip().splitlines()[-1], 0


def make_iso(build, image, vmlinux, initramfs, domain):
    """<build>/linux/linux.iso: GRUB, Orrery and the two modules."""
    stage = os.path.join(build, 'linux', 'iso')
    iso = os.path.join(build, 'linux', 'linux.iso')
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(os.path.join(stage, 'boot', 'grub'))
    shutil.copy(image, os.path.join(stage, 'boot', 'orrery-x86_64'))
    shutil.copy(vmlinux, os.path.join(stage, 'boot', 'vmlinux'))
    shutil.copy(initramfs, os.path.join(stage, 'boot', 'initramfs.cpio'))
    with open(os.path.join(stage, 'boot', 'grub', 'grub.cfg'), 'w') as f:
        f.write(GRUB_CFG % (domain, GUEST_CMDLINE))
    r = subprocess.run(['grub-mkrescue', '-o', iso, stage],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, check=False)
    shutil.rmtree(stage, ignore_errors=True)
    if r.returncode != 0:
        print('FAIL: grub-mkrescue (tools/deps/install-deps.sh installs '
              'it):\n' + r.stdout)
        return None
    return iso


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', required=True, help='the build folder')
    ap.add_argument('--timeout', type=float, default=150.0)
    ap.add_argument('--no-update', action='store_true',
                    help='pass --no-update to fetch-linux.py')
    ap.add_argument('--initramfs', action='store_true',
                    help='boot on to a busybox /init (GRUB ISO)')
    ap.add_argument('--vcpus', type=int, default=1,
                    help='the guest\'s vCPUs (--initramfs: /init must '
                         'count them all)')
    args = ap.parse_args()

    cache = os.path.join(args.build, 'linux')
    upd = ['--no-update'] if args.no_update else []
    vmlinux, rc = fetch_one([sys.executable, FETCH, '--cache', cache] + upd)
    if vmlinux is None:
        return rc
    image = os.path.join(args.build, 'images', 'orrery-x86_64')
    cmd = [sys.executable, RUNNER,
           '--log-dir', os.path.join(args.build, 'tests', 'linux'),
           '--timeout', str(args.timeout), '--settle', '1',
           '--smp', '2', '--mem', '1G']
    if args.initramfs:
        # Only apt-get update once.
        initramfs, rc = fetch_one([sys.executable, INITRAMFS, '--cache',
                                   cache, '--no-update'])
        if initramfs is None:
            return rc
        iso = make_iso(args.build, image, vmlinux, initramfs,
                       'domain=name=linux,kernel=0,ramdisk=1,mem=256M,'
                       'vcpus=%d' % args.vcpus)
        if iso is None:
            return 1
        name = 'linux.initramfs' + ('-smp' if args.vcpus > 1 else '')
        cmd += ['--name', name, '--iso', iso,
                '--firmware', 'bios']
        steps = [(o, p.replace('%(vcpus)d', str(args.vcpus)))
                 for o, p in USERSPACE]
    else:
        cmd += ['--name', 'linux.pvh' + ('-smp' if args.vcpus > 1 else ''),
                '--image', image,
                '--qemu-arg=-initrd', '--qemu-arg=' + vmlinux,
                '--append', 'console=com1 domain=name=linux,kernel=0,'
                            'mem=256M,vcpus=%d,cmdline="%s"'
                            % (args.vcpus, GUEST_CMDLINE)]
        steps = MILESTONES
    for opt, pat in steps:
        cmd += [opt, pat]
    # The hypervisor must survive whatever the guest does.
    cmd += ['--reject', r'PANIC on CPU']
    return subprocess.run(cmd, check=False).returncode


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make run: boot Orrery under QEMU interactively, serial on this terminal.

The same QEMU command lines as the boot tests (tests/boot/qemu_cmd.py).
Debug keys typed here reach the hypervisor; 'R' resets, which ends QEMU
(-no-reboot); Ctrl-C ends it too.

Usage: run.py [--build DIR] [--arch ARCH] [--iso] [--firmware bios|uefi]
              [--smp N] [--mem SIZE] [--append CMDLINE]
"""

import argparse
import os
import shlex
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'tests', 'boot'))
import qemu_cmd  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--build', default=os.path.join(REPO, 'build'))
    p.add_argument('--arch', default='x86_64')
    p.add_argument('--iso', action='store_true',
                   help='boot build/images/orrery.iso through GRUB')
    p.add_argument('--firmware', choices=('bios', 'uefi'), default='bios')
    p.add_argument('--smp', type=int, default=4)
    p.add_argument('--mem', default='1G')
    p.add_argument('--append', default=None,
                   help='default: the arch\'s (tests/boot/qemu_cmd.py)')
    ns = p.parse_args()
    try:
        media = {'iso': qemu_cmd.iso_path(ns.build)} if ns.iso else \
            {'image': qemu_cmd.image_path(ns.build, ns.arch)}
        cmd = qemu_cmd.qemu_command(ns.arch, firmware=ns.firmware,
                                    smp=ns.smp, mem=ns.mem,
                                    append=ns.append, **media)
    except qemu_cmd.UsageError as e:
        print('run: %s' % e, file=sys.stderr)
        return 2
    print('run: %s' % shlex.join(cmd))
    sys.stdout.flush()
    os.execvp(cmd[0], cmd)


if __name__ == '__main__':
    sys.exit(main())

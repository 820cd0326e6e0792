#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for qemu-system-* that prints a scripted Orrery boot.

Used by selftest.py to drive qemu_boot.py through its success and failure
paths without a bootable image. Invoked as
    fake_qemu.py SCENARIO [QEMU options...]
It reads -smp, -m, -append, -kernel/-cdrom from the QEMU options like the
real hypervisor would see them, and reacts to debug keys on stdin.

Scenarios: ok, panic, wrong-cpus, small-mem, slow-timer, silent (prints
nothing; forks a grandchild that must be killed too; its pid goes to
$FAKE_QEMU_PIDFILE), exit-early, exit-after-banner, triple-fault,
grub-error, no-reset.
"""

import os
import re
import sys
import time

T0 = time.monotonic()


def say(text):
    stamp = time.monotonic() - T0
    sys.stdout.write('(ORR) [%5d.%06d] %s\r\n'
                     % (int(stamp), int(stamp * 1e6) % 1000000, text))
    sys.stdout.flush()


def opt(args, name, default=None):
    if name in args:
        return args[args.index(name) + 1]
    return default


def mem_mib(text):
    m = re.fullmatch(r'(\d+)([MG]?)', text)
    return int(m.group(1)) * (1024 if m.group(2) == 'G' else 1)


def main():
    scenario, args = sys.argv[1], sys.argv[2:]
    smp = int(opt(args, '-smp', '1'))
    mem = mem_mib(opt(args, '-m', '128M'))
    cmdline = opt(args, '-append', '')
    via = 'PVH' if '-kernel' in args else 'multiboot2'

    if scenario == 'silent':
        pid = os.fork()
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        with open(os.environ['FAKE_QEMU_PIDFILE'], 'w') as f:
            f.write('%d\n' % pid)
        time.sleep(600)
        return 0
    if scenario == 'grub-error':
        # GRUB over serial: escape sequences, then its error message.
        sys.stdout.write('\x1b[H\x1b[J\x1b[0m'
                         'error: no multiboot header found.\r\n')
        sys.stdout.flush()
        time.sleep(600)
        return 0

    say('Orrery 0.1.0 (x86_64) booting via %s' % via)
    online = smp
    for word in cmdline.split():
        key, _, value = word.partition('=')
        if key == 'maxcpus':
            online = min(smp, int(value))
        elif key not in ('console', 'loglvl'):
            say("cmdline: unknown option '%s' ignored" % key)
    if scenario == 'exit-early':
        return 3
    if scenario == 'triple-fault':
        # Where QEMU's -d cpu_reset puts it: the -D file, else stderr.
        if '-D' in args:
            with open(opt(args, '-D'), 'a') as f:
                f.write('CPU Reset (CPU 0)\nTriple fault\n')
        else:
            sys.stderr.write('Triple fault\n')
            sys.stderr.flush()
        return 0
    if scenario == 'panic':
        say('PANIC on CPU 0: BUG_ON(1) at core/mm/buddy.c:42')
        time.sleep(600)
    if scenario == 'wrong-cpus':
        online -= 1
    total = mem - 2
    if scenario == 'small-mem':
        total = mem // 2
    ticks = 40 if scenario == 'slow-timer' else 10

    say('================ Orrery 0.1.0 ================')
    say('Arch:    x86_64, booted via %s' % via)
    say('CPUs:    %d/%d online' % (online, smp))
    say('Memory:  %d MiB total, %d MiB free' % (total, total - 21))
    say('Timer:   %d ticks in 100 ms (10 ms period)' % ticks)
    say("Orrery is up. Debug keys: press 'h' on the console.")

    if scenario == 'exit-after-banner':
        return 0
    while True:
        key = os.read(0, 1).decode()
        if not key:
            time.sleep(600)
            return 0
        if key == 'h':
            say("'h' show this help")
            say("'R' reboot the machine")
        elif key == 'R':
            if scenario == 'no-reset':
                continue
            say('Resetting the machine')
            return 0
        else:
            say("key '%s' pressed" % key)


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make demo: boot Orrery under QEMU and show it off on the serial console.

Boots the PVH image with the serial log on the terminal, waits for the
banner, then types the debug keys 'h' (help), 'm' (memory), 't' (timers)
a second or so apart, and finally 'R', which resets the machine; QEMU runs
with -no-reboot, so that ends the demo. Exits non-zero when the banner
never came or the run otherwise failed (the boot-test runner's checks).

Usage: demo.py [--build DIR] [--arch ARCH] [--smp N] [--mem SIZE]
"""

import argparse
import os
import shlex
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'tests', 'boot'))
import qemu_boot as qb  # noqa: E402
import qemu_cmd  # noqa: E402

KEYS = ('h', 'm', 't')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--build', default=os.path.join(REPO, 'build'))
    p.add_argument('--arch', default='x86_64')
    p.add_argument('--smp', type=int, default=4)
    p.add_argument('--mem', default='1G')
    p.add_argument('--append', default=None,
                   help='default: the arch\'s (tests/boot/qemu_cmd.py)')
    p.add_argument('--gap', type=float, default=1.2,
                   help='seconds between keys')
    p.add_argument('--timeout', type=float, default=120)
    ns = p.parse_args()

    steps = []
    for key in KEYS + ('R',):
        steps += [qb.Pause(ns.gap),
                  qb.Send(key, note="[demo] typing '%s'" % key)]
    steps.append(qb.ExpectExit(0))
    try:
        image = qemu_cmd.image_path(ns.build, ns.arch)
        cfg = qb.BootConfig(arch=ns.arch, image=image, smp=ns.smp,
                            mem=ns.mem, append=ns.append,
                            timeout=ns.timeout, steps=steps, settle=0,
                            name='demo.%s' % ns.arch, echo=True, quiet=True,
                            log_dir=os.path.join(ns.build, 'tests', 'boot'))
        print('demo: %s' % shlex.join(qemu_cmd.qemu_command(
            cfg.arch, cfg.image, append=cfg.append, smp=cfg.smp,
            mem=cfg.mem)))
        print('demo: after the banner, keys %s then R (reset ends QEMU)\n'
              % ', '.join(KEYS))
        sys.stdout.flush()
        result = qb.run_boot(cfg)
    except qb.UsageError as e:
        print('demo: %s' % e, file=sys.stderr)
        return 2
    if result.ok:
        print('\ndemo: banner after %.2f s, reset after %.2f s; '
              'transcript in %s' % (result.marks['up'], result.marks['exit'],
                                    result.log_path))
        return 0
    print('\ndemo: FAILED: %s (transcript in %s)'
          % (result.reason, result.log_path), file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make qemu-gdb: start Orrery under QEMU, stopped, waiting for gdb.

Writes BUILD/.gdbinit from tools/gdb/gdbinit.in (the gdb architecture, the
image's symbols, `target remote`), points a top-level .gdbinit symlink at
it, then runs QEMU in the foreground with the serial console on this
terminal and the gdb stub listening (-S: no instruction runs before gdb
says continue). In another terminal:
    gdb -x build/.gdbinit          (gdb-multiarch for ARCH=arm64)
    (gdb) break start_orrery
    (gdb) continue
End QEMU with Ctrl-C here, or `kill` in gdb.

Usage: qemu_gdb.py [--arch ARCH] [--build DIR] [--port N] [QEMU options]
"""

import argparse
import os
import shlex
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'tests', 'boot'))
import qemu_cmd  # noqa: E402

TEMPLATE = os.path.join(REPO, 'tools', 'gdb', 'gdbinit.in')


def write_gdbinit(path, arch, image, port):
    info = qemu_cmd.arch_info(arch)
    with open(TEMPLATE) as f:
        text = f.read()
    for key, value in (('@GDB@', info['gdb']), ('@GDBINIT@', path),
                       ('@GDB_ARCH@', info['gdb_arch']),
                       ('@IMAGE@', image), ('@PORT@', str(port))):
        text = text.replace(key, value)
    if '@' in text.replace('@GDB', ''):
        raise qemu_cmd.UsageError('unexpanded placeholder in ' + TEMPLATE)
    with open(path, 'w') as f:
        f.write(text)


def link_top_level(target):
    """./.gdbinit -> build/.gdbinit, unless the user has a real file."""
    link = os.path.join(REPO, '.gdbinit')
    if os.path.exists(link) and not os.path.islink(link):
        return None
    if os.path.islink(link):
        os.unlink(link)
    inside = os.path.commonpath([REPO, target]) == REPO
    os.symlink(os.path.relpath(target, REPO) if inside else target, link)
    return link


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--arch', default='x86_64')
    p.add_argument('--build', default=os.path.join(REPO, 'build'))
    p.add_argument('--port', type=int, default=1234)
    p.add_argument('--smp', type=int, default=4)
    p.add_argument('--mem', default='1G')
    p.add_argument('--append', default=None,
                   help='default: the arch\'s (tests/boot/qemu_cmd.py)')
    p.add_argument('--dry-run', action='store_true',
                   help='write the gdbinit and print the QEMU command only')
    ns = p.parse_args()

    try:
        info = qemu_cmd.arch_info(ns.arch)
        build = os.path.abspath(ns.build)
        image = qemu_cmd.image_path(build, ns.arch)
        # -S: stop before the first instruction; -gdb: the stub's port
        # (QEMU's -s is shorthand for -gdb tcp::1234).
        cmd = qemu_cmd.qemu_command(ns.arch, image=image, smp=ns.smp,
                                    mem=ns.mem, append=ns.append,
                                    extra=['-S', '-gdb',
                                           'tcp::%d' % ns.port])
        gdbinit = os.path.join(build, '.gdbinit')
        # GDB wants the ELF with symbols: on arm64 QEMU boots the flat
        # Image made from it (orrery-arm64.elf beside orrery-arm64).
        write_gdbinit(gdbinit, ns.arch, qemu_cmd.symbols_path(build, ns.arch),
                      ns.port)
    except qemu_cmd.UsageError as e:
        print('qemu-gdb: %s' % e, file=sys.stderr)
        return 2
    link = link_top_level(gdbinit)

    gdb = info['gdb']
    print('qemu-gdb: wrote %s%s' % (gdbinit, ' (and the symlink %s)' % link
                                    if link else ''))
    if not shutil.which(gdb):
        print('qemu-gdb: warning: %s is not installed (make deps)' % gdb)
    print('qemu-gdb: QEMU is stopped before the first instruction. In '
          'another terminal:')
    shown = os.path.relpath(gdbinit)
    print('    %s -x %s' % (gdb, gdbinit if shown.startswith('..')
                                else shown))
    print('    (gdb) break start_orrery')
    print('    (gdb) continue')
    if link:
        print('(gdb started in %s reads .gdbinit by itself once it is '
              'allowed:\n add-auto-load-safe-path %s to ~/.gdbinit.)'
              % (REPO, link))
    print('qemu-gdb: %s' % shlex.join(cmd))
    print('qemu-gdb: serial console follows; Ctrl-C ends QEMU.\n')
    sys.stdout.flush()
    if ns.dry_run:
        return 0
    os.execvp(cmd[0], cmd)


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build a tiny initramfs for the Linux PVH guest from Debian's busybox.

Only Debian's package archive is used: `apt-get download busybox-static`
(after `apt-get update` unless --no-update), its ./bin/busybox taken out
of the data archive, and a cpio "newc" archive (the format the kernel's
initramfs unpacker reads: Documentation/driver-api/early-userspace/
buffer-format.rst) written here with:

  /dev/console   character device 5:1, so that init has its console
                 (the kernel opens it before running /init)
  /bin/busybox   the static busybox
  /init          a busybox sh script: mounts /proc and /sys, prints
                 "orrery-initramfs: Linux userspace is up", the kernel
                 release and what /proc says about CPUs and memory, then
                 `poweroff -f`
  /proc, /sys    empty directories

The result is cached as <cache>/initramfs-<busybox version>.cpio with an
`initramfs.cpio` symlink; its path is printed last. Exit codes as
fetch-linux.py: 0 done, 1 failure, 77 apt could not download busybox.
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
fetch = __import__('fetch-linux')

INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
echo "orrery-initramfs: Linux userspace is up"
echo "orrery-initramfs: kernel $(/bin/busybox uname -r)," \\
     "$(/bin/busybox grep -c ^processor /proc/cpuinfo) CPU(s)," \\
     "$(/bin/busybox grep MemTotal /proc/meminfo)"
echo "orrery-initramfs: powering off"
/bin/busybox poweroff -f
"""


def cpio_entry(name, mode, data=b'', rdev=(0, 0), ino=1):
    """One newc record: a 110-byte ASCII header, the name, the data; name
    and data each padded to 4 bytes."""
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name) + 1, 0]
    hdr = b'070701' + b''.join(b'%08X' % f for f in fields)
    rec = hdr + name.encode() + b'\0'
    rec += b'\0' * (-len(rec) % 4)
    rec += data + b'\0' * (-len(data) % 4)
    return rec


def build_cpio(busybox):
    out = b''
    entries = [
        ('dev', 0o040755, b'', (0, 0)),
        ('dev/console', 0o020600, b'', (5, 1)),
        ('bin', 0o040755, b'', (0, 0)),
        ('bin/busybox', 0o100755, busybox, (0, 0)),
        ('proc', 0o040755, b'', (0, 0)),
        ('sys', 0o040755, b'', (0, 0)),
        ('init', 0o100755, INIT.encode(), (0, 0)),
    ]
    for i, (name, mode, data, rdev) in enumerate(entries):
        out += cpio_entry(name, mode, data, rdev, ino=i + 1)
    out += cpio_entry('TRAILER!!!', 0, ino=0)
    return out + b'\0' * (-len(out) % 512)


def extract_busybox(deb, tmp):
    tar = subprocess.Popen(['dpkg-deb', '--fsys-tarfile', deb],
                           stdout=subprocess.PIPE)
    r = subprocess.run(['tar', '-x', '-C', tmp, './bin/busybox'],
                       stdin=tar.stdout, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, check=False)
    tar.stdout.close()
    path = os.path.join(tmp, 'bin', 'busybox')
    if tar.wait() != 0 or r.returncode != 0 or not os.path.exists(path):
        raise fetch.FetchError('cannot unpack bin/busybox from %s: %s'
                               % (deb, r.stdout.strip()))
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] != fetch.ELF_MAGIC:
        raise fetch.FetchError('bin/busybox is not an ELF file')
    return data


def package_version(pkg):
    r = fetch.run(['apt-cache', 'show', '--no-all-versions', pkg])
    for line in r.stdout.splitlines():
        if line.startswith('Version:'):
            return line.split(':', 1)[1].strip()
    raise fetch.FetchError('apt-cache knows no %s' % pkg,
                           fetch.EXIT_NO_DOWNLOAD)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cache', default=None,
                    help='cache folder (default: <repo>/build/linux)')
    ap.add_argument('--no-update', action='store_true',
                    help='do not run apt-get update first')
    args = ap.parse_args()

    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    cache = os.path.abspath(args.cache or os.path.join(repo, 'build',
                                                       'linux'))
    os.makedirs(cache, exist_ok=True)
    try:
        if not args.no_update:
            fetch.run(['apt-get', 'update', '-qq'])
        version = package_version('busybox-static')
        out = os.path.join(cache, 'initramfs-%s.cpio'
                           % version.replace(':', '_'))
        if not os.path.exists(out):
            deb = fetch.download('busybox-static', version, cache)
            with tempfile.TemporaryDirectory(dir=cache) as tmp:
                data = build_cpio(extract_busybox(deb, tmp))
            with open(out + '.part', 'wb') as f:
                f.write(data)
            os.replace(out + '.part', out)
            os.unlink(deb)
        link = os.path.join(cache, 'initramfs.cpio')
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.basename(out), link)
        fetch.log('%s: busybox-static %s' % (out, version))
        print(out)
        return 0
    except fetch.FetchError as e:
        fetch.log(str(e))
        return e.code


if __name__ == '__main__':
    sys.exit(main())

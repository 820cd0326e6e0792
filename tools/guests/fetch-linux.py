#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fetch Debian's Linux kernel and unpack the ELF vmlinux a PVH domain boots.

Only Debian's package archive is used (apt-get, dpkg-deb):
  1. `apt-get update` (skip with --no-update), then resolve the metapackage
     linux-image-amd64 to the real linux-image-6.x-amd64 package it
     depends on;
  2. `apt-get download` that .deb into the cache folder;
  3. take ./boot/vmlinuz-* out of its data archive;
  4. the vmlinuz is a bzImage: its real-mode setup header (Linux boot
     protocol, Documentation/arch/x86/boot.rst) gives setup_sects (0x1F1),
     the "HdrS" magic (0x202), the protocol version (0x206, >= 2.08 for
     the payload fields), payload_offset (0x248) and payload_length
     (0x24C), counted from the start of the protected-mode code, which
     follows the (setup_sects + 1) * 512 bytes of setup;
  5. the payload is the compressed vmlinux: its magic says the format
     (xz fd 37 7a 58 5a 00, zstd 28 b5 2f fd, gzip 1f 8b), decompressed
     with Python's lzma/gzip or Debian's zstd;
  6. the result must be an x86-64 ELF with the Xen PHYS32_ENTRY note
     (type 18, name "Xen"; xen-abi-facts §1.4) that Orrery's ELF loader
     boots.

The result is cached: <cache>/vmlinux-<version> plus a `vmlinux` symlink
and `vmlinux.info` (package, version, PVH entry). A second run with the
same package version does nothing. Prints the vmlinux path last.

Exit codes: 0 done, 1 a real failure (bad image, no PVH note), 77 apt
could not download the package (no archive reachable): callers such as the
`linux` boot test report that as a skip, with the reason.
"""

import argparse
import glob
import gzip
import io
import lzma
import os
import shutil
import struct
import subprocess
import sys
import tempfile

EXIT_NO_DOWNLOAD = 77

ELF_MAGIC = b'\x7fELF'
XEN_ELFNOTE_PHYS32_ENTRY = 18     # public/elfnote.h
PT_NOTE = 4
EM_X86_64 = 62

COMPRESSORS = [
    (b'\xfd7zXZ\x00', 'xz'),
    (b'\x28\xb5\x2f\xfd', 'zstd'),
    (b'\x1f\x8b', 'gzip'),
    (b'\x02\x21\x4c\x18', 'lz4'),
    (b'\x89LZO', 'lzo'),
    (b'BZh', 'bzip2'),
]


class FetchError(Exception):
    def __init__(self, msg, code=1):
        super().__init__(msg)
        self.code = code


def log(msg):
    print('fetch-linux: ' + msg, file=sys.stderr)


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          **kw)


def resolve_package(meta):
    """linux-image-amd64 -> (linux-image-6.1.0-N-amd64, version)."""
    r = run(['apt-cache', 'show', '--no-all-versions', meta])
    if r.returncode != 0 or not r.stdout.strip():
        raise FetchError('apt-cache knows no %s (run apt-get update?): %s'
                         % (meta, r.stdout.strip()), EXIT_NO_DOWNLOAD)
    depends = ''
    for line in r.stdout.splitlines():
        if line.startswith('Depends:'):
            depends = line.split(':', 1)[1]
            break
    for alt in depends.split(','):
        name = alt.split('|')[0].strip().split(' ')[0]
        if name.startswith('linux-image-') and name != meta:
            break
    else:
        raise FetchError('%s depends on no linux-image package: %r'
                         % (meta, depends))
    r = run(['apt-cache', 'show', '--no-all-versions', name])
    version = None
    for line in r.stdout.splitlines():
        if line.startswith('Version:'):
            version = line.split(':', 1)[1].strip()
    if not version:
        raise FetchError('apt-cache has no version of %s' % name,
                         EXIT_NO_DOWNLOAD)
    return name, version


def download(pkg, version, folder):
    # Reuse a .deb of this exact version from an earlier run.
    want = '%s_%s_amd64.deb' % (pkg, version.replace(':', '%3a'))
    path = os.path.join(folder, want)
    if os.path.exists(path):
        return path
    r = run(['apt-get', 'download', '%s=%s' % (pkg, version)], cwd=folder)
    if r.returncode != 0 or not os.path.exists(path):
        raise FetchError('apt-get download %s=%s failed:\n%s'
                         % (pkg, version, r.stdout.strip()), EXIT_NO_DOWNLOAD)
    return path


def extract_vmlinuz(deb, tmp):
    """Only ./boot/vmlinuz-* out of the package's data archive."""
    tar = subprocess.Popen(['dpkg-deb', '--fsys-tarfile', deb],
                           stdout=subprocess.PIPE)
    r = subprocess.run(['tar', '-x', '-C', tmp, '--wildcards',
                        './boot/vmlinuz-*'], stdin=tar.stdout,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, check=False)
    tar.stdout.close()
    if tar.wait() != 0 or r.returncode != 0:
        raise FetchError('cannot unpack boot/vmlinuz-* from %s: %s'
                         % (deb, r.stdout.strip()))
    found = glob.glob(os.path.join(tmp, 'boot', 'vmlinuz-*'))
    if len(found) != 1:
        raise FetchError('%s holds %d vmlinuz files' % (deb, len(found)))
    return found[0]


def bzimage_payload(data):
    """The compressed kernel inside a bzImage (boot protocol >= 2.08)."""
    if len(data) < 0x250 or data[0x202:0x206] != b'HdrS':
        raise FetchError('not a bzImage: no HdrS setup header magic at 0x202')
    version = struct.unpack_from('<H', data, 0x206)[0]
    if version < 0x208:
        raise FetchError('boot protocol %x.%02x predates payload_offset '
                         '(2.08)' % (version >> 8, version & 0xff))
    setup_sects = data[0x1F1] or 4          # 0 means 4 (boot.rst)
    pm_start = (setup_sects + 1) * 512
    offset, length = struct.unpack_from('<II', data, 0x248)
    start = pm_start + offset
    if length == 0 or start + length > len(data):
        raise FetchError('payload %#x+%#x lies outside the %d-byte image'
                         % (start, length, len(data)))
    return data[start:start + length]


def decompress(payload):
    for magic, kind in COMPRESSORS:
        if payload.startswith(magic):
            break
    else:
        raise FetchError('unknown payload compression, magic %s'
                         % payload[:6].hex())
    log('payload: %d bytes, %s' % (len(payload), kind))
    if kind == 'xz':
        # The kernel's payload may carry padding after the stream.
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(
            payload)
    if kind == 'gzip':
        return gzip.GzipFile(fileobj=io.BytesIO(payload)).read()
    if kind == 'zstd':
        if not shutil.which('zstd'):
            raise FetchError('zstd payload but no zstd command '
                             '(tools/deps/install-deps.sh installs it)')
        r = subprocess.run(['zstd', '-d', '-c', '-q'], input=payload,
                           stdout=subprocess.PIPE, check=False)
        if r.returncode != 0:
            raise FetchError('zstd -d failed')
        return r.stdout
    raise FetchError('%s payloads are not handled' % kind)


def pvh_entry(elf):
    """The PHYS32_ENTRY address from the ELF's PT_NOTE segments."""
    if elf[:4] != ELF_MAGIC or elf[4] != 2 or elf[5] != 1:
        raise FetchError('decompressed payload is not a 64-bit LE ELF')
    machine = struct.unpack_from('<H', elf, 18)[0]
    if machine != EM_X86_64:
        raise FetchError('ELF machine %d, not x86-64' % machine)
    phoff = struct.unpack_from('<Q', elf, 32)[0]
    phentsize, phnum = struct.unpack_from('<HH', elf, 54)
    for i in range(phnum):
        ph = phoff + i * phentsize
        p_type = struct.unpack_from('<I', elf, ph)[0]
        if p_type != PT_NOTE:
            continue
        off, _, _, filesz = struct.unpack_from('<QQQQ', elf, ph + 8)
        pos, end = off, off + filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from('<III', elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b'\0')
            desc = pos + 12 + ((namesz + 3) & ~3)
            if name == b'Xen' and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                size = 8 if descsz >= 8 else 4
                return struct.unpack_from('<Q' if size == 8 else '<I',
                                          elf, desc)[0]
            pos = desc + ((descsz + 3) & ~3)
    raise FetchError('vmlinux has no Xen PHYS32_ENTRY (18) note: the '
                     'kernel was built without CONFIG_PVH')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cache', default=None,
                    help='cache folder (default: <repo>/build/linux)')
    ap.add_argument('--package', default='linux-image-amd64',
                    help='metapackage to resolve (default %(default)s)')
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
            r = run(['apt-get', 'update', '-qq'])
            if r.returncode != 0:
                # A stale list may still download; resolve() decides.
                log('apt-get update failed:\n' + r.stdout.strip())
        pkg, version = resolve_package(args.package)
        out = os.path.join(cache, 'vmlinux-' + version)
        link = os.path.join(cache, 'vmlinux')
        if not os.path.exists(out):
            log('%s -> %s %s' % (args.package, pkg, version))
            deb = download(pkg, version, cache)
            with tempfile.TemporaryDirectory(dir=cache) as tmp:
                with open(extract_vmlinuz(deb, tmp), 'rb') as f:
                    elf = decompress(bzimage_payload(f.read()))
            entry = pvh_entry(elf)
            with open(out + '.part', 'wb') as f:
                f.write(elf)
            os.replace(out + '.part', out)
            os.unlink(deb)
        else:
            with open(out, 'rb') as f:
                entry = pvh_entry(f.read())
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.path.basename(out), link)
        with open(os.path.join(cache, 'vmlinux.info'), 'w') as f:
            f.write('package: %s\nversion: %s\npvh_entry: %#x\n'
                    % (pkg, version, entry))
        log('%s: %s %s, PVH entry %#x' % (out, pkg, version, entry))
        print(out)
        return 0
    except FetchError as e:
        log(str(e))
        return e.code


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a QEMU virt device tree with one corrupt property name offset.

Usage: make_bad_dtb.py OUT.dtb [QEMU-MACHINE-OPTIONS]

QEMU dumps the tree it would pass to an arm64 Image (-M ...,dumpdtb=);
the last property in the structure block then gets a name offset far
outside the strings block. QEMU passes such a blob on untouched (it only
checks the header), so the hypervisor's own check has to catch it: the
boot test boot.arm64.bad-dtb expects a clear panic naming the fault.
"""
import os
import struct
import subprocess
import sys

FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def last_prop(blob):
    """Offset of the last FDT_PROP token (Devicetree spec v0.4 §5.4)."""
    off, size = struct.unpack('>I', blob[8:12])[0], \
        struct.unpack('>I', blob[36:40])[0]
    i, end, last = off, off + size, None
    while i < end:
        tok = struct.unpack('>I', blob[i:i + 4])[0]
        if tok == FDT_BEGIN_NODE:
            i = (blob.index(b'\0', i + 4) + 1 + 3) & ~3
        elif tok == FDT_PROP:
            length = struct.unpack('>I', blob[i + 4:i + 8])[0]
            last = i
            i = (i + 12 + length + 3) & ~3
        elif tok in (FDT_END_NODE, FDT_NOP):
            i += 4
        else:
            break
    return last


def main():
    out = sys.argv[1]
    machine = sys.argv[2] if len(sys.argv) > 2 else \
        'virt,virtualization=on,gic-version=3'
    good = out + '.good'
    subprocess.run(['qemu-system-aarch64', '-M',
                    '%s,dumpdtb=%s' % (machine, good), '-cpu', 'cortex-a57',
                    '-m', '256M', '-display', 'none', '-nic', 'none'],
                   check=True, capture_output=True)
    with open(good, 'rb') as f:
        blob = bytearray(f.read())
    os.unlink(good)
    prop = last_prop(blob)
    if prop is None:
        sys.exit('make_bad_dtb: no property found in the dumped tree')
    blob[prop + 8:prop + 12] = struct.pack('>I', 0x7ffffff0)
    with open(out, 'wb') as f:
        f.write(blob)
    print('make_bad_dtb: %s: name offset of the property at %#x corrupted'
          % (out, prop))


if __name__ == '__main__':
    main()

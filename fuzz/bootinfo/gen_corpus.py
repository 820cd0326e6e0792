#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the bootinfo fuzzer's seed corpus (fuzz/bootinfo/corpus/).

A seed is one selector byte (0: multiboot2, 1: PVH) and the loader memory,
which bootinfo_fuzz.c places at physical LOADER_BASE with the info block
first. The blocks follow the Multiboot2 specification (§3.6: u32 total
size, u32 reserved, 8-byte-aligned tags ending with a type-0 tag) and
struct hvm_start_info (include/public/hvm/start_info.h). Files named
regress-* are inputs that once broke a parser; they are kept as they
were found, not generated here.
"""
import os
import struct
import sys

LOADER_BASE = 0x100000
PVH_MAGIC = 0x336ec578


def tag(ttype, payload):
    t = struct.pack("<II", ttype, 8 + len(payload)) + payload
    return t + b"\0" * (-len(t) % 8)


def mb2(*tags, total=None):
    body = b"".join(tags) + struct.pack("<II", 0, 8)
    size = 8 + len(body) if total is None else total
    return b"\x00" + struct.pack("<II", size, 0) + body


def mmap_tag(entries, entry_size=24):
    payload = struct.pack("<II", entry_size, 0)
    for addr, length, etype in entries:
        e = struct.pack("<QQII", addr, length, etype, 0)
        payload += e + b"\0" * (entry_size - len(e))
    return tag(6, payload)


def module_tag(start, end, cmd):
    return tag(3, struct.pack("<II", start, end) + cmd + b"\0")


RSDP = b"RSD PTR " + b"\x00" * 12          # ACPI 1.0: 20 bytes
PC_MAP = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
          (0x100000, 0x3fee0000, 1), (0x3ffe0000, 0x20000, 2)]


def pvh(version=1, cmdline=b"console=com1", mods=(), memmap=PC_MAP):
    """Start info, then the memory map, module list and strings after it."""
    head = 56 if version >= 1 else 40
    blob = b""
    base = LOADER_BASE + head

    def place(data):
        nonlocal blob
        addr = base + len(blob)
        blob += data + b"\0" * (-len(data) % 8)
        return addr

    cmd_pa = place(cmdline + b"\0") if cmdline is not None else 0
    mm_pa = place(b"".join(struct.pack("<QQII", a, s, t, 0)
                           for a, s, t in memmap)) if memmap else 0
    ml = b""
    for paddr, size, cmd in mods:
        ml += struct.pack("<QQQQ", paddr, size, place(cmd + b"\0"), 0)
    ml_pa = place(ml) if mods else 0
    si = struct.pack("<IIIIQQQ", PVH_MAGIC, version, 0, len(mods), ml_pa,
                     cmd_pa, 0)
    if version >= 1:
        si += struct.pack("<QII", mm_pa, len(memmap), 0)
    return b"\x01" + si + blob


SEEDS = {
    "mb2-grub": mb2(tag(1, b"/boot/orrery console=com1 loglvl=all\0"),
                    tag(2, b"GRUB 2.06\0"),
                    module_tag(0x400000, 0x500000, b"dom0 root=/dev/xvda"),
                    mmap_tag(PC_MAP), tag(14, RSDP)),
    "mb2-acpi2": mb2(tag(14, RSDP), tag(15, RSDP + b"\x24" + b"\0" * 15),
                     mmap_tag(PC_MAP, entry_size=32)),
    "mb2-modules": mb2(*[module_tag(0x400000 + i * 0x1000,
                                    0x401000 + i * 0x1000, b"m%d" % i)
                         for i in range(18)]),
    "mb2-empty": mb2(),
    "mb2-short-total": mb2(tag(1, b"x\0"), total=12),
    "pvh-v1": pvh(mods=[(0x400000, 0x100000, b"guest kernel"),
                        (0x600000, 0x2000, b"")]),
    "pvh-v0": pvh(version=0, memmap=()),
    "pvh-no-cmdline": pvh(cmdline=None),
    "pvh-bad-magic": b"\x01" + b"\0" * 56,
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())

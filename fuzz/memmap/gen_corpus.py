#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the memmap fuzzer's seed corpus (fuzz/memmap/corpus/).

An entry is a type byte (below 0xf0: (b & 7) + 1; from 0xf0: b - 0xf0, so
unknown types and 0 too), a scale byte and 16-bit address and size in
units of the scale; scale 0xff takes a raw 64-bit address and size
instead. See memmap_fuzz.c. The files are committed; run this again after
changing the list.
"""
import os
import struct
import sys

RAM, RES, ACPI, NVS = 0, 1, 2, 3       # type bytes for types 1..4
UNIT = {1: 0, 0x10: 1, 0x100: 2, 0x1000: 3, 0x10000: 4, 1 << 20: 5,
        1 << 30: 6, 1 << 40: 7}


def e(tb, unit, addr, size, top=False):
    scale = UNIT[unit] | (0x80 if top else 0)
    return struct.pack("<BBHH", tb, scale, addr, size)


def raw(tb, addr, size):
    return struct.pack("<BBQQ", tb, 0xff, addr, size)


def pc_map():
    """A BIOS-style e820 map of a 1 GiB PC."""
    return (e(RAM, 0x1000, 0, 0x9f) + e(RES, 0x1000, 0x9f, 1) +
            e(RES, 0x10000, 0xf, 1) + e(RAM, 1 << 20, 1, 1022) +
            e(ACPI, 0x10000, 0x3ffe, 1) + e(NVS, 0x10000, 0x3fff, 1))


SEEDS = {
    "pc": pc_map(),
    "unaligned_ram": e(RAM, 0x10, 0x11, 0x2000) + e(RAM, 0x100, 0x31, 0x44),
    "nested": e(RAM, 1 << 20, 0, 64) + e(RES, 1 << 20, 8, 4) +
              e(ACPI, 1 << 20, 9, 1) + e(RAM, 1 << 20, 9, 1),
    "touching": e(RAM, 0x1000, 0, 16) + e(RAM, 0x1000, 16, 16) +
                e(RES, 0x1000, 32, 1) + e(RES, 0x1000, 33, 1),
    "unsorted": e(RAM, 0x1000, 0x300, 0x100) + e(RAM, 0x1000, 0, 0x100) +
                e(RES, 0x1000, 0x100, 0x200),
    "wrap": raw(RAM, 0xfffffffffffff000, 0x2000) +
            e(RES, 0x1000, 0x10, 0x10, top=True),
    "zero_and_unknown": e(RAM, 0x1000, 1, 0) + e(0xf0, 0x1000, 0, 4) +
                        e(0xf9, 0x1000, 2, 4) + e(RAM, 0x1000, 0, 8),
    "holes": b"".join(e(RES, 0x1000, 2 * i + 1, 1) for i in range(70)) +
             e(RAM, 0x1000, 0, 200),
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

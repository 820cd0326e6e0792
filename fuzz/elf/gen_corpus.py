#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpus for fuzz-elf: small PVH-style kernels (ELF-64 and ELF-32,
with and without Xen's PHYS32_ENTRY note). Usage: gen_corpus.py DIR"""
import os
import struct
import sys


def note(entry, descsz):
    desc = struct.pack("<Q", entry)[:descsz]
    return struct.pack("<III", 4, descsz, 18) + b"Xen\0" + desc


def elf64(with_note=True):
    n = note(0x100040, 4) if with_note else b""
    phnum = 2 if with_note else 1
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x100040, 64, 0, 0, 64,
                       56, phnum, 0, 0, 0)
    text_off = 64 + 56 * phnum
    note_off = text_off + 0x40
    ph = struct.pack("<IIQQQQQQ", 1, 5, text_off, 0x100000, 0x100000, 0x40,
                     0x2000, 0x1000)
    if with_note:
        ph += struct.pack("<IIQQQQQQ", 4, 4, note_off, 0, 0, len(n), len(n),
                          4)
    return hdr + ph + bytes(range(0x40)) + n


def elf32():
    n = note(0x101000, 8)
    hdr = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x101000, 52, 0, 0, 52, 32,
                       2, 0, 0, 0)
    text_off = 52 + 64
    ph = struct.pack("<IIIIIIII", 1, text_off, 0x101000, 0x101000, 0x20,
                     0x1000, 5, 0x1000)
    ph += struct.pack("<IIIIIIII", 4, text_off + 0x20, 0, 0, len(n), len(n),
                      4, 4)
    return hdr + ph + bytes(0x20) + n


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    for name, data in (("elf64-pvh", elf64()), ("elf64-nonote",
                                                 elf64(False)),
                       ("elf32-pvh", elf32())):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

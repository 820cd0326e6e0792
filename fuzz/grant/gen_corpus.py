#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of fuzz-grant (the record format is described
at the top of grant_fuzz.c). Usage: gen_corpus.py [DIR]"""
import os
import struct
import sys

U1, U2, D0 = 1, 2, 0        # domain indices (domid bytes pick these)


def entry(d, ref, to, fl, frame, off=0, length=0, tdom=0, tref=0):
    b = bytes([0, d, ref, to, fl])
    b += struct.pack('<I', frame) if fl & 0x80 else bytes([frame])
    return b + struct.pack('<HH', off, length) + bytes([tdom, tref])


def map_(d, dom, ref, hole, ro=False):
    return bytes([1, d, 1 if ro else 0, dom, ref, hole])


def unmap(d, pick, hole, how=0):
    return bytes([2, d, how, pick, hole])


def ptr(gref, dom, ref_or_gfn, off):
    sel = 1 if gref else 4
    return bytes([sel, dom, ref_or_gfn]) + struct.pack('<H', off)


def copy(d, src, dst, length):
    return bytes([3, d, 0]) + src + dst + struct.pack('<H', length)


def table(d, what, raw):
    raw = bytes(raw) + bytes(40 - len(raw))
    return bytes([4, d, what]) + raw


SEEDS = {
    'map-unmap': bytes([0]) + entry(U1, 8, U2, 1, 4) +
    map_(U2, U1, 8, 0) + map_(U2, U1, 8, 1, ro=True) +
    unmap(U2, 0, 0) + unmap(U2, 1, 1),
    'copy': bytes([0]) + entry(U1, 8, U2, 1, 4) +
    copy(U2, ptr(True, U1, 8, 0), ptr(False, 0, 5, 0), 4096) +
    copy(U2, ptr(False, 0, 5, 100), ptr(True, U1, 8, 200), 1000),
    'granter-dies': bytes([0]) + entry(U1, 8, U2, 1, 4) +
    map_(U2, U1, 8, 0) + bytes([5, 1]) + unmap(U2, 0, 0),
    'mapper-dies': bytes([0]) + entry(U1, 8, U2, 1, 4) +
    map_(U2, U1, 8, 0) + bytes([5, 3]),
    'v2-transitive': bytes([0x0c]) +
    entry(U1, 8, D0, 1 | 8, 4, 0, 200) +
    entry(D0, 9, U2, 3, 0, tdom=U1, tref=8) +
    copy(U2, ptr(True, D0, 9, 10), ptr(False, 0, 5, 0), 100),
    'table-ops': bytes([0x03]) +
    table(U1, 0, [2]) + table(U1, 1, [0xf0, 4, 1]) +
    table(U1, 2, [8, 9]) + table(U1, 3, [1, 0xf0]) +
    table(U1, 4, [3, 1]) + table(U2, 5, [3, 1, 1, 1]),
    'physmap': bytes([0x08]) +
    table(U1, 4, [0, 2, 5]) + table(U1, 4, [1, 2, 6]) +
    table(U1, 4, [3, 0, 4]) +
    entry(U1, 8, U2, 1, 4) + map_(U2, U1, 8, 0) + bytes([5, 1]) +
    unmap(U2, 0, 0),
    'silo': bytes([0]) + bytes([5, 2]) + entry(U1, 8, U2, 1, 4) +
    map_(U2, U1, 8, 0) + entry(U1, 9, D0, 1, 5) + map_(D0, U1, 9, 2),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus')
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()

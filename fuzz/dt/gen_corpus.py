#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the device tree fuzzer's seed corpus (fuzz/dt/corpus/).

Seeds: the QEMU virt DTBs of tests/unit/dt/dtbs, each also truncated and
with its structure block cut short, plus small hand-made trees (built
here, layout per the Devicetree Specification v0.4 chapter 5) for the
shapes QEMU never makes: #address-cells 1, NOPs, reservations, version
16, deep nesting, and one of each structural fault dt_check() refuses.
The files are committed; run this again after changing the list.
"""
import os
import struct
import sys

BEGIN, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


class Tree:
    def __init__(self):
        self.st = b""
        self.strs = b""
        self.rsv = []

    def word(self, v):
        self.st += struct.pack(">I", v)
        return self

    def pad(self, b):
        return b + b"\0" * (-len(b) % 4)

    def begin(self, name):
        self.word(BEGIN)
        self.st += self.pad(name.encode() + b"\0")
        return self

    def end(self):
        return self.word(END_NODE)

    def nop(self):
        return self.word(NOP)

    def name_off(self, name):
        key = name.encode() + b"\0"
        at = self.strs.find(key)
        if at < 0:
            at = len(self.strs)
            self.strs += key
        return at

    def prop(self, name, val):
        self.word(PROP).word(len(val)).word(self.name_off(name))
        self.st += self.pad(val)
        return self

    def cells(self, name, *v):
        return self.prop(name, struct.pack(">%dI" % len(v), *v))

    def string(self, name, s):
        return self.prop(name, s.encode() + b"\0")

    def blob(self, version=17, end=True):
        st = self.st + (struct.pack(">I", END) if end else b"")
        rsv = b"".join(struct.pack(">QQ", a, s) for a, s in self.rsv)
        rsv += b"\0" * 16
        off_rsv = 40
        off_st = off_rsv + len(rsv)
        off_str = off_st + len(st)
        total = off_str + len(self.strs)
        hdr = struct.pack(">10I", 0xd00dfeed, total, off_st, off_str,
                          off_rsv, version, 16, 0, len(self.strs), len(st))
        return hdr + rsv + st + self.strs


def small_trees():
    t = Tree()
    t.rsv = [(0x1000, 0x2000)]
    t.begin("").cells("#address-cells", 1).cells("#size-cells", 1)
    t.cells("interrupt-parent", 1)
    t.begin("memory@0").string("device_type", "memory")
    t.cells("reg", 0, 0x1000000, 0x80000000, 0x1000000).end()
    t.begin("intc").cells("#interrupt-cells", 3).cells("phandle", 1).end()
    t.begin("uart@1000").prop("compatible", b"arm,pl011\0arm,primecell\0")
    t.cells("reg", 0x1000, 0x1000).cells("interrupts", 0, 1, 4).end()
    t.begin("cpus").cells("#address-cells", 1).cells("#size-cells", 0)
    t.begin("cpu@0").string("device_type", "cpu").cells("reg", 0).end()
    t.end().end()
    yield "cells1", t.blob()
    yield "cells1-v16", t.blob(version=16)

    t = Tree()
    t.nop().begin("").nop().prop("empty", b"").nop().begin("a").end()
    t.nop().begin("b@1").begin("c").end().end().end().nop()
    yield "nops", t.blob()

    t = Tree()
    t.begin("")
    for _ in range(31):
        t.begin("n")
    for _ in range(32):
        t.end()
    yield "depth32", t.blob()

    # One fault each: dt_check() must refuse these.
    t = Tree().begin("")
    for _ in range(32):
        t.begin("n")
    for _ in range(33):
        t.end()
    yield "bad-depth33", t.blob()
    yield "bad-no-end", Tree().begin("").end().blob(end=False)
    yield "bad-extra-end", Tree().begin("").end().end().blob()
    yield "bad-unclosed", Tree().begin("").begin("a").end().blob()
    yield "bad-prop-late", (Tree().begin("").begin("a").end()
                            .string("x", "y").end().blob())
    t = Tree().begin("").string("a", "x")
    t.word(PROP).word(1000).word(0).end()
    yield "bad-prop-len", t.blob()
    t = Tree().begin("").word(BEGIN).word(0x61626364)
    yield "bad-name", t.blob(end=False)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    dtbs = os.path.join(here, "..", "..", "tests", "unit", "dt", "dtbs")
    out = os.path.join(here, "corpus")
    os.makedirs(out, exist_ok=True)
    seeds = dict(small_trees())
    for name in sorted(os.listdir(dtbs)):
        if not name.endswith(".dtb"):
            continue
        blob = open(os.path.join(dtbs, name), "rb").read()
        base = name[:-4]
        seeds[base] = blob
        # Cut in half, the header's totalsize made to agree.
        half = len(blob) // 2
        seeds[base + "-cut"] = (blob[:4] + struct.pack(">I", half) +
                                blob[8:half])
        # The structure block shortened by one token: FDT_END is lost.
        size_st = struct.unpack(">I", blob[36:40])[0]
        seeds[base + "-st-cut"] = (blob[:36] +
                                   struct.pack(">I", size_st - 4) +
                                   blob[40:])
    for name, blob in sorted(seeds.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(blob)
    print("gen_corpus: %d seeds in %s" % (len(seeds), out), file=sys.stderr)


if __name__ == "__main__":
    main()

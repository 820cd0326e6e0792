#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the memory fuzzer's seed corpus (fuzz/memory/corpus/).

Records (see memory_fuzz.c), op byte % 6:
  0 reservation: caller, subop (0 increase, 1 decrease, 2 populate),
    domid selector, order byte, flags byte, nr, one gfn byte per extent,
    list-address selector, argument-address selector;
  1 add_to_physmap: caller, domid selector, space, idx (gfn byte; grant
    frames: frame byte, status byte), gpfn byte, size, address selector;
  2 remove_from_physmap: caller, domid selector, gpfn byte, address;
  3 any memory_op: caller, cmd, domid selector, nr_entries, resume flag,
    list-address selector, argument-address selector;
  4 a reference: domain byte (top bit: drop one instead), gfn, [index];
  5 outside: what (bit 0: destroy a domU, bit 1: and rebuild it; even:
    set the preemption budget), argument.
Domid selector: 0 DOMID_SELF, 2/3/4 d0/u1/u2 (by index), 5 DOMID_IO.
Address selectors below 0xe0 are the good address. Run again after
changing the record format; the files are committed.
"""
import os

D0, U1, U2 = 0, 1, 2
SELF = 0
DOM = {D0: 3, U1: 4, U2: 2}      # selector values naming each domain
INC, DEC, POP = 0, 1, 2


def res(caller, op, gfns, order=0, dom=SELF, flags=0):
    return bytes([0, caller, op, dom, order, flags, len(gfns)] +
                 list(gfns) + [0, 0])


def add(caller, space, idx, gpfn, size=0, dom=SELF):
    idxb = list(idx) if isinstance(idx, tuple) else [idx]
    return bytes([1, caller, dom, space] + idxb + [gpfn, size, 0])


def rm(caller, gpfn, dom=SELF):
    return bytes([2, caller, dom, gpfn, 0])


def anyop(caller, cmd, dom=SELF, nr=4):
    return bytes([3, caller, cmd, dom, nr, 0, 0, 0])


def ref(dom, gfn):
    return bytes([4, dom, gfn])


def drop(i=0):
    return bytes([4, 0x80, 0, i])


def outside(what, arg):
    return bytes([5, what, arg])


SEEDS = {
    "populate-decrease": res(U1, POP, [20, 21, 40]) +
    res(U1, DEC, [20, 3]) + res(U2, POP, [32], order=2) +
    res(U2, DEC, [33], order=1),
    "increase-to-max": res(U1, INC, [0] * 16, order=3) +
    anyop(U1, 3) + anyop(U1, 4),
    "shared-info-over-ram": add(U1, 0, 0, 5) + add(U1, 0, 0, 30) +
    res(U1, DEC, [30]) + add(U2, 0, 0, 7) + rm(U2, 7),
    "gmfn-moves": add(U1, 2, 4, 50) + add(U1, 3, 8, 40, size=5) +
    add(U1, 2, 50, 2) + rm(U1, 41),
    "gmfn-range-continues": outside(0, 0) + add(U2, 3, 2, 44, size=7) +
    res(U2, POP, [50, 51, 52, 53, 54, 55]),
    "grant-frames": add(U1, 1, (0, 0), 33) + add(U1, 1, (3, 0), 34) +
    add(U1, 1, (1, 1), 35) + rm(U1, 33),
    "referenced-then-destroyed": ref(U1, 2) + ref(U1, 3) +
    res(U1, DEC, [2]) + outside(1, 0) + drop(0) + outside(3, 1) +
    res(U2, POP, [60]),
    "foreign-domids": res(U1, POP, [30], dom=DOM[U2]) +
    res(D0, POP, [30], dom=DOM[U2]) + add(D0, 0, 0, 9, dom=DOM[U1]) +
    rm(U2, 9, dom=DOM[U1]) + anyop(U2, 3, dom=DOM[D0]),
    "memory-map": anyop(U1, 9, nr=1) + anyop(U2, 9, nr=5) +
    anyop(D0, 2) + anyop(U1, 12),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hypercall fuzzer's seed corpus (fuzz/hypercall/corpus/).

An input is a set-up byte (guest types of u1 and u2), then records (see
hypercall_fuzz.c): op byte % 4 == 0 a hypercall (caller byte: domain
index + 3 * vCPU; number byte: below 0xe0 an index into the harness's
list of families; five arguments, each a selector byte and payload),
== 2 a guest write into its own memory (domain, 16-bit offset, length
below 64, bytes), == 3 an outside event (what % 5: 0 destroy a domU,
1/2 a VIRQ, 3 time, 4 the guest drains a vCPU's FIFO queues; argument). Domains are
created in order d0, u1, u2 and get ids 1, 2, 3. The files are
committed; run this again after changing the list.
"""
import os
import struct
import sys

D0, U1, U2 = 0, 1, 2
DOMID = {D0: 1, U1: 2, U2: 3}
SELF = 0x7FF0
FAM = {"memory_op": 0, "set_timer_op": 1, "xen_version": 2,
       "console_io": 3, "grant_table_op": 4, "vcpu_op": 5, "sched_op": 6,
       "event_channel_op": 7, "hvm_op": 8}
ARG = 0x100                     # argument structs at gfn 0 + 0x100


def u64(v):
    return struct.pack("<BQ", 4, v & (2**64 - 1))


def call(dom, fam, *args, vcpu=0):
    out = struct.pack("<BBB", 0, dom + 3 * vcpu, FAM[fam])
    args = list(args) + [0] * (5 - len(args))
    for a in args:
        out += u64(a)
    return out


def write(dom, off, data):
    out = b""
    while data:
        chunk, data = data[:63], data[63:]
        out += struct.pack("<BBHB", 2, dom, off, len(chunk)) + chunk
        off += len(chunk)
    return out


def event(what, arg):
    return struct.pack("<BBB", 3, what, arg)


def evtchn(dom, cmd, payload):
    return write(dom, ARG, payload) + call(dom, "event_channel_op", cmd, ARG)


def alloc_unbound(dom, remote):
    return evtchn(dom, 6, struct.pack("<HHI", SELF, DOMID[remote], 0))


def bind_interdomain(dom, remote, port):
    return evtchn(dom, 0, struct.pack("<HHII", DOMID[remote], 0, port, 0))


def send(dom, port):
    return evtchn(dom, 4, struct.pack("<I", port))


def seeds():
    s = {}
    s["xen-version"] = (b"\x00" + call(D0, "xen_version", 0, 0) +
                        call(U1, "xen_version", 6, ARG) +
                        call(U2, "xen_version", 1, ARG))
    pair = alloc_unbound(U1, D0) + bind_interdomain(D0, U1, 1)
    s["evtchn-pair"] = (b"\x00" + pair + send(D0, 1) + send(U1, 1) +
                        evtchn(U1, 5, struct.pack("<HHI", SELF, 0, 1) +
                               b"\0" * 16) +
                        evtchn(U1, 3, struct.pack("<I", 1)))
    fifo = (evtchn(U1, 11, struct.pack("<QIIB7x", 1, 0, 0, 17)) +
            write(U1, 2 * 4096, struct.pack("<8I", *([1 << 30] * 8))) +
            evtchn(U1, 12, struct.pack("<Q", 2)))
    s["evtchn-fifo"] = (b"\x05" + pair + fifo +
                        evtchn(U1, 13, struct.pack("<II", 1, 2)) +
                        evtchn(U1, 9, struct.pack("<I", 1)) +
                        send(D0, 1) + event(4, U1) +
                        evtchn(U1, 7, struct.pack("<II", 0, 0)) +
                        send(U1, 2) + send(D0, 1) + event(4, U1) +
                        evtchn(U1, 10, struct.pack("<H", SELF)))
    s["evtchn-destroy-peer"] = (b"\x00" + alloc_unbound(U2, D0) +
                                bind_interdomain(D0, U2, 1) +
                                evtchn(U2, 11, struct.pack("<QIIB7x", 1,
                                                           64, 0, 0)) +
                                event(0, 1) + send(D0, 1) +
                                evtchn(D0, 3, struct.pack("<I", 1)))
    s["evtchn-virq"] = (b"\x00" +
                        evtchn(U1, 1, struct.pack("<III", 2, 0, 0)) +
                        event(1, U1) + event(3, 5) +
                        evtchn(U1, 8, struct.pack("<II", 1, 1)))
    s["grant-basic"] = (b"\x00" +
                        write(U1, ARG, struct.pack("<HHIIhH", SELF, 0, 0, 0,
                                                   0, 0)) +
                        call(U1, "grant_table_op", 6, ARG, 1) +
                        write(U1, ARG, struct.pack("<I", 2)) +
                        call(U1, "grant_table_op", 8, ARG, 1) +
                        write(U1, ARG, struct.pack("<HHIhHHHQ", SELF, 0, 1,
                                                   0, 0, 0, 0, 0x400)) +
                        call(U1, "grant_table_op", 2, ARG, 1))
    s["memory-basic"] = (b"\x00" + call(U1, "memory_op", 2, 0) +
                         write(U1, ARG, struct.pack("<H", SELF)) +
                         call(U1, "memory_op", 3, ARG) +
                         write(U1, ARG, struct.pack("<QQIIH6x", 0x800, 1,
                                                    0, 0, SELF)) +
                         write(U1, 0x800, struct.pack("<Q", 0x40)) +
                         call(U1, "memory_op", 6, ARG))
    # VCPUOP_initialise (public/hvm/hvm_vcpu.h): 64-bit mode, then up.
    ctx64 = struct.pack("<II8QQQQQQQ", 1, 0, *([0] * 8), 0x1000, 2,
                        0x80000011, 0x2000, 0x20, 0x100).ljust(128, b"\0")
    ctx32 = (struct.pack("<II10I3II", 0, 0, *([0] * 8), 0x1000, 2, 0x11,
                         0, 0, 0) + struct.pack("<Q", 0) +
             struct.pack("<5I5I5H3H", *([0] * 5), *([0xffffffff] * 4),
                         0x67, 0xc9b, 0xc93, 0xc93, 0xc93, 0x8b, 0, 0, 0))
    init1 = write(U1, ARG, ctx64) + call(U1, "vcpu_op", 0, 1, ARG)
    s["vcpu-initialise"] = (b"\x00" + write(U2, ARG, ctx32) +
                            call(U2, "vcpu_op", 0, 1, ARG) +
                            call(U2, "vcpu_op", 0, 1, ARG) +
                            call(U2, "vcpu_op", 1, 1, 0) +
                            call(U2, "vcpu_op", 3, 1, 0) +
                            call(U2, "vcpu_op", 2, 1, 0) + init1 +
                            call(U1, "vcpu_op", 1, 1, 0))
    s["vcpu-sched"] = (b"\x00" + init1 + call(U1, "vcpu_op", 1, 1, 0) +
                       call(U1, "sched_op", 0, 0, vcpu=1) +
                       call(U1, "vcpu_op", 3, 1, 0) +
                       call(U2, "set_timer_op", 1000000) + event(3, 2))
    return s


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())

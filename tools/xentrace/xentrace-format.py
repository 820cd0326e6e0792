#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print xentrace records: files written by schedsim --trace now, by the
hypervisor's trace buffers later (the same format).

A record (xen-abi-facts section 3, "xentrace") is a little-endian u32
header -- event id in bits 0..27, the number of extra u32 words (0..7) in
bits 28..30, bit 31 set when a 64-bit TSC follows -- then the TSC (low
word first) and the extra words. Runs of one pCPU's records are led by a
TRC_TRACE_CPU_CHANGE record (extra: the pCPU, the run's length in bytes).

Usage: xentrace-format.py [--json] [--tsc-hz HZ] FILE
  --json    one JSON object per record instead of text
  --tsc-hz  TSC frequency for the time column (default 1e9: schedsim's
            TSC counts nanoseconds of virtual time)
Exit status: 0, or 1 for a malformed file (its offset is named)."""
import json
import struct
import sys

TRC_GEN = 0x0001f000
TRC_SCHED_MIN = 0x00021000
TRC_SCHED_VERBOSE = 0x00028000
DOMID_IDLE = 0x7fff

NAMES = {
    TRC_GEN + 1: "lost_records",
    TRC_GEN + 2: "wrap_buffer",
    TRC_GEN + 3: "cpu_change",
    TRC_SCHED_MIN + 1: "runstate_change",
    TRC_SCHED_MIN + 2: "continue_running",
    TRC_SCHED_VERBOSE + 1: "dom_add",
    TRC_SCHED_VERBOSE + 2: "dom_rem",
    TRC_SCHED_VERBOSE + 3: "sleep",
    TRC_SCHED_VERBOSE + 4: "wake",
    TRC_SCHED_VERBOSE + 5: "yield",
    TRC_SCHED_VERBOSE + 6: "block",
    TRC_SCHED_VERBOSE + 10: "switch",
}
RUNSTATES = ["running", "runnable", "blocked", "offline"]


class Malformed(Exception):
    pass


def records(data):
    """Yield (offset, cpu, event, tsc or None, extra words)."""
    off, cpu = 0, None
    while off < len(data):
        if len(data) - off < 4:
            raise Malformed(f"offset {off}: {len(data) - off} stray bytes")
        (hdr,) = struct.unpack_from("<I", data, off)
        event, n, has_tsc = hdr & 0x0fffffff, (hdr >> 28) & 7, hdr >> 31
        size = 4 + 8 * has_tsc + 4 * n
        if len(data) - off < size:
            raise Malformed(f"offset {off}: record of {size} bytes, "
                            f"{len(data) - off} left")
        tsc = None
        pos = off + 4
        if has_tsc:
            lo, hi = struct.unpack_from("<II", data, pos)
            tsc = hi << 32 | lo
            pos += 8
        extra = list(struct.unpack_from(f"<{n}I", data, pos))
        if event == TRC_GEN + 3:
            if n < 1:
                raise Malformed(f"offset {off}: cpu_change without a pCPU")
            cpu = extra[0]
        yield off, cpu, event, tsc, extra
        off += size


def vcpu(dom, v):
    return f"idle{v}" if dom == DOMID_IDLE else f"d{dom}v{v}"


def describe(event, x):
    name = NAMES.get(event, f"0x{event:08x}")
    if name == "switch" and len(x) >= 4:
        return name, f"{vcpu(x[0], x[1])} -> {vcpu(x[2], x[3])}"
    if name == "runstate_change" and len(x) >= 3:
        st = [RUNSTATES[s] if s < 4 else str(s) for s in x[1:3]]
        return name, f"{vcpu(x[0] >> 16, x[0] & 0xffff)} {st[0]} -> {st[1]}"
    if name in ("wake", "block", "sleep", "yield",
                "continue_running") and len(x) >= 2:
        return name, vcpu(x[0], x[1])
    if name in ("dom_add", "dom_rem") and x:
        return name, f"d{x[0]}"
    if name == "cpu_change" and len(x) >= 2:
        return name, f"cpu {x[0]}, {x[1]} bytes follow"
    return name, " ".join(f"0x{w:08x}" for w in x)


def main():
    args = sys.argv[1:]
    as_json, hz = False, 1e9
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--json":
            as_json = True
        elif a == "--tsc-hz" and args:
            hz = float(args.pop(0))
        else:
            sys.exit(__doc__)
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0], "rb") as f:
        data = f.read()
    try:
        for off, cpu, event, tsc, extra in records(data):
            name, text = describe(event, extra)
            if as_json:
                print(json.dumps({"offset": off, "cpu": cpu, "event": event,
                                  "name": name, "tsc": tsc,
                                  "extra": extra}))
            else:
                t = f"{tsc / hz:.9f}" if tsc is not None else "-"
                print(f"CPU{cpu if cpu is not None else '?'} {t} "
                      f"{name} {text}")
    except Malformed as e:
        sys.stdout.flush()
        sys.exit(f"{args[0]}: {e}")


main()

#!/usr/bin/env python3
"""Write fuzz/emulate/corpus: one seed per instruction family.

A seed is: mode byte, 16 instruction bytes (NOP-padded), 144 bytes of
registers and flags, then 64 bytes of memory contents. RFLAGS bits 32-43
select features, CPL, the bulk REP callbacks and XCR0 (emulate_fuzz.c).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

SEEDS = {
    "mov-store-64": (2, "89 03"),
    "mov-load-32": (1, "8b 44 24 08"),
    "movzx-rip-64": (2, "0f b6 05 10 00 00 00"),
    "add-mem-16": (0, "01 46 02"),
    "lock-cmpxchg-64": (2, "f0 48 0f b1 0b"),
    "rep-movsb-32": (1, "f3 a4"),
    "rep-cmpsw-16": (0, "f3 a7"),
    "div-64": (2, "48 f7 f1"),
    "shift-cl-32": (1, "d3 e0"),
    "push-call-64": (2, "ff 14 24"),
    "jcc-rel32-32": (1, "0f 85 00 01 00 00"),
    "mov-imm64": (2, "48 b8 01 02 03 04 05 06 07 08"),
    "moffs-16": (0, "a1 34 12"),
    "out-dx": (1, "66 ef"),
    "vex-64": (2, "c5 fe 6f 80 00 01 00 00"),
    "too-long": (2, "66 " * 15 + "90"),
    "movdqu-load-64": (2, "f3 0f 6f 03"),
    "movd-gpr-32": (1, "66 0f 7e c0"),
    "lds-32": (1, "c5 05 00 20 00 00"),
    "mov-ss-32": (1, "8e d0"),
    "mov-dr-64": (2, "0f 21 c0"),
}

# Seeds with other RFLAGS bits 32-43: CPL 3 port I/O (the TSS bitmap),
# AVX with XCR0.SSE|YMM, the bulk REP callbacks.
FLAGGED = {
    "in-cpl3-32": (1, "e4 60", 0x202 | 3 << 38),
    "vmovdqu-avx-64": (2, "c5 fe 6f 03", 0x202 | 1 << 40 | 3 << 42),
    "rep-stosd-bulk-64": (2, "f3 ab", 0x202 | 1 << 41),
}


def seed(mode, text, flags=0x202):
    code = bytes(int(b, 16) for b in text.split())[:16]
    code = code.ljust(16, b"\x90")
    regs = [0x100 * (i + 1) for i in range(16)]
    regs[1] = 5                     # rcx: a short REP count
    regs[4] = 0x8000                # rsp
    blob = struct.pack("<16Q", *regs) + struct.pack("<QQ", 0, flags)
    mem = bytes((i * 37) & 0xff for i in range(64))
    return bytes([mode]) + code + blob + mem


def main():
    out = os.path.join(HERE, "corpus")
    os.makedirs(out, exist_ok=True)
    for name, (mode, text) in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed(mode, text))
    for name, (mode, text, flags) in FLAGGED.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed(mode, text, flags))


if __name__ == "__main__":
    main()

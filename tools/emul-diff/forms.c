/* SPDX-License-Identifier: MIT */
/*
 * The instruction forms emul-diff generates: every opcode (and ModRM.reg
 * for groups) that Orrery's emulator executes. F_OPREG forms take the
 * register from the opcode's low three bits, chosen at random.
 */
#include "gen.h"

#define M F_MODRM
#define ALU(b, n, lk) \
    { n " Eb,Gb", 0, (b), -1, M | (lk) }, \
    { n " Ev,Gv", 0, (b) + 1, -1, M | (lk) }, \
    { n " Gb,Eb", 0, (b) + 2, -1, M }, \
    { n " Gv,Ev", 0, (b) + 3, -1, M }, \
    { n " AL,Ib", 0, (b) + 4, -1, 0 }, \
    { n " rAX,Iz", 0, (b) + 5, -1, 0 }
#define GRP1(op, s, x) \
    { "add " s, 0, op, 0, M | F_LOCKABLE | (x) }, \
    { "or " s, 0, op, 1, M | F_LOCKABLE | (x) }, \
    { "adc " s, 0, op, 2, M | F_LOCKABLE | (x) }, \
    { "sbb " s, 0, op, 3, M | F_LOCKABLE | (x) }, \
    { "and " s, 0, op, 4, M | F_LOCKABLE | (x) }, \
    { "sub " s, 0, op, 5, M | F_LOCKABLE | (x) }, \
    { "xor " s, 0, op, 6, M | F_LOCKABLE | (x) }, \
    { "cmp " s, 0, op, 7, M | (x) }
#define GRP2(op, s) \
    { "rol " s, 0, op, 0, M }, { "ror " s, 0, op, 1, M }, \
    { "rcl " s, 0, op, 2, M }, { "rcr " s, 0, op, 3, M }, \
    { "shl " s, 0, op, 4, M }, { "shr " s, 0, op, 5, M }, \
    { "sal " s, 0, op, 6, M }, { "sar " s, 0, op, 7, M }
#define GRP3(op, s) \
    { "test " s ",I", 0, op, 0, M }, \
    { "not " s, 0, op, 2, M | F_LOCKABLE }, \
    { "neg " s, 0, op, 3, M | F_LOCKABLE }, { "mul " s, 0, op, 4, M }, \
    { "imul " s, 0, op, 5, M }, { "div " s, 0, op, 6, M | F_DIV }, \
    { "idiv " s, 0, op, 7, M | F_DIV }
#define CC16(map, base, n, x) \
    { n "o", map, (base) + 0, -1, x }, { n "no", map, (base) + 1, -1, x }, \
    { n "b", map, (base) + 2, -1, x }, { n "ae", map, (base) + 3, -1, x }, \
    { n "e", map, (base) + 4, -1, x }, { n "ne", map, (base) + 5, -1, x }, \
    { n "be", map, (base) + 6, -1, x }, { n "a", map, (base) + 7, -1, x }, \
    { n "s", map, (base) + 8, -1, x }, { n "ns", map, (base) + 9, -1, x }, \
    { n "p", map, (base) + 10, -1, x }, { n "np", map, (base) + 11, -1, x }, \
    { n "l", map, (base) + 12, -1, x }, { n "ge", map, (base) + 13, -1, x }, \
    { n "le", map, (base) + 14, -1, x }, { n "g", map, (base) + 15, -1, x }

const struct form forms[] = {
    ALU(0x00, "add", F_LOCKABLE), ALU(0x08, "or", F_LOCKABLE),
    ALU(0x10, "adc", F_LOCKABLE), ALU(0x18, "sbb", F_LOCKABLE),
    ALU(0x20, "and", F_LOCKABLE), ALU(0x28, "sub", F_LOCKABLE),
    ALU(0x30, "xor", F_LOCKABLE), ALU(0x38, "cmp", 0),
    { "inc r", 0, 0x40, -1, F_OPREG | F_NO64 },
    { "dec r", 0, 0x48, -1, F_OPREG | F_NO64 },
    { "push r", 0, 0x50, -1, F_OPREG | F_STACK },
    { "pop r", 0, 0x58, -1, F_OPREG | F_STACK },
    { "movsxd", 0, 0x63, -1, M | F_ONLY64 },
    { "push Iz", 0, 0x68, -1, F_STACK },
    { "imul Gv,Ev,Iz", 0, 0x69, -1, M },
    { "push Ib", 0, 0x6a, -1, F_STACK },
    { "imul Gv,Ev,Ib", 0, 0x6b, -1, M },
    CC16(0, 0x70, "j", F_REL),
    GRP1(0x80, "Eb,Ib", 0), GRP1(0x81, "Ev,Iz", 0),
    GRP1(0x82, "Eb,Ib(82)", F_NO64), GRP1(0x83, "Ev,Ib", 0),
    { "test Eb,Gb", 0, 0x84, -1, M }, { "test Ev,Gv", 0, 0x85, -1, M },
    { "xchg Eb,Gb", 0, 0x86, -1, M | F_LOCKABLE },
    { "xchg Ev,Gv", 0, 0x87, -1, M | F_LOCKABLE },
    { "mov Eb,Gb", 0, 0x88, -1, M }, { "mov Ev,Gv", 0, 0x89, -1, M },
    { "mov Gb,Eb", 0, 0x8a, -1, M }, { "mov Gv,Ev", 0, 0x8b, -1, M },
    { "lea", 0, 0x8d, -1, M | F_MEMONLY },
    { "pop Ev", 0, 0x8f, 0, M | F_STACK },
    { "xchg rAX,r", 0, 0x90, -1, F_OPREG },
    { "cbw/cwde/cdqe", 0, 0x98, -1, 0 },
    { "cwd/cdq/cqo", 0, 0x99, -1, 0 },
    { "pushf", 0, 0x9c, -1, F_STACK },
    { "sahf", 0, 0x9e, -1, F_NOREX }, { "lahf", 0, 0x9f, -1, F_NOREX },
    { "xlat", 0, 0xd7, -1, F_XLAT },
    { "mov AL,Ob", 0, 0xa0, -1, F_MOFFS },
    { "mov rAX,Ov", 0, 0xa1, -1, F_MOFFS },
    { "mov Ob,AL", 0, 0xa2, -1, F_MOFFS },
    { "mov Ov,rAX", 0, 0xa3, -1, F_MOFFS },
    { "movsb", 0, 0xa4, -1, F_STRING }, { "movs", 0, 0xa5, -1, F_STRING },
    { "cmpsb", 0, 0xa6, -1, F_STRING }, { "cmps", 0, 0xa7, -1, F_STRING },
    { "test AL,Ib", 0, 0xa8, -1, 0 }, { "test rAX,Iz", 0, 0xa9, -1, 0 },
    { "stosb", 0, 0xaa, -1, F_STRING }, { "stos", 0, 0xab, -1, F_STRING },
    { "lodsb", 0, 0xac, -1, F_STRING }, { "lods", 0, 0xad, -1, F_STRING },
    { "scasb", 0, 0xae, -1, F_STRING }, { "scas", 0, 0xaf, -1, F_STRING },
    { "mov r8,Ib", 0, 0xb0, -1, F_OPREG },
    { "mov r,Iv", 0, 0xb8, -1, F_OPREG },
    GRP2(0xc0, "Eb,Ib"), GRP2(0xc1, "Ev,Ib"),
    { "ret Iw", 0, 0xc2, -1, F_RET | F_STACK },
    { "ret", 0, 0xc3, -1, F_RET | F_STACK },
    { "mov Eb,Ib", 0, 0xc6, 0, M }, { "mov Ev,Iz", 0, 0xc7, 0, M },
    { "leave", 0, 0xc9, -1, F_LEAVE | F_STACK },
    GRP2(0xd0, "Eb,1"), GRP2(0xd1, "Ev,1"),
    GRP2(0xd2, "Eb,CL"), GRP2(0xd3, "Ev,CL"),
    { "loopne", 0, 0xe0, -1, F_REL | F_LOOP },
    { "loope", 0, 0xe1, -1, F_REL | F_LOOP },
    { "loop", 0, 0xe2, -1, F_REL | F_LOOP },
    { "jrcxz", 0, 0xe3, -1, F_REL | F_LOOP },
    { "in AL,Ib", 0, 0xe4, -1, 0 }, { "in eAX,Ib", 0, 0xe5, -1, 0 },
    { "out Ib,AL", 0, 0xe6, -1, 0 }, { "out Ib,eAX", 0, 0xe7, -1, 0 },
    { "call Jz", 0, 0xe8, -1, F_REL | F_STACK },
    { "jmp Jz", 0, 0xe9, -1, F_REL }, { "jmp Jb", 0, 0xeb, -1, F_REL },
    { "in AL,DX", 0, 0xec, -1, 0 }, { "in eAX,DX", 0, 0xed, -1, 0 },
    { "out DX,AL", 0, 0xee, -1, 0 }, { "out DX,eAX", 0, 0xef, -1, 0 },
    { "cmc", 0, 0xf5, -1, 0 },
    GRP3(0xf6, "Eb"), GRP3(0xf7, "Ev"),
    { "clc", 0, 0xf8, -1, 0 }, { "stc", 0, 0xf9, -1, 0 },
    { "cld", 0, 0xfc, -1, 0 }, { "std", 0, 0xfd, -1, 0 },
    { "inc Eb", 0, 0xfe, 0, M | F_LOCKABLE },
    { "dec Eb", 0, 0xfe, 1, M | F_LOCKABLE },
    { "inc Ev", 0, 0xff, 0, M | F_LOCKABLE },
    { "dec Ev", 0, 0xff, 1, M | F_LOCKABLE },
    { "call Ev", 0, 0xff, 2, M | F_INDIRECT | F_STACK },
    { "jmp Ev", 0, 0xff, 4, M | F_INDIRECT },
    { "push Ev", 0, 0xff, 6, M | F_STACK },
    CC16(1, 0x40, "cmov", M),
    CC16(1, 0x80, "j", F_REL),
    CC16(1, 0x90, "set", M),
    { "imul Gv,Ev", 1, 0xaf, -1, M },
    { "nop Ev", 1, 0x1f, 0, M },
    { "prefetchnta", 1, 0x18, 0, M | F_MEMONLY },
    { "bt Ev,Gv", 1, 0xa3, -1, M | F_BITOFF },
    { "bts Ev,Gv", 1, 0xab, -1, M | F_BITOFF | F_LOCKABLE },
    { "btr Ev,Gv", 1, 0xb3, -1, M | F_BITOFF | F_LOCKABLE },
    { "btc Ev,Gv", 1, 0xbb, -1, M | F_BITOFF | F_LOCKABLE },
    { "bt Ev,Ib", 1, 0xba, 4, M },
    { "bts Ev,Ib", 1, 0xba, 5, M | F_LOCKABLE },
    { "btr Ev,Ib", 1, 0xba, 6, M | F_LOCKABLE },
    { "btc Ev,Ib", 1, 0xba, 7, M | F_LOCKABLE },
    { "bsf", 1, 0xbc, -1, M }, { "bsr", 1, 0xbd, -1, M },
    { "bswap", 1, 0xc8, -1, F_OPREG | F_OP32 },
    { "cmpxchg Eb,Gb", 1, 0xb0, -1, M | F_LOCKABLE },
    { "cmpxchg Ev,Gv", 1, 0xb1, -1, M | F_LOCKABLE },
    { "movzx Gv,Eb", 1, 0xb6, -1, M }, { "movzx Gv,Ew", 1, 0xb7, -1, M },
    { "movsx Gv,Eb", 1, 0xbe, -1, M }, { "movsx Gv,Ew", 1, 0xbf, -1, M },
    { "xadd Eb,Gb", 1, 0xc0, -1, M | F_LOCKABLE },
    { "xadd Ev,Gv", 1, 0xc1, -1, M | F_LOCKABLE },
    { "popcnt", 1, 0xb8, -1, M | F_F3 },
    { "tzcnt", 1, 0xbc, -1, M | F_F3 },
    { "lzcnt", 1, 0xbd, -1, M | F_F3 },
    { "cmpxchg8b/16b", 1, 0xc7, 1, M | F_MEMONLY | F_LOCKABLE | F_CX8 },
    { "movbe Gv,Mv", 2, 0xf0, -1, M | F_MEMONLY },
    { "movbe Mv,Gv", 2, 0xf1, -1, M | F_MEMONLY },
    { "enter", 0, 0xc8, -1, F_LEAVE | F_STACK },
    { "popf", 0, 0x9d, -1, F_STACK | F_POPF },
    { "insb", 0, 0x6c, -1, F_STRING }, { "ins", 0, 0x6d, -1, F_STRING },
    { "outsb", 0, 0x6e, -1, F_STRING }, { "outs", 0, 0x6f, -1, F_STRING },
    { "cli", 0, 0xfa, -1, 0 }, { "sti", 0, 0xfb, -1, 0 },
    /* System state read at CPL 0: CR0 and CR4 as Unicorn has them. */
    { "mov r,cr0", 1, 0x20, 0, M }, { "mov r,cr4", 1, 0x20, 4, M },
    /* SMSW to a register: Intel leaves bits 16+ undefined, QEMU keeps
     * them, Orrery stores CR0 at the operand size (AMD APM Vol. 3
     * "SMSW"); so memory only here, registers in unit.emulate. */
    { "smsw Mw", 1, 0x01, 4, M | F_MEMONLY },
    /* SSE moves (XMM registers compared too); REX.W makes MOVD MOVQ. */
    { "movd xmm,Ed", 1, 0x6e, -1, M | F_SSE | F_NO16 | F_P66 },
    { "movd Ed,xmm", 1, 0x7e, -1, M | F_SSE | F_NO16 | F_P66 },
    { "movq xmm,Wq", 1, 0x7e, -1, M | F_SSE | F_NO16 | F_F3 },
    { "movq Wq,xmm", 1, 0xd6, -1, M | F_SSE | F_NO16 | F_P66 },
    { "movdqa xmm,W", 1, 0x6f, -1, M | F_SSE | F_NO16 | F_P66 | F_ALIGN16 },
    { "movdqa W,xmm", 1, 0x7f, -1, M | F_SSE | F_NO16 | F_P66 | F_ALIGN16 },
    { "movdqu xmm,W", 1, 0x6f, -1, M | F_SSE | F_NO16 | F_F3 },
    { "movdqu W,xmm", 1, 0x7f, -1, M | F_SSE | F_NO16 | F_F3 },
    { "movaps xmm,W", 1, 0x28, -1, M | F_SSE | F_NO16 | F_ALIGN16 },
    { "movaps W,xmm", 1, 0x29, -1, M | F_SSE | F_NO16 | F_ALIGN16 },
    { "movapd xmm,W", 1, 0x28, -1, M | F_SSE | F_NO16 | F_P66 | F_ALIGN16 },
    { "movapd W,xmm", 1, 0x29, -1, M | F_SSE | F_NO16 | F_P66 | F_ALIGN16 },
    { "movups xmm,W", 1, 0x10, -1, M | F_SSE | F_NO16 },
    { "movups W,xmm", 1, 0x11, -1, M | F_SSE | F_NO16 },
    { "movupd xmm,W", 1, 0x10, -1, M | F_SSE | F_NO16 | F_P66 },
    { "movupd W,xmm", 1, 0x11, -1, M | F_SSE | F_NO16 | F_P66 },
};
const unsigned int nr_forms = sizeof(forms) / sizeof(forms[0]);

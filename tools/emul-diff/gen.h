/* SPDX-License-Identifier: MIT */
/* emul-diff's generator of random valid instructions and machine states. */
#ifndef EMUL_DIFF_GEN_H
#define EMUL_DIFF_GEN_H

#include "machine.h"

/* Instruction forms the emulator executes (one per opcode and /reg). */
struct form {
    const char *name;
    uint8_t map;                /* 0: one-byte, 1: 0F, 2: 0F 38 */
    uint8_t op;
    int8_t reg;                 /* fixed ModRM.reg, or -1 */
    uint32_t flags;
};

#define F_MODRM     0x0001
#define F_MEMONLY   0x0002      /* ModRM must name memory */
#define F_LOCKABLE      0x0004      /* LOCK allowed with a memory operand */
#define F_NO64      0x0008
#define F_ONLY64    0x0010
#define F_STACK     0x0020      /* uses the stack: rSP into the window */
#define F_STRING    0x0040
#define F_REL       0x0080      /* relative branch: target into the page */
#define F_INDIRECT  0x0100      /* target from the operand */
#define F_RET       0x0200      /* target from the stack */
#define F_DIV       0x0400
#define F_LEAVE     0x0800
#define F_MOFFS     0x1000
#define F_LOOP      0x2000
#define F_OPREG     0x4000      /* register in the opcode's low bits */
#define F_BITOFF    0x8000      /* BTx Ev,Gv: signed bit offset in Gv */
#define F_XLAT      0x10000     /* XLAT: rBX + AL into the window */
#define F_OP32      0x20000     /* 32/64-bit operand size only */
#define F_NOREX     0x40000     /* no REX (Unicorn quirk, see gen.c) */
#define F_F3        0x80000     /* mandatory F3 prefix (POPCNT, TZCNT) */
#define F_CX8       0x100000    /* CMPXCHG8B/16B: often a matching value */
#define F_POPF      0x200000    /* POPF: a flags image on the stack */
#define F_SSE       0x400000    /* SSE move: no random 66/F2/F3 */
#define F_P66       0x800000    /* mandatory 66 prefix */
#define F_ALIGN16   0x1000000   /* MOVDQA/MOVAP*: memory 16-byte aligned */
#define F_NO16      0x2000000   /* not in real mode (Unicorn quirk) */

extern const struct form forms[];
extern const unsigned int nr_forms;

static inline uint64_t size_mask_of(unsigned int bytes)
{
    return bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
}

uint64_t rnd(void);
void rnd_seed(uint64_t seed);

/*
 * Build a random case of @f in @m (registers, flags, memory, the code
 * page with the instruction at INSN_AT). Returns the instruction length,
 * or 0 if no placement was found (the caller draws again).
 */
unsigned int gen_case(const struct form *f, struct machine *m);

/* build.c: the bytes of a random instance of @f (at most 40) into @b;
 * returns how many. */
unsigned int gen_build(const struct form *f, struct machine *m,
                       uint8_t *b);

#endif /* EMUL_DIFF_GEN_H */

/* SPDX-License-Identifier: MIT */
/*
 * Internals of the x86 emulator shared by its files: the opcode attribute
 * tables, the per-instruction state handed to each opcode group, and the
 * operand and flag helpers.
 */
#ifndef ORRERY_EMULATE_PRIVATE_H
#define ORRERY_EMULATE_PRIVATE_H

#include <orrery/lib.h>
#include <orrery/x86_emulate.h>

/* For the few helpers on every MMIO instruction's path whose calls
 * showed in bench-emulate's profile. */
#define EMUL_INLINE inline __attribute__((always_inline))

/* ---- Opcode attributes (opcode_tables.c) -------------------------------- */

/* Immediate kinds, bits 0-3 (SDM Vol. 2D Appendix A.2.2 operand codes). */
#define IMM_NONE    0
#define IMM_B       1       /* Ib, Jb */
#define IMM_W       2       /* Iw */
#define IMM_Z       3       /* Iz, Jz: 2 bytes at operand size 16, else 4 */
#define IMM_V       4       /* Iv: the operand size, 8 with REX.W (B8-BF) */
#define IMM_MOFFS   5       /* Ob/Ov: the address size */
#define IMM_ENTER   6       /* Iw, Ib */
#define IMM_FAR     7       /* Ap: Iz offset then a 16-bit selector */
#define IMM_GRP3    8       /* F6/F7: Ib/Iz for /0 and /1 (TEST) only */
#define IMM_MASK    0x000f

#define D_MODRM     0x0010
#define D_INV64     0x0020  /* #UD in 64-bit mode */
#define D_D64       0x0040  /* 64-bit mode: 64-bit default operand size */
#define D_F64       0x0080  /* 64-bit mode: operand size forced to 64 */
#define D_INV       0x0100  /* #UD in every mode */
#define D_MODREG    0x0200  /* MOV CR/DR: mod is ignored, rm is a register */
#define D_PREFIX    0x0400  /* a legacy prefix (one-byte map) */
#define D_ESC       0x0800  /* 0F, or C4/C5/62 (VEX, EVEX or LES/LDS/BOUND) */
#define D_FORM      0x1000  /* x86_invalid_form() may reject a ModRM form,
                             * or (0F 78) the immediates depend on prefixes */
#define D_GRP5      0x2000  /* FF: the operand size depends on ModRM.reg */

extern const uint16_t x86_opc_1b[256];
extern const uint16_t x86_opc_0f[256];

/* ---- Decoding (decode.c) ------------------------------------------------ */

/* decode_valid.c: encodings that are #UD once decoded. */
bool x86_lock_allowed(const struct x86_insn *insn);
bool x86_invalid_form(const struct x86_insn *insn, enum x86_mode mode);

/* ---- Execution state (emulate.c) ---------------------------------------- */

struct emul {
    struct x86_emulate_ctxt *ctxt;
    const struct x86_emulate_ops *ops;
    struct x86_insn *insn;
    struct x86_regs *regs;      /* ctxt->regs, rolled back on failure */
    bool keep_partial;          /* a failed REP keeps its iterations */
    uint64_t next_rip;
    unsigned int sp_bytes;
};

/* An operand: a register, memory or an immediate. */
struct operand {
    enum { OP_NONE, OP_REG, OP_MEM, OP_IMM } kind;
    uint8_t bytes;
    uint8_t reg;                /* OP_REG: GPR number */
    bool high8;                 /* OP_REG: AH, CH, DH, BH */
    enum x86_segment seg;       /* OP_MEM */
    uint64_t off;               /* OP_MEM: offset, address-size truncated */
    uint64_t val;
};

static inline uint64_t size_mask(unsigned int bytes)
{
    return bytes >= 8 ? ~0ULL : (1ULL << (bytes * 8)) - 1;
}

static inline uint64_t sign_bit(unsigned int bytes)
{
    return 1ULL << (bytes * 8 - 1);
}

static inline int64_t sext(uint64_t v, unsigned int bytes)
{
    unsigned int sh = 64 - bytes * 8;

    return (int64_t)(v << sh) >> sh;
}

int emul_raise(struct emul *e, unsigned int vector, int error_code);
#define emul_ud(e) emul_raise(e, X86_EXC_UD, -1)

/* Operand plumbing (operand.c). */
/*
 * Byte registers 4-7 are AH, CH, DH, BH without a REX prefix and SPL,
 * BPL, SIL, DIL with one (SDM Vol. 1 §3.4.1.1).
 */
static inline bool is_high8(const struct emul *e, unsigned int reg,
                            unsigned int bytes)
{
    return bytes == 1 && !e->insn->rex && reg >= 4 && reg < 8;
}

static inline uint64_t reg_read(const struct emul *e, unsigned int reg,
                                unsigned int bytes, bool high8_ok)
{
    if ( high8_ok && is_high8(e, reg, bytes) )
        return (e->regs->gpr[reg - 4] >> 8) & 0xff;
    return e->regs->gpr[reg] & size_mask(bytes);
}

/*
 * 8- and 16-bit writes keep the rest of the register; 32-bit writes
 * zero-extend to 64 bits (SDM Vol. 1 §3.4.1.1).
 */
static inline void reg_write(struct emul *e, unsigned int reg,
                             unsigned int bytes, uint64_t val, bool high8_ok)
{
    uint64_t *r;

    if ( high8_ok && is_high8(e, reg, bytes) )
    {
        r = &e->regs->gpr[reg - 4];
        *r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
        return;
    }
    r = &e->regs->gpr[reg];
    if ( bytes >= 4 )
        *r = val & size_mask(bytes);
    else
        *r = (*r & ~size_mask(bytes)) | (val & size_mask(bytes));
}
static inline bool canonical(uint64_t a)
{
    return (uint64_t)sext(a, 6) == a;
}

/*
 * 64-bit mode: every byte of an access must be canonical, or it is
 * #GP(0), #SS(0) through SS (SDM Vol. 3A §3.3.7.1, §6.15). FS and GS have
 * bases the emulator does not know: their callbacks check (checks.c).
 */
int mem_check_slow(struct emul *e, enum x86_segment seg, uint64_t off,
                   unsigned int bytes);
static inline int mem_check(struct emul *e, enum x86_segment seg,
                            uint64_t off, unsigned int bytes)
{
    /* Fast path: both ends below 2^47. */
    if ( e->ctxt->mode != X86_MODE_64 ||
         ((off | (off + bytes - 1)) >> 47) == 0 )
        return X86EMUL_OKAY;
    return mem_check_slow(e, seg, off, bytes);
}
#include "operand.h"

int stack_push(struct emul *e, uint64_t val, unsigned int bytes);
int stack_pop(struct emul *e, uint64_t *val, unsigned int bytes);
int jump_to(struct emul *e, uint64_t target);

/* Flags (flags.c). */
#include "flags.h"
bool cond_true(uint64_t rflags, unsigned int cc);

/* Opcode groups: each returns an X86EMUL_* code. */
int emul_alu(struct emul *e);       /* alu.c */
int emul_mov(struct emul *e);       /* mov.c */
int emul_mov_rm(struct emul *e);    /* mov.c: 88-8B */
int emul_movx(struct emul *e);      /* mov.c: 0F B6/B7/BE/BF */
int emul_xchg(struct emul *e);      /* xchg.c */
int emul_grp3(struct emul *e);      /* alu.c: F6/F7 */
int emul_shift(struct emul *e);     /* shift.c */
int emul_bits(struct emul *e);      /* bits.c */
int emul_muldiv(struct emul *e);    /* muldiv.c */
int emul_stack(struct emul *e);     /* stack.c */
int emul_branch(struct emul *e);    /* branch.c */
int emul_string(struct emul *e);    /* string.c */
int emul_system(struct emul *e);    /* system.c */
int emul_count(struct emul *e);     /* count.c: POPCNT TZCNT LZCNT */
bool count_insn_present(const struct emul *e);
int emul_movbe(struct emul *e);     /* mov.c: 0F 38 F0/F1 */
int emul_cmpxchg8b(struct emul *e); /* xchg.c: 0F C7 /1 */
int emul_enter(struct emul *e);     /* stack.c: C8 */
int emul_priv(struct emul *e);      /* privileged.c: system insns */
int emul_segment(struct emul *e);   /* segment.c: Sreg moves */
int emul_sse(struct emul *e);       /* sse.c: SSE/AVX moves */
int io_permission(struct emul *e, unsigned int port, unsigned int bytes);
int seg_load(struct emul *e, enum x86_segment seg, uint16_t sel);

#endif /* ORRERY_EMULATE_PRIVATE_H */

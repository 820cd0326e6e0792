/* SPDX-License-Identifier: MIT */
/*
 * Multiply and divide: MUL/IMUL/DIV/IDIV (F6/F7 /4-/7) on the
 * accumulator, and the two- and three-operand IMUL (0F AF, 69, 6B).
 * After a multiply CF = OF = "the high half is significant" and SF, ZF,
 * AF, PF are undefined; after a divide every arithmetic flag is
 * undefined. A zero divisor or a quotient that does not fit is #DE
 * (SDM Vol. 2A "DIV", "IDIV", "MUL", "IMUL").
 */
#include "private.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

#define MUL_UNDEF (X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | \
                   X86_EFLAGS_PF)

/* The flags left defined are CF and OF; the others keep a value chosen
 * from the low half of the result, as current processors do. */
static void mul_flags(struct emul *e, bool overflow, uint64_t lo,
                      unsigned int bytes)
{
    uint64_t f = flags_szp(lo, bytes) & ~X86_EFLAGS_AF;

    if ( overflow )
        f |= X86_EFLAGS_CF | X86_EFLAGS_OF;
    flags_set(e, X86_EFLAGS_ARITH, f);
    e->ctxt->flags_undefined |= MUL_UNDEF;
}

/* Signed product of two @bytes-wide values, truncated; *@ovf when the
 * full product does not fit in @bytes as a signed number. */
static uint64_t imul_trunc(uint64_t a, uint64_t b, unsigned int bytes,
                           bool *ovf)
{
    s128 p = (s128)sext(a, bytes) * (s128)sext(b, bytes);
    uint64_t lo = (uint64_t)p & size_mask(bytes);

    *ovf = (s128)sext(lo, bytes) != p;
    return lo;
}

/* The accumulator forms: [rDX:]rAX (AX for bytes) as the double width. */
static void acc_split(struct emul *e, unsigned int bytes, uint64_t *hi,
                      uint64_t *lo)
{
    if ( bytes == 1 )
    {
        uint64_t ax = e->regs->gpr[X86_RAX] & 0xffff;

        *lo = ax & 0xff;
        *hi = ax >> 8;
    }
    else
    {
        *lo = reg_read(e, X86_RAX, bytes, false);
        *hi = reg_read(e, X86_RDX, bytes, false);
    }
}

static void acc_store(struct emul *e, unsigned int bytes, uint64_t hi,
                      uint64_t lo)
{
    if ( bytes == 1 )
        reg_write(e, X86_RAX, 2, (hi << 8) | (lo & 0xff), false);
    else
    {
        reg_write(e, X86_RAX, bytes, lo, false);
        reg_write(e, X86_RDX, bytes, hi, false);
    }
}

static int divide(struct emul *e, uint64_t divisor, unsigned int bytes,
                  bool sign)
{
    unsigned int bits = bytes * 8;
    uint64_t hi, lo, q, r;

    acc_split(e, bytes, &hi, &lo);
    e->ctxt->flags_undefined |= X86_EFLAGS_ARITH;
    if ( (divisor & size_mask(bytes)) == 0 )
        return emul_raise(e, X86_EXC_DE, -1);

    if ( !sign )
    {
        u128 n = ((u128)hi << bits) | lo, qq;

        qq = n / divisor;
        if ( qq > size_mask(bytes) )
            return emul_raise(e, X86_EXC_DE, -1);
        q = qq;
        r = n % divisor;
    }
    else
    {
        /* The dividend is the sign-extended double-width value. */
        unsigned int sh = 128 - 2 * bits;
        s128 n = (s128)((((u128)hi << bits) | lo) << sh) >> sh;
        s128 d = sext(divisor, bytes), qq, lim = (s128)1 << (bits - 1);

        if ( d == -1 )
        {
            /* -n must fit: this is also where INT_MIN / -1 faults. */
            if ( n <= -lim || n > lim )
                return emul_raise(e, X86_EXC_DE, -1);
            acc_store(e, bytes, 0, (uint64_t)-n);
            return X86EMUL_OKAY;
        }
        qq = n / d;
        if ( qq >= lim || qq < -lim )
            return emul_raise(e, X86_EXC_DE, -1);
        q = (uint64_t)qq;
        r = (uint64_t)(n % d);
    }
    acc_store(e, bytes, r, q);
    return X86EMUL_OKAY;
}

int emul_muldiv(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    unsigned int bytes = insn->op_bytes;
    struct operand src, dst;
    uint64_t hi, lo, r;
    bool ovf;
    int rc;

    if ( insn->map == X86_MAP_0F || op == 0x69 || op == 0x6b )
    {
        /* IMUL Gv, Ev[, imm]: the truncated product. */
        op_modrm_rm(e, &src, bytes);
        rc = op_read(e, &src);
        if ( rc != X86EMUL_OKAY )
            return rc;
        op_modrm_reg(e, &dst, bytes);
        r = imul_trunc(src.val, insn->map == X86_MAP_0F ? dst.val : insn->imm,
                       bytes, &ovf);
        mul_flags(e, ovf, r, bytes);
        return op_write(e, &dst, r);
    }

    /* F6/F7 /4-/7. */
    bytes = op & 1 ? insn->op_bytes : 1;
    op_modrm_rm(e, &src, bytes);
    rc = op_read(e, &src);
    if ( rc != X86EMUL_OKAY )
        return rc;
    src.val &= size_mask(bytes);

    switch ( insn->modrm_reg & 7 )
    {
    case 4:                                             /* MUL */
    {
        u128 p = (u128)reg_read(e, X86_RAX, bytes, false) * src.val;

        lo = (uint64_t)p & size_mask(bytes);
        hi = (uint64_t)(p >> (bytes * 8));
        acc_store(e, bytes, hi, lo);
        mul_flags(e, hi != 0, lo, bytes);
        return X86EMUL_OKAY;
    }
    case 5:                                             /* IMUL */
    {
        s128 p = (s128)sext(reg_read(e, X86_RAX, bytes, false), bytes) *
                 sext(src.val, bytes);

        lo = (uint64_t)p & size_mask(bytes);
        hi = (uint64_t)(p >> (bytes * 8)) & size_mask(bytes);
        acc_store(e, bytes, hi, lo);
        mul_flags(e, (s128)sext(lo, bytes) != p, lo, bytes);
        return X86EMUL_OKAY;
    }
    case 6:
        return divide(e, src.val, bytes, false);        /* DIV */
    default:
        return divide(e, src.val, bytes, true);         /* IDIV */
    }
}

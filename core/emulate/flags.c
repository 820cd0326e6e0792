/* SPDX-License-Identifier: MIT */
/*
 * Arithmetic flags of the integer instructions (SDM Vol. 1 §3.4.3.1 and
 * Appendix A) and the condition codes of Jcc/SETcc/CMOVcc (SDM Vol. 1
 * Appendix B). Each helper returns the six arithmetic flags; the caller
 * merges them into RFLAGS with flags_set().
 */
#include "private.h"

void flags_set(struct emul *e, uint64_t mask, uint64_t val)
{
    e->regs->rflags = (e->regs->rflags & ~mask) | (val & mask);
}

/* PF: an even number of ones in the low byte only. */
static bool parity_even(uint64_t v)
{
    v &= 0xff;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return !(v & 1);
}

uint64_t flags_szp(uint64_t res, unsigned int bytes)
{
    uint64_t f = 0;

    res &= size_mask(bytes);
    if ( !res )
        f |= X86_EFLAGS_ZF;
    if ( res & sign_bit(bytes) )
        f |= X86_EFLAGS_SF;
    if ( parity_even(res) )
        f |= X86_EFLAGS_PF;
    return f;
}

/* AND, OR, XOR, TEST: CF = OF = 0; AF is undefined and we clear it, as
 * current processors do. */
uint64_t flags_logic(uint64_t res, unsigned int bytes)
{
    return flags_szp(res, bytes);
}

uint64_t flags_add(uint64_t a, uint64_t b, uint64_t cin, unsigned int bytes)
{
    uint64_t m = size_mask(bytes), res, f;

    a &= m;
    b &= m;
    res = (a + b + cin) & m;
    f = flags_szp(res, bytes);
    /* Carry out of the top bit: the sum wrapped, or equalled with a carry
     * in (a + ~0 + 1). */
    if ( res < a || (cin && res == a) )
        f |= X86_EFLAGS_CF;
    if ( (a ^ res) & (b ^ res) & sign_bit(bytes) )
        f |= X86_EFLAGS_OF;
    if ( (a ^ b ^ res) & 0x10 )
        f |= X86_EFLAGS_AF;
    return f;
}

uint64_t flags_sub(uint64_t a, uint64_t b, uint64_t bin, unsigned int bytes)
{
    uint64_t m = size_mask(bytes), res, f;

    a &= m;
    b &= m;
    res = (a - b - bin) & m;
    f = flags_szp(res, bytes);
    if ( a < b || (bin && a == b) )
        f |= X86_EFLAGS_CF;
    if ( (a ^ b) & (a ^ res) & sign_bit(bytes) )
        f |= X86_EFLAGS_OF;
    if ( (a ^ b ^ res) & 0x10 )
        f |= X86_EFLAGS_AF;
    return f;
}

/* The tttn condition field (SDM Vol. 2D Appendix B.1.4.7). */
bool cond_true(uint64_t fl, unsigned int cc)
{
    bool cf = fl & X86_EFLAGS_CF, zf = fl & X86_EFLAGS_ZF;
    bool sf = fl & X86_EFLAGS_SF, of = fl & X86_EFLAGS_OF;
    bool pf = fl & X86_EFLAGS_PF, r;

    switch ( (cc >> 1) & 7 )
    {
    case 0: r = of; break;                  /* O */
    case 1: r = cf; break;                  /* B, C, NAE */
    case 2: r = zf; break;                  /* E, Z */
    case 3: r = cf || zf; break;            /* BE, NA */
    case 4: r = sf; break;                  /* S */
    case 5: r = pf; break;                  /* P, PE */
    case 6: r = sf != of; break;            /* L, NGE */
    default: r = zf || sf != of; break;     /* LE, NG */
    }
    return (cc & 1) ? !r : r;
}

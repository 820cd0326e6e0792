/* SPDX-License-Identifier: MIT */
/*
 * Arithmetic flags of the integer instructions (SDM Vol. 1 §3.4.3.1 and
 * Appendix A). Each helper returns the six arithmetic flags; the caller
 * merges them into RFLAGS with flags_set(). Inline: an ADD or CMPXCHG on
 * MMIO spends as long calling these as computing them otherwise.
 * Included by private.h only; condition codes are in flags.c.
 */
#ifndef ORRERY_EMULATE_FLAGS_H
#define ORRERY_EMULATE_FLAGS_H

static inline void flags_set(struct emul *e, uint64_t mask, uint64_t val)
{
    e->regs->rflags = (e->regs->rflags & ~mask) | (val & mask);
}

/*
 * PF: an even number of ones in the low byte only. Fold the byte to a
 * nibble, then look its parity up in the 16-bit constant whose bit n is
 * the parity of n.
 */
static inline bool parity_even(uint64_t v)
{
    v = (v ^ (v >> 4)) & 0xf;
    return !((0x6996u >> v) & 1);
}

static inline uint64_t flags_szp(uint64_t res, unsigned int bytes)
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
static inline uint64_t flags_logic(uint64_t res, unsigned int bytes)
{
    return flags_szp(res, bytes);
}

static inline uint64_t flags_add(uint64_t a, uint64_t b, uint64_t cin,
                                 unsigned int bytes)
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

static inline uint64_t flags_sub(uint64_t a, uint64_t b, uint64_t bin,
                                 unsigned int bytes)
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

#endif /* ORRERY_EMULATE_FLAGS_H */

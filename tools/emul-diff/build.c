/* SPDX-License-Identifier: MIT */
/*
 * emul-diff: the bytes of a random instance of a form -- prefixes, REX,
 * opcode, ModRM and random trailing bytes -- within what Unicorn models.
 */
#include "gen.h"

/*
 * Unicorn 2.0.1 (QEMU 5) deviates from the SDM in places the
 * generator therefore avoids; the unit tests (tests/unit/emulate) assert
 * the architectural behaviour of each:
 *  - LOCK on an instruction that does not allow it must be #UD (SDM
 *    Vol. 2B "LOCK"); QEMU ignores it on many (even crashes on LOCK
 *    CMPS), so LOCK is only generated where it is valid;
 *  - a REX followed by a legacy prefix is ignored (SDM Vol. 2A §2.2.1);
 *    QEMU keeps it, so REX is only generated right before the opcode;
 *  - REX.R does not extend an opcode-extension /digit (SDM Vol. 2A
 *    §2.2.1.2); QEMU makes C6/C7 with REX.R #UD, so they get no REX.R;
 *  - LOCK NEG sets the flags of NEG (SDM Vol. 2B "NEG"); QEMU's locked
 *    path gets SF/PF wrong, so NEG is generated without LOCK;
 *  - RET imm16 releases imm16 bytes, zero-extended (SDM Vol. 2B "RET");
 *    QEMU sign-extends it, so the generator keeps it below 0x8000;
 *  - LAHF/SAHF use AH whatever the REX (SDM Vol. 2A "LAHF"); QEMU uses
 *    SPL when a REX is present, so they get no REX;
 *  - ENTER's frame pointer is SP when the stack is 16-bit (SDM Vol. 2A
 *    "ENTER": FrameTemp <- SP); QEMU pushes all of ESP with a 32-bit
 *    operand, so ENTER starts with rSP's bits above the stack size clear;
 *  - CMPXCHG writes the accumulator only when the comparison fails (SDM
 *    Vol. 2B "CMPXCHG"); QEMU always writes it, zero-extending EAX into
 *    RAX, so in 64-bit mode RAX starts with a zero upper half for it;
 *  - MOVDQA/MOVAPS/MOVAPD need a 16-byte aligned memory operand, else
 *    #GP(0) (SDM Vol. 2B "MOVDQA"); QEMU 5 does not check, so their
 *    memory operands are aligned here (unit.emulate sse-avx: the #GP);
 *  - SSE works in real mode once CR4.OSFXSR is set (SDM Vol. 3A §13.1);
 *    Unicorn raises #UD there, so the SSE moves are generated in 32-
 *    and 64-bit mode only (unit.emulate sse-avx: real mode);
 *  - Unicorn 2.0.1 has no AVX: the VEX moves are in unit.emulate only.
 */
unsigned int gen_build(const struct form *f, struct machine *m,
                       uint8_t *b)
{
    uint8_t pfx[8], modrm = rnd();
    unsigned int np = 0, n = 0, i;
    bool m64 = m->mode == X86_MODE_64, mem;
    static const uint8_t segs[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };

    if ( f->reg >= 0 )
        modrm = (modrm & 0xc7) | (f->reg << 3);
    if ( f->flags & F_MEMONLY )
        modrm &= 0xbf;                  /* mod 0 or 2 */
    else if ( rnd() % 2 )
        modrm |= 0xc0;
    mem = (f->flags & F_MODRM) && (modrm & 0xc0) != 0xc0;

    if ( !(f->flags & F_SSE) &&
         (f->flags & F_OP32 ? m->mode == X86_MODE_16 : rnd() % 4 == 0) )
        pfx[np++] = 0x66;
    if ( rnd() % 5 == 0 && !(f->flags & (F_REL | F_RET | F_INDIRECT)) )
        pfx[np++] = 0x67;
    if ( (f->flags & F_STRING) && rnd() % 2 )
        pfx[np++] = rnd() % 3 ? 0xf3 : 0xf2;
    if ( rnd() % 6 == 0 )
        pfx[np++] = segs[rnd() % 6];
    if ( (f->flags & F_LOCKABLE) && mem && rnd() % 3 == 0 &&
         !(f->map == 0 && (f->op & 0xfe) == 0xf6 && f->reg == 3) )
        pfx[np++] = 0xf0;
    /* 66 on a near branch in 64-bit mode: Intel ignores it, AMD (and
     * Unicorn) honour it; the decoder follows Intel, so skip it. */
    if ( m64 && (f->flags & (F_REL | F_RET | F_INDIRECT)) && np &&
         pfx[0] == 0x66 )
        pfx[0] = 0x3e;
    for ( i = np; i > 1; i-- )
    {
        unsigned int j = rnd() % i;
        uint8_t t = pfx[i - 1];

        pfx[i - 1] = pfx[j];
        pfx[j] = t;
    }
    for ( i = 0; i < np; i++ )
        b[n++] = pfx[i];
    if ( f->flags & F_F3 )
        b[n++] = 0xf3;
    if ( f->flags & F_P66 )
        b[n++] = 0x66;
    if ( m64 && !(f->flags & F_NOREX) && rnd() % 2 )
    {
        b[n] = 0x40 | (rnd() & 15);
        /* No REX.R on MOV from CR either: CR8 is not in the machine. */
        if ( (f->map == 0 && (f->op == 0xc6 || f->op == 0xc7)) ||
             (f->map == 1 && f->op == 0x20) )
            b[n] &= ~4;
        n++;
    }
    if ( f->map >= 1 )
        b[n++] = 0x0f;
    if ( f->map == 2 )
        b[n++] = 0x38;
    b[n++] = f->op | (f->flags & F_OPREG ? rnd() & 7 : 0);
    if ( f->flags & F_MODRM )
        b[n++] = modrm;
    for ( i = 0; i < 12; i++ )
        b[n++] = rnd();
    return n;
}

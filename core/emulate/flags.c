/* SPDX-License-Identifier: MIT */
/*
 * The condition codes of Jcc/SETcc/CMOVcc (SDM Vol. 1 Appendix B); the
 * arithmetic flags are inline in flags.h.
 */
#include "private.h"

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

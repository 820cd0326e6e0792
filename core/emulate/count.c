/* SPDX-License-Identifier: MIT */
/*
 * Bit counts: POPCNT (F3 0F B8), TZCNT (F3 0F BC) and LZCNT (F3 0F BD).
 * Each exists only when the emulated CPU reports it (ctxt->features);
 * without it, F3 0F BC/BD are BSF/BSR with an ignored prefix (the SDM's
 * "TZCNT"/"LZCNT" compatibility notes) and F3 0F B8 is #UD.
 */
#include "private.h"

#define CNT_UNDEF (X86_EFLAGS_OF | X86_EFLAGS_SF | X86_EFLAGS_AF | \
                   X86_EFLAGS_PF)

/* F3 0F BC/BD: true when this CPU makes them TZCNT/LZCNT. */
bool count_insn_present(const struct emul *e)
{
    unsigned int need = e->insn->opcode == 0xbc ? X86_FEAT_BMI1
                                                : X86_FEAT_LZCNT;

    return (e->insn->prefixes & X86_PFX_REP) &&
           (e->ctxt->features & need);
}

int emul_count(struct emul *e)
{
    unsigned int bytes = e->insn->op_bytes, bits = bytes * 8;
    struct operand src, dst;
    uint64_t v, res;
    int rc;

    if ( e->insn->opcode == 0xb8 && !(e->ctxt->features & X86_FEAT_POPCNT) )
        return emul_ud(e);
    op_modrm_rm(e, &src, bytes);
    rc = op_read(e, &src);
    if ( rc != X86EMUL_OKAY )
        return rc;
    v = src.val & size_mask(bytes);

    switch ( e->insn->opcode )
    {
    case 0xb8:
        /* POPCNT: ZF = (source == 0), OF SF AF CF PF cleared. */
        res = __builtin_popcountll(v);
        flags_set(e, X86_EFLAGS_ARITH, v ? 0 : X86_EFLAGS_ZF);
        break;
    case 0xbc:
        /* TZCNT: the operand size for zero; CF = (source == 0),
         * ZF = (result == 0), OF SF AF PF undefined. */
        res = v ? (uint64_t)__builtin_ctzll(v) : bits;
        goto flags;
    default:
        res = v ? (uint64_t)(__builtin_clzll(v) - (64 - bits)) : bits;
    flags:
        flags_set(e, X86_EFLAGS_CF | X86_EFLAGS_ZF,
                  (v ? 0 : X86_EFLAGS_CF) | (res ? 0 : X86_EFLAGS_ZF));
        e->ctxt->flags_undefined |= CNT_UNDEF;
        break;
    }
    op_modrm_reg(e, &dst, bytes);
    return op_write(e, &dst, res);
}

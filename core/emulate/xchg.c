/* SPDX-License-Identifier: MIT */
/*
 * Exchanges: XCHG (86/87, 90-97), CMPXCHG (0F B0/B1), XADD (0F C0/C1)
 * and CMPXCHG8B/16B (0F C7 /1).
 * Memory forms that must be atomic go through the cmpxchg callback: XCHG
 * with memory is always locked (SDM "XCHG"), CMPXCHG and XADD when LOCK
 * is given.
 */
#include "private.h"

static int xchg(struct emul *e, struct operand *mem_or_reg,
                struct operand *reg)
{
    int rc;

    if ( mem_or_reg->kind == OP_MEM )
    {
        uint64_t old;

        rc = op_read(e, mem_or_reg);
        if ( rc != X86EMUL_OKAY )
            return rc;
        if ( !e->ops->cmpxchg )
            return X86EMUL_UNHANDLEABLE;
        old = mem_or_reg->val;
        rc = e->ops->cmpxchg(mem_or_reg->seg, mem_or_reg->off, &old,
                             &reg->val, mem_or_reg->bytes, true, e->ctxt);
        if ( rc == X86EMUL_CMPXCHG_FAILED )
            return X86EMUL_RETRY;       /* memory changed under us */
        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    else
        op_write(e, mem_or_reg, reg->val);
    return op_write(e, reg, mem_or_reg->val);
}

static int cmpxchg(struct emul *e, unsigned int bytes)
{
    struct operand dst, src;
    uint64_t acc = reg_read(e, X86_RAX, bytes, false), cur;
    int rc;

    op_modrm_rm(e, &dst, bytes);
    op_modrm_reg(e, &src, bytes);

    if ( dst.kind == OP_MEM )
    {
        rc = mem_check(e, dst.seg, dst.off, bytes);
        if ( rc != X86EMUL_OKAY )
            return rc;
        if ( !e->ops->cmpxchg )
            return X86EMUL_UNHANDLEABLE;
        cur = acc;
        rc = e->ops->cmpxchg(dst.seg, dst.off, &cur, &src.val, bytes,
                             e->insn->prefixes & X86_PFX_LOCK, e->ctxt);
        if ( rc == X86EMUL_OKAY )
            cur = acc;
        else if ( rc != X86EMUL_CMPXCHG_FAILED )
            return rc;
        else
            cur = le_value(&cur, bytes);    /* what the callback stored */
    }
    else
    {
        /* A register destination is always written: with the source if
         * equal, else with its own value, which zero-extends a 32-bit
         * register (SDM "CMPXCHG": DEST <- TEMP). */
        cur = dst.val;
        op_write(e, &dst, cur == acc ? src.val : cur);
    }

    /* Flags as CMP accumulator, destination; on a mismatch the
     * accumulator takes the destination's value (SDM "CMPXCHG"). */
    flags_set(e, X86_EFLAGS_ARITH, flags_sub(acc, cur, 0, bytes));
    if ( cur != acc )
        reg_write(e, X86_RAX, bytes, cur, false);
    return X86EMUL_OKAY;
}

static int xadd(struct emul *e, unsigned int bytes)
{
    struct operand dst, src;
    uint64_t sum;
    int rc;

    op_modrm_rm(e, &dst, bytes);
    op_modrm_reg(e, &src, bytes);
    rc = op_read(e, &dst);
    if ( rc != X86EMUL_OKAY )
        return rc;
    sum = (dst.val + src.val) & size_mask(bytes);
    /* The source register takes the old destination first, then the
     * destination the sum: XADD r, r with the same register keeps the
     * sum. Flags last, once memory is written (emulate.c). */
    if ( dst.kind == OP_MEM )
    {
        rc = op_rmw_commit(e, &dst, dst.val, sum);
        if ( rc != X86EMUL_OKAY )
            return rc;
        op_write(e, &src, dst.val);
    }
    else
    {
        op_write(e, &src, dst.val);
        op_write(e, &dst, sum);
    }
    flags_set(e, X86_EFLAGS_ARITH, flags_add(dst.val, src.val, 0, bytes));
    return X86EMUL_OKAY;
}

/*
 * CMPXCHG8B/CMPXCHG16B (0F C7 /1, REX.W for 16B): compare rDX:rAX with
 * the memory operand; if equal, ZF = 1 and rCX:rBX is stored, else
 * ZF = 0 and rDX:rAX is loaded. No other flag changes. The 16-byte form
 * needs a 16-byte aligned operand (#GP(0)) and CPUID.CX16 (SDM Vol. 2A
 * "CMPXCHG8B/CMPXCHG16B"). The alignment is checked on the offset: in
 * 64-bit mode only FS and GS have a base, and the caller's callback
 * sees the linear address if it must check more.
 */
int emul_cmpxchg8b(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint64_t *r = e->regs->gpr;
    bool wide = insn->op_bytes == 8;
    unsigned int half = wide ? 8 : 4;
    uint64_t old[2], new[2];
    int rc;

    if ( (insn->modrm_reg & 7) != 1 || insn->prefixes & (X86_PFX_REP |
                                                          X86_PFX_REPNE) )
        return X86EMUL_UNHANDLEABLE;    /* the rest of group 9 */
    if ( !insn->mem || (wide && !(e->ctxt->features & X86_FEAT_CX16)) )
        return emul_ud(e);
    if ( wide && (insn->ea & 15) )
        return emul_raise(e, X86_EXC_GP, 0);
    rc = mem_check(e, insn->seg, insn->ea, half * 2);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( !e->ops->cmpxchg )
        return X86EMUL_UNHANDLEABLE;

    if ( wide )
    {
        old[0] = r[X86_RAX], old[1] = r[X86_RDX];
        new[0] = r[X86_RBX], new[1] = r[X86_RCX];
    }
    else
    {
        old[0] = (uint32_t)r[X86_RAX] | (r[X86_RDX] << 32);
        new[0] = (uint32_t)r[X86_RBX] | (r[X86_RCX] << 32);
    }
    rc = e->ops->cmpxchg(insn->seg, insn->ea, old, new, half * 2,
                         insn->prefixes & X86_PFX_LOCK, e->ctxt);
    if ( rc == X86EMUL_OKAY )
    {
        flags_set(e, X86_EFLAGS_ZF, X86_EFLAGS_ZF);
        return X86EMUL_OKAY;
    }
    if ( rc != X86EMUL_CMPXCHG_FAILED )
        return rc;
    flags_set(e, X86_EFLAGS_ZF, 0);
    reg_write(e, X86_RAX, half, wide ? old[0] : (uint32_t)old[0], false);
    reg_write(e, X86_RDX, half, wide ? old[1] : old[0] >> 32, false);
    return X86EMUL_OKAY;
}

int emul_xchg(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    struct operand a, b;

    if ( insn->map == X86_MAP_0F )
    {
        unsigned int bytes = op & 1 ? insn->op_bytes : 1;

        return (op & 0xf0) == 0xb0 ? cmpxchg(e, bytes) : xadd(e, bytes);
    }

    if ( op == 0x86 || op == 0x87 )
    {
        unsigned int bytes = op & 1 ? insn->op_bytes : 1;

        op_modrm_rm(e, &a, bytes);
        op_modrm_reg(e, &b, bytes);
        return xchg(e, &a, &b);
    }

    /* 90-97: XCHG rAX, r. 90 without REX.B is NOP (also F3 90, PAUSE),
     * even with a 32-bit operand in 64-bit mode: RAX is unchanged. */
    if ( op == 0x90 && !(insn->rex & 1) )
        return X86EMUL_OKAY;
    op_gpr(e, &a, (op & 7) | ((insn->rex & 1) << 3), insn->op_bytes);
    op_gpr(e, &b, X86_RAX, insn->op_bytes);
    return xchg(e, &a, &b);
}

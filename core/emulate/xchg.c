/* SPDX-License-Identifier: MIT */
/*
 * Exchanges: XCHG (86/87, 90-97), CMPXCHG (0F B0/B1) and XADD (0F C0/C1).
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
        if ( !e->ops->cmpxchg )
            return X86EMUL_UNHANDLEABLE;
        cur = acc;
        rc = e->ops->cmpxchg(dst.seg, dst.off, &cur, &src.val, bytes,
                             e->insn->prefixes & X86_PFX_LOCK, e->ctxt);
        if ( rc == X86EMUL_OKAY )
            cur = acc;
        else if ( rc != X86EMUL_CMPXCHG_FAILED )
            return rc;
        cur &= size_mask(bytes);
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
    flags_set(e, X86_EFLAGS_ARITH, flags_add(dst.val, src.val, 0, bytes));
    /* The source register takes the old destination first, then the
     * destination the sum: XADD r, r with the same register keeps the
     * sum. */
    if ( dst.kind == OP_MEM )
    {
        rc = op_rmw_commit(e, &dst, dst.val, sum);
        if ( rc != X86EMUL_OKAY )
            return rc;
        return op_write(e, &src, dst.val);
    }
    op_write(e, &src, dst.val);
    return op_write(e, &dst, sum);
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

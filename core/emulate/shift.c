/* SPDX-License-Identifier: MIT */
/*
 * Group 2 (C0/C1, D0-D3): ROL ROR RCL RCR SHL SHR SAL SAR by an
 * immediate, by one or by CL. The count is masked to 5 bits (6 with a
 * 64-bit operand); a masked count of zero changes no flag. OF is defined
 * only for a count of one, AF never for the shifts, and CF of SHL/SHR
 * not once the count reaches the operand width (SDM Vol. 2B "SAL/SAR/
 * SHL/SHR", "RCL/RCR/ROL/ROR").
 */
#include "private.h"

enum { ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR };

static uint64_t bit(uint64_t v, unsigned int n)
{
    return (v >> n) & 1;
}

int emul_shift(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    unsigned int bytes = op & 1 ? insn->op_bytes : 1;
    unsigned int bits = bytes * 8, kind = insn->modrm_reg & 7;
    uint64_t m = size_mask(bytes), fl = e->regs->rflags;
    uint64_t v, res = 0, cf = fl & X86_EFLAGS_CF, of = 0, f;
    unsigned int count, n;
    struct operand dst;
    int rc;

    if ( op <= 0xc1 )
        count = insn->imm & 0xff;
    else if ( op <= 0xd1 )
        count = 1;
    else
        count = e->regs->gpr[X86_RCX] & 0xff;
    count &= bytes == 8 ? 0x3f : 0x1f;

    op_modrm_rm(e, &dst, bytes);
    rc = op_read(e, &dst);
    if ( rc != X86EMUL_OKAY )
        return rc;
    v = dst.val & m;

    if ( count == 0 )
        /* Nothing changes, but the destination is still written (a
         * 32-bit register is zero-extended as for any write). */
        return op_rmw_commit(e, &dst, dst.val, v);

    if ( count != 1 )
        e->ctxt->flags_undefined |= X86_EFLAGS_OF;

    switch ( kind )
    {
    case ROL:
        n = count % bits;
        res = n ? ((v << n) | (v >> (bits - n))) & m : v;
        cf = res & 1;
        of = bit(res, bits - 1) ^ cf;
        break;
    case ROR:
        n = count % bits;
        res = n ? ((v >> n) | (v << (bits - n))) & m : v;
        cf = bit(res, bits - 1);
        of = bit(res, bits - 1) ^ bit(res, bits - 2);
        break;
    case RCL: case RCR:
        /* Through CF: a (bits + 1)-bit rotation. */
        n = count % (bits + 1);
        res = v;
        of = kind == RCR ? bit(v, bits - 1) ^ (cf != 0) : 0;
        while ( n-- )
        {
            uint64_t out;

            if ( kind == RCL )
            {
                out = bit(res, bits - 1);
                res = ((res << 1) | (cf != 0)) & m;
            }
            else
            {
                out = res & 1;
                res = (res >> 1) | ((uint64_t)(cf != 0) << (bits - 1));
            }
            cf = out;
        }
        if ( kind == RCL )
            of = bit(res, bits - 1) ^ (cf != 0);
        break;
    case SHL: case SAL:
        res = count < bits ? (v << count) & m : 0;
        cf = count <= bits ? bit(v, bits - count) : 0;
        of = bit(res, bits - 1) ^ cf;
        break;
    case SHR:
        res = count < bits ? v >> count : 0;
        cf = count <= bits ? bit(v, count - 1) : 0;
        of = bit(v, bits - 1);
        break;
    case SAR:
    {
        int64_t s = sext(v, bytes);

        res = (uint64_t)(s >> (count < bits ? count : bits - 1)) & m;
        cf = (uint64_t)(s >> (count <= bits ? count - 1 : bits - 1)) & 1;
        of = 0;
        break;
    }
    }

    f = (cf ? X86_EFLAGS_CF : 0) | (of ? X86_EFLAGS_OF : 0);
    if ( kind <= RCR )
        /* Rotates touch only CF and OF. */
        flags_set(e, X86_EFLAGS_CF | X86_EFLAGS_OF, f);
    else
    {
        flags_set(e, X86_EFLAGS_ARITH, f | flags_szp(res, bytes));
        e->ctxt->flags_undefined |= X86_EFLAGS_AF;
        if ( kind != SAR && count >= bits )
            e->ctxt->flags_undefined |= X86_EFLAGS_CF;
    }
    return op_rmw_commit(e, &dst, dst.val, res);
}

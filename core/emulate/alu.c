/* SPDX-License-Identifier: MIT */
/*
 * The integer ALU group: ADD OR ADC SBB AND SUB XOR CMP (00-3F, 80-83),
 * TEST (84/85, A8/A9, F6/F7 /0), INC/DEC (40-4F, FE/FF /0-1) and
 * NOT/NEG (F6/F7 /2-3). Flags per SDM Vol. 1 Appendix A.
 */
#include "private.h"

enum alu_kind { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB,
                ALU_XOR, ALU_CMP, ALU_TEST };

/*
 * Compute @kind on @a, @b; return the result and its flags in *@fl. The
 * callers set the flags only once the result is committed: the group
 * changes registers after its last step that can fail (emulate.c).
 */
static EMUL_INLINE uint64_t alu(struct emul *e, enum alu_kind kind,
                                uint64_t a, uint64_t b, unsigned int bytes,
                                uint64_t *fl)
{
    uint64_t cf = e->regs->rflags & X86_EFLAGS_CF, res, f;

    switch ( kind )
    {
    case ALU_ADD: case ALU_ADC:
        cf = kind == ALU_ADC ? cf : 0;
        res = a + b + cf;
        f = flags_add(a, b, cf, bytes);
        break;
    case ALU_SUB: case ALU_SBB: case ALU_CMP:
        cf = kind == ALU_SBB ? cf : 0;
        res = a - b - cf;
        f = flags_sub(a, b, cf, bytes);
        break;
    case ALU_OR:
        res = a | b;
        f = flags_logic(res, bytes);
        break;
    case ALU_XOR:
        res = a ^ b;
        f = flags_logic(res, bytes);
        break;
    default:                            /* AND, TEST */
        res = a & b;
        f = flags_logic(res, bytes);
        break;
    }
    *fl = f;
    /* AF after a logical operation is undefined (SDM "AND" etc.). */
    if ( kind == ALU_OR || kind == ALU_XOR || kind == ALU_AND ||
         kind == ALU_TEST )
        e->ctxt->flags_undefined |= X86_EFLAGS_AF;
    return res & size_mask(bytes);
}

/* dst op= src, written back unless CMP/TEST. */
static int alu_rmw(struct emul *e, enum alu_kind kind, struct operand *dst,
                   uint64_t src)
{
    uint64_t res, f;
    int rc = op_read(e, dst);

    if ( rc != X86EMUL_OKAY )
        return rc;
    res = alu(e, kind, dst->val, src, dst->bytes, &f);
    if ( kind != ALU_CMP && kind != ALU_TEST )
        rc = op_rmw_commit(e, dst, dst->val, res);
    if ( rc == X86EMUL_OKAY )
        flags_set(e, X86_EFLAGS_ARITH, f);
    return rc;
}

/* INC and DEC leave CF alone. */
static int incdec(struct emul *e, struct operand *dst, bool dec)
{
    uint64_t res, f;
    int rc = op_read(e, dst);

    if ( rc != X86EMUL_OKAY )
        return rc;
    res = alu(e, dec ? ALU_SUB : ALU_ADD, dst->val, 1, dst->bytes, &f);
    rc = op_rmw_commit(e, dst, dst->val, res);
    if ( rc == X86EMUL_OKAY )
        flags_set(e, X86_EFLAGS_ARITH & ~X86_EFLAGS_CF, f);
    return rc;
}

int emul_grp3(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    unsigned int bytes = insn->opcode & 1 ? insn->op_bytes : 1;
    struct operand dst;
    uint64_t res, f = 0;
    int rc;

    if ( (insn->modrm_reg & 7) >= 4 )
        return emul_muldiv(e);

    op_modrm_rm(e, &dst, bytes);
    if ( (insn->modrm_reg & 7) <= 1 )
        return alu_rmw(e, ALU_TEST, &dst, insn->imm);

    rc = op_read(e, &dst);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( (insn->modrm_reg & 7) == 2 )
        res = ~dst.val;                 /* NOT: no flags */
    else
    {
        /* NEG: 0 - x, CF set unless the operand was zero. */
        res = alu(e, ALU_SUB, 0, dst.val, bytes, &f);
    }
    rc = op_rmw_commit(e, &dst, dst.val, res & size_mask(bytes));
    if ( rc == X86EMUL_OKAY && (insn->modrm_reg & 7) == 3 )
        flags_set(e, X86_EFLAGS_ARITH, f);
    return rc;
}

int emul_alu(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    unsigned int bytes = op & 1 ? insn->op_bytes : 1;
    struct operand dst, src;

    if ( op < 0x40 )
    {
        enum alu_kind kind = op >> 3;

        switch ( op & 7 )
        {
        case 0: case 1:                 /* Eb,Gb  Ev,Gv */
            op_modrm_rm(e, &dst, bytes);
            op_modrm_reg(e, &src, bytes);
            return alu_rmw(e, kind, &dst, src.val);
        case 2: case 3:                 /* Gb,Eb  Gv,Ev */
        {
            int rc;

            op_modrm_reg(e, &dst, bytes);
            op_modrm_rm(e, &src, bytes);
            rc = op_read(e, &src);
            if ( rc != X86EMUL_OKAY )
                return rc;
            return alu_rmw(e, kind, &dst, src.val);
        }
        default:                        /* AL,Ib  rAX,Iz */
            op_gpr(e, &dst, X86_RAX, bytes);
            return alu_rmw(e, kind, &dst, insn->imm);
        }
    }

    switch ( op )
    {
    case 0x40 ... 0x4f:
        op_gpr(e, &dst, op & 7, insn->op_bytes);
        return incdec(e, &dst, op & 8);
    case 0x80 ... 0x83:
        /* 83 is Ev,Ib: the byte was sign-extended by the decoder. */
        bytes = op == 0x81 || op == 0x83 ? insn->op_bytes : 1;
        op_modrm_rm(e, &dst, bytes);
        return alu_rmw(e, insn->modrm_reg & 7, &dst, insn->imm);
    case 0x84: case 0x85:
        op_modrm_rm(e, &dst, bytes);
        op_modrm_reg(e, &src, bytes);
        return alu_rmw(e, ALU_TEST, &dst, src.val);
    case 0xa8: case 0xa9:
        op_gpr(e, &dst, X86_RAX, bytes);
        return alu_rmw(e, ALU_TEST, &dst, insn->imm);
    case 0xfe: case 0xff:
        op_modrm_rm(e, &dst, bytes);
        return incdec(e, &dst, insn->modrm_reg & 1);
    }
    return X86EMUL_UNHANDLEABLE;
}

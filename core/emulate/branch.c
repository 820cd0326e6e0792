/* SPDX-License-Identifier: MIT */
/*
 * Near control transfers and the condition-code users: Jcc (70-7F,
 * 0F 80-8F), JMP (E9, EB, FF /4), CALL (E8, FF /2), RET (C2, C3),
 * LOOP/LOOPE/LOOPNE/JrCXZ (E0-E3), SETcc (0F 90-9F), CMOVcc (0F 40-4F).
 */
#include "private.h"

static int jump_rel(struct emul *e)
{
    return jump_to(e, e->next_rip + e->insn->imm);
}

/* LOOPcc and JrCXZ count in rCX at the address size (SDM "LOOP"). */
static int loop(struct emul *e)
{
    uint8_t op = e->insn->opcode;
    unsigned int ab = e->insn->ad_bytes;
    uint64_t cx = reg_read(e, X86_RCX, ab, false);
    bool zf = e->regs->rflags & X86_EFLAGS_ZF, taken;

    if ( op == 0xe3 )
        taken = cx == 0;
    else
    {
        cx = (cx - 1) & size_mask(ab);
        taken = cx != 0 && (op == 0xe2 || (op == 0xe1 ? zf : !zf));
    }
    if ( taken )
    {
        int rc = jump_rel(e);

        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    if ( op != 0xe3 )
        reg_write(e, X86_RCX, ab, cx, false);
    return X86EMUL_OKAY;
}

static int call(struct emul *e, uint64_t target)
{
    uint64_t ret = e->next_rip;
    int rc = jump_to(e, target);

    if ( rc != X86EMUL_OKAY )
        return rc;
    return stack_push(e, ret, e->insn->op_bytes);
}

static int ret(struct emul *e)
{
    uint64_t target;
    int rc = stack_pop(e, &target, e->insn->op_bytes);
    uint64_t m = size_mask(e->sp_bytes), sp;

    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( e->insn->opcode == 0xc2 )
    {
        /* RET imm16 releases that many more bytes of stack. */
        sp = e->regs->gpr[X86_RSP];
        sp = (sp & ~m) | ((sp + (e->insn->imm & 0xffff)) & m);
        e->regs->gpr[X86_RSP] = sp;
    }
    return jump_to(e, target);
}

int emul_branch(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    uint64_t fl = e->regs->rflags;
    struct operand src, dst;
    int rc;

    if ( insn->map == X86_MAP_0F )
    {
        switch ( op & 0xf0 )
        {
        case 0x80:
            return cond_true(fl, op) ? jump_rel(e) : X86EMUL_OKAY;
        case 0x90:
            op_modrm_rm(e, &dst, 1);
            return op_write(e, &dst, cond_true(fl, op));
        default:
            /* CMOVcc reads its source whatever the condition, and a
             * 32-bit destination is zero-extended even when it is not
             * moved (SDM "CMOVcc"). */
            op_modrm_rm(e, &src, insn->op_bytes);
            rc = op_read(e, &src);
            if ( rc != X86EMUL_OKAY )
                return rc;
            op_modrm_reg(e, &dst, insn->op_bytes);
            return op_write(e, &dst, cond_true(fl, op) ? src.val : dst.val);
        }
    }

    switch ( op )
    {
    case 0x70 ... 0x7f:
        return cond_true(fl, op) ? jump_rel(e) : X86EMUL_OKAY;
    case 0xc2: case 0xc3:
        return ret(e);
    case 0xe0 ... 0xe3:
        return loop(e);
    case 0xe8:
        return call(e, e->next_rip + insn->imm);
    case 0xe9: case 0xeb:
        return jump_rel(e);
    case 0xff:
        op_modrm_rm(e, &src, insn->op_bytes);
        rc = op_read(e, &src);
        if ( rc != X86EMUL_OKAY )
            return rc;
        return (insn->modrm_reg & 7) == 2 ? call(e, src.val)
                                          : jump_to(e, src.val);
    }
    return X86EMUL_UNHANDLEABLE;
}

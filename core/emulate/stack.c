/* SPDX-License-Identifier: MIT */
/*
 * Stack operations: PUSH/POP of registers (50-5F), immediates (68, 6A),
 * memory (FF /6, 8F /0), and LEAVE (C9). The stack pointer's width is the
 * stack size (SS.B, or 64 bits in 64-bit mode); the size of what is
 * pushed is the operand size (SDM Vol. 1 §6.2.3).
 */
#include "private.h"

/* POP Ev: the value is read first, and an address based on rSP uses the
 * rSP after the pop (SDM Vol. 2B "POP"). */
static int pop_mem(struct emul *e)
{
    struct operand dst;
    uint64_t val;
    int rc;

    rc = stack_pop(e, &val, e->insn->op_bytes);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( e->insn->mem )
        ea_compute(e);
    op_modrm_rm(e, &dst, e->insn->op_bytes);
    /* If the write faults, x86_emulate() puts rSP back. */
    return op_write(e, &dst, val);
}

int emul_stack(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    unsigned int bytes = insn->op_bytes;
    uint8_t op = insn->opcode;
    unsigned int reg = (op & 7) | ((insn->rex & 1) << 3);
    struct operand src;
    uint64_t val;
    int rc;

    switch ( op )
    {
    case 0x50 ... 0x57:
        return stack_push(e, reg_read(e, reg, bytes, false), bytes);
    case 0x58 ... 0x5f:
        rc = stack_pop(e, &val, bytes);
        if ( rc == X86EMUL_OKAY )
            reg_write(e, reg, bytes, val, false);  /* POP rSP: the value */
        return rc;
    case 0x68: case 0x6a:
        return stack_push(e, insn->imm, bytes);
    case 0x8f:
        return pop_mem(e);
    case 0x9c:
        /* PUSHF: VM and RF read as zero in the image (SDM "PUSHF"). */
        return stack_push(e, e->regs->rflags & ~0x30000ULL, bytes);
    case 0xc9:
        /* LEAVE: rSP = rBP at the stack size, then POP rBP. */
        reg_write(e, X86_RSP, e->sp_bytes,
                  e->regs->gpr[X86_RBP], false);
        rc = stack_pop(e, &val, bytes);
        if ( rc == X86EMUL_OKAY )
            reg_write(e, X86_RBP, bytes, val, false);
        return rc;
    case 0xff:                                          /* PUSH Ev */
        op_modrm_rm(e, &src, bytes);
        rc = op_read(e, &src);
        if ( rc != X86EMUL_OKAY )
            return rc;
        return stack_push(e, src.val, bytes);
    }
    return X86EMUL_UNHANDLEABLE;
}

/* SPDX-License-Identifier: MIT */
/*
 * Stack operations: PUSH/POP of registers (50-5F), immediates (68, 6A),
 * memory (FF /6, 8F /0), ENTER (C8) and LEAVE (C9). The stack pointer's
 * width is the stack size (SS.B, or 64 bits in 64-bit mode); the size of
 * what is pushed is the operand size (SDM Vol. 1 §6.2.3).
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

/*
 * ENTER imm16, imm8 (C8): push rBP, copy (level - 1) frame pointers from
 * the old frame, push the new frame pointer if level > 0, then rBP =
 * that frame and rSP drops by imm16. The level is taken modulo 32;
 * addresses and the final rBP/rSP use the stack size, pushed values the
 * operand size (SDM Vol. 2A "ENTER").
 */
int emul_enter(struct emul *e)
{
    unsigned int bytes = e->insn->op_bytes, level = e->insn->imm2 & 31, i;
    uint64_t m = size_mask(e->sp_bytes), frame, rbp, val, sp;
    int rc;

    rc = stack_push(e, e->regs->gpr[X86_RBP], bytes);
    if ( rc != X86EMUL_OKAY )
        return rc;
    frame = e->regs->gpr[X86_RSP] & m;
    rbp = e->regs->gpr[X86_RBP];
    for ( i = 1; i < level; i++ )
    {
        val = 0;
        rc = mem_read(e, x86_seg_ss, (rbp - i * bytes) & m, &val, bytes);
        if ( rc == X86EMUL_OKAY )
            rc = stack_push(e, val, bytes);
        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    if ( level )
    {
        rc = stack_push(e, frame, bytes);
        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    reg_write(e, X86_RBP, e->sp_bytes, frame, false);
    sp = e->regs->gpr[X86_RSP];
    e->regs->gpr[X86_RSP] = (sp & ~m) | ((sp - (e->insn->imm & 0xffff)) & m);
    return X86EMUL_OKAY;
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

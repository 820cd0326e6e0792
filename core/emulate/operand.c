/* SPDX-License-Identifier: MIT */
/*
 * Operands: registers with their partial-width rules, memory through the
 * callbacks, the stack, and control transfers. Every opcode group reads
 * and writes through these, so the width and wrap rules live in one place.
 */
#include "private.h"

/* The stack pointer's width is SS.B (or 64 bits in 64-bit mode). */
int stack_push(struct emul *e, uint64_t val, unsigned int bytes)
{
    uint64_t sp = e->regs->gpr[X86_RSP] - bytes;
    uint64_t m = size_mask(e->sp_bytes);
    int rc;

    rc = mem_write(e, x86_seg_ss, sp & m, &val, bytes);
    if ( rc == X86EMUL_OKAY )
        e->regs->gpr[X86_RSP] = (e->regs->gpr[X86_RSP] & ~m) | (sp & m);
    return rc;
}

int stack_pop(struct emul *e, uint64_t *val, unsigned int bytes)
{
    uint64_t m = size_mask(e->sp_bytes);
    uint64_t sp = e->regs->gpr[X86_RSP];
    int rc;

    *val = 0;
    rc = mem_read(e, x86_seg_ss, sp & m, val, bytes);
    if ( rc == X86EMUL_OKAY )
        e->regs->gpr[X86_RSP] = (sp & ~m) | ((sp + bytes) & m);
    return rc;
}

/*
 * Set the next RIP: a near transfer truncates the target to the operand
 * size (SDM Vol. 2A "JMP"), and in 64-bit mode a non-canonical target is
 * #GP(0) at the branch (Intel behaviour; AMD faults at the target).
 */
int jump_to(struct emul *e, uint64_t target)
{
    target &= size_mask(e->insn->op_bytes);
    if ( e->ctxt->mode == X86_MODE_64 &&
         (uint64_t)(sext(target, 6) ) != target )
        return emul_raise(e, X86_EXC_GP, 0);
    e->next_rip = target;
    return X86EMUL_OKAY;
}

/* SPDX-License-Identifier: MIT */
/*
 * Port I/O (E4-E7, EC-EF), the flag instructions CMC/CLC/STC/CLD/STD,
 * SAHF/LAHF, CPUID and the hint NOPs (0F 18, 0F 1F). I/O permission (CPL
 * against IOPL and the TSS bitmap) is the caller's: the hypervisor
 * emulates I/O only after the hardware checked it and intercepted the
 * access.
 */
#include "private.h"

static int port_io(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    /* No 64-bit port access: REX.W is ignored (SDM "IN"). */
    unsigned int bytes = op & 1 ? (insn->op_bytes == 2 ? 2 : 4) : 1;
    unsigned int port = op & 8 ? e->regs->gpr[X86_RDX] & 0xffff
                               : insn->imm & 0xff;
    uint32_t val;
    int rc;

    if ( op & 2 )                                       /* OUT */
    {
        if ( !e->ops->write_io )
            return X86EMUL_UNHANDLEABLE;
        return e->ops->write_io(port, bytes,
                                e->regs->gpr[X86_RAX] & size_mask(bytes),
                                e->ctxt);
    }
    if ( !e->ops->read_io )
        return X86EMUL_UNHANDLEABLE;
    val = 0;
    rc = e->ops->read_io(port, bytes, &val, e->ctxt);
    if ( rc == X86EMUL_OKAY )
        reg_write(e, X86_RAX, bytes, val, false);
    return rc;
}

static int cpuid(struct emul *e)
{
    struct cpuid_leaf l;
    int rc;

    if ( !e->ops->cpuid )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->cpuid(e->regs->gpr[X86_RAX], e->regs->gpr[X86_RCX], &l,
                       e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    reg_write(e, X86_RAX, 4, l.a, false);
    reg_write(e, X86_RBX, 4, l.b, false);
    reg_write(e, X86_RCX, 4, l.c, false);
    reg_write(e, X86_RDX, 4, l.d, false);
    return X86EMUL_OKAY;
}

int emul_system(struct emul *e)
{
    uint8_t op = e->insn->opcode;

    if ( e->insn->map == X86_MAP_0F )
    {
        if ( op == 0xa2 )
            return cpuid(e);
        /* 0F 1F /0 is the long NOP; 0F 18-1F are prefetch hints and
         * reserved NOPs: no memory access (SDM "NOP", "PREFETCHh"). F2/F3
         * and 66 there select other instructions (CET, MPX). */
        if ( (op == 0x1f || (op == 0x18 && e->insn->mem)) &&
             !(e->insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE)) )
            return X86EMUL_OKAY;
        return X86EMUL_UNHANDLEABLE;
    }

    switch ( op )
    {
    case 0xe4 ... 0xe7: case 0xec ... 0xef:
        return port_io(e);
    case 0x9e:
        /* SAHF: SF ZF AF PF CF from AH (SDM "SAHF"). */
        flags_set(e, X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF |
                  X86_EFLAGS_PF | X86_EFLAGS_CF,
                  e->regs->gpr[X86_RAX] >> 8);
        return X86EMUL_OKAY;
    case 0x9f:
        /* LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. */
        e->regs->gpr[X86_RAX] = (e->regs->gpr[X86_RAX] & ~0xff00ULL) |
                                (((e->regs->rflags & 0xd5) | 2) << 8);
        return X86EMUL_OKAY;
    case 0xf5:
        e->regs->rflags ^= X86_EFLAGS_CF;
        return X86EMUL_OKAY;
    case 0xf8: case 0xf9:
        flags_set(e, X86_EFLAGS_CF, op & 1 ? X86_EFLAGS_CF : 0);
        return X86EMUL_OKAY;
    case 0xfc: case 0xfd:
        flags_set(e, X86_EFLAGS_DF, op & 1 ? X86_EFLAGS_DF : 0);
        return X86EMUL_OKAY;
    }
    return X86EMUL_UNHANDLEABLE;
}

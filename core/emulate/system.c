/* SPDX-License-Identifier: MIT */
/*
 * Port I/O (E4-E7, EC-EF) with its permission check, the flag
 * instructions CMC/CLC/STC/CLD/STD, SAHF/LAHF, CPUID and the hint NOPs
 * (0F 18, 0F 1F).
 */
#include "private.h"

/* TSS: the 16-bit offset of the I/O permission bitmap (SDM Vol. 3A
 * Figure 8-11, AMD APM Vol. 2 Figure 12-8). */
#define TSS_IOMAP_BASE  0x66
#define TSS_MIN_LIMIT   0x67

/*
 * I/O permission for @bytes ports from @port (SDM Vol. 1 §19.5, AMD APM
 * Vol. 2 §13.3.2): at CPL <= IOPL any port (real mode runs at CPL 0);
 * otherwise a 32- or 64-bit TSS must be loaded and every port's bit in
 * its I/O permission bitmap clear, else #GP(0). The processor reads the
 * two bitmap bytes holding the first port, both within TR.limit, so a
 * bitmap that ends early denies the ports past it.
 */
int io_permission(struct emul *e, unsigned int port, unsigned int bytes)
{
    struct segment_register tr;
    uint16_t iomap, bits;
    uint64_t off;
    unsigned int type;
    int rc;

    if ( e->ctxt->cpl <= ((e->regs->rflags & X86_EFLAGS_IOPL) >> 12) )
        return X86EMUL_OKAY;
    if ( !e->ops->read_segment || !e->ops->read )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_segment(x86_seg_tr, &tr, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    /* Present (P, attr bit 7), system (S clear), type 9 or 11. */
    type = tr.attr & 0x1f;
    if ( !(tr.attr & 0x80) || (type != 9 && type != 11) ||
         tr.limit < TSS_MIN_LIMIT )
        return emul_raise(e, X86_EXC_GP, 0);
    rc = e->ops->read(x86_seg_none, tr.base + TSS_IOMAP_BASE, &iomap, 2,
                      e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    off = iomap + port / 8;
    if ( off + 1 > tr.limit )
        return emul_raise(e, X86_EXC_GP, 0);
    rc = e->ops->read(x86_seg_none, tr.base + off, &bits, 2, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( (bits >> (port & 7)) & ((1u << bytes) - 1) )
        return emul_raise(e, X86_EXC_GP, 0);
    return X86EMUL_OKAY;
}

static int port_io(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    uint8_t op = insn->opcode;
    /* No 64-bit port access: REX.W is ignored (SDM "IN"). */
    unsigned int bytes = op & 1 ? (insn->op_bytes == 2 ? 2 : 4) : 1;
    unsigned int port = op & 8 ? e->regs->gpr[X86_RDX] & 0xffff
                               : insn->imm & 0xff;
    uint32_t val;
    int rc = io_permission(e, port, bytes);

    if ( rc != X86EMUL_OKAY )
        return rc;
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

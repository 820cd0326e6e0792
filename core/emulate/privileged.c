/* SPDX-License-Identifier: MIT */
/*
 * System instructions: HLT, CLI/STI, POPF, the software interrupts
 * (INT3, INT n, INTO, INT1), RDTSC/RDTSCP, RDMSR/WRMSR, MOV to/from CR
 * and DR, CLTS, and group 7 (SGDT/SIDT/LGDT/LIDT, SMSW/LMSW, INVLPG).
 * Privileged ones are #GP(0) above CPL 0 (SDM Vol. 3A §5.9); the values
 * written to control, debug and model-specific registers are checked by
 * the callbacks, which know the vCPU's features.
 */
#include "private.h"

static int need_cpl0(struct emul *e)
{
    return e->ctxt->cpl ? emul_raise(e, X86_EXC_GP, 0) : X86EMUL_OKAY;
}

static unsigned int iopl(const struct emul *e)
{
    return (e->regs->rflags & X86_EFLAGS_IOPL) >> 12;
}

static int cr_read(struct emul *e, unsigned int cr, uint64_t *val)
{
    if ( !e->ops->read_cr )
        return X86EMUL_UNHANDLEABLE;
    return e->ops->read_cr(cr, val, e->ctxt);
}

static int cr_write(struct emul *e, unsigned int cr, uint64_t val)
{
    if ( !e->ops->write_cr )
        return X86EMUL_UNHANDLEABLE;
    return e->ops->write_cr(cr, val, e->ctxt);
}

/* Outside CPL 0, a CR4 bit (TSD, UMIP) turns an instruction into #GP. */
static int cr4_forbids(struct emul *e, uint64_t bit)
{
    uint64_t cr4;
    int rc;

    if ( !e->ctxt->cpl )
        return X86EMUL_OKAY;
    rc = cr_read(e, 4, &cr4);
    if ( rc != X86EMUL_OKAY )
        return rc;
    return cr4 & bit ? emul_raise(e, X86_EXC_GP, 0) : X86EMUL_OKAY;
}

static int msr_read(struct emul *e, uint32_t msr, uint64_t *val)
{
    if ( !e->ops->read_msr )
        return X86EMUL_UNHANDLEABLE;
    return e->ops->read_msr(msr, val, e->ctxt);
}

/* A software event: delivered by the caller, RIP still at the INT. */
static int soft_event(struct emul *e, unsigned int vector, unsigned int type)
{
    emul_raise(e, vector, -1);
    e->ctxt->event.type = type;
    e->ctxt->event.insn_len = e->insn->len;
    return X86EMUL_EXCEPTION;
}

/*
 * POPF: which flags it may change depends on CPL and IOPL: IOPL only at
 * CPL 0, IF only when CPL <= IOPL (silently kept otherwise); VM, VIP and
 * VIF never, RF is cleared; a 16-bit POPF touches the low 16 bits only
 * (SDM Vol. 2B "POPF/POPFD/POPFQ", protected and real mode).
 */
static int popf(struct emul *e)
{
    uint64_t val, mask = X86_EFLAGS_ARITH | X86_EFLAGS_TF | X86_EFLAGS_IF |
                         X86_EFLAGS_DF | X86_EFLAGS_IOPL | X86_EFLAGS_NT |
                         X86_EFLAGS_AC | X86_EFLAGS_ID;
    unsigned int bytes = e->insn->op_bytes;
    int rc;

    rc = stack_pop(e, &val, bytes);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( e->ctxt->cpl > 0 )
        mask &= ~(uint64_t)X86_EFLAGS_IOPL;
    if ( e->ctxt->cpl > iopl(e) )
        mask &= ~(uint64_t)X86_EFLAGS_IF;
    if ( bytes == 2 )
        mask &= 0xffff;
    e->regs->rflags = ((e->regs->rflags & ~mask) | (val & mask) |
                       X86_EFLAGS_MBS) & ~(uint64_t)X86_EFLAGS_RF;
    return X86EMUL_OKAY;
}

/* RDTSC (0F 31) and RDTSCP (0F 01 F9): #GP above CPL 0 with CR4.TSD. */
static int rdtsc(struct emul *e, bool aux)
{
    uint64_t tsc, tsc_aux = 0;
    int rc;

    if ( aux && !(e->ctxt->features & X86_FEAT_RDTSCP) )
        return emul_ud(e);
    rc = cr4_forbids(e, X86_CR4_TSD);
    if ( rc == X86EMUL_OKAY )
        rc = msr_read(e, MSR_IA32_TSC, &tsc);
    if ( rc == X86EMUL_OKAY && aux )
        rc = msr_read(e, MSR_TSC_AUX, &tsc_aux);
    if ( rc != X86EMUL_OKAY )
        return rc;
    reg_write(e, X86_RAX, 4, (uint32_t)tsc, false);
    reg_write(e, X86_RDX, 4, tsc >> 32, false);
    if ( aux )
        reg_write(e, X86_RCX, 4, (uint32_t)tsc_aux, false);
    return X86EMUL_OKAY;
}

/* RDMSR (0F 32), WRMSR (0F 30): ECX names the MSR, EDX:EAX the value. */
static int msr_access(struct emul *e, bool write)
{
    uint32_t msr = e->regs->gpr[X86_RCX];
    uint64_t val;
    int rc = need_cpl0(e);

    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( write )
    {
        if ( !e->ops->write_msr )
            return X86EMUL_UNHANDLEABLE;
        val = (uint32_t)e->regs->gpr[X86_RAX] |
              (e->regs->gpr[X86_RDX] << 32);
        return e->ops->write_msr(msr, val, e->ctxt);
    }
    rc = msr_read(e, msr, &val);
    if ( rc != X86EMUL_OKAY )
        return rc;
    reg_write(e, X86_RAX, 4, (uint32_t)val, false);
    reg_write(e, X86_RDX, 4, val >> 32, false);
    return X86EMUL_OKAY;
}

/*
 * DR7.GD: any MOV to or from a debug register is a #DB fault, with
 * DR6.BD set to say why (SDM Vol. 3B §18.2.4); the processor clears GD
 * when it delivers the #DB, which is the event injector's part.
 */
static int dr_general_detect(struct emul *e)
{
    uint64_t dr7, dr6;
    int rc;

    if ( !e->ops->read_dr || !e->ops->write_dr )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_dr(7, &dr7, e->ctxt);
    if ( rc != X86EMUL_OKAY || !(dr7 & X86_DR7_GD) )
        return rc;
    rc = e->ops->read_dr(6, &dr6, e->ctxt);
    if ( rc == X86EMUL_OKAY )
        rc = e->ops->write_dr(6, dr6 | X86_DR6_BD, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    return emul_raise(e, X86_EXC_DB, -1);
}

/*
 * MOV from/to CR (0F 20/22) and DR (0F 21/23): the GPR is 64 bits in
 * 64-bit mode and 32 otherwise, whatever the prefixes; the arithmetic
 * flags are undefined. DR4/DR5 alias DR6/DR7 unless CR4.DE makes them
 * #UD (SDM Vol. 2B "MOV—Move to/from Control/Debug Registers"), then
 * DR7.GD makes the access #DB: #GP(0), #UD, #DB in that order.
 */
static int mov_crdr(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    unsigned int width = e->ctxt->mode == X86_MODE_64 ? 8 : 4;
    unsigned int reg = insn->modrm_reg, gpr = insn->modrm_rm;
    bool dr = insn->opcode & 1, to = insn->opcode & 2;
    uint64_t val, cr4;
    int rc = need_cpl0(e);

    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( dr && (reg == 4 || reg == 5) )
    {
        rc = cr_read(e, 4, &cr4);
        if ( rc != X86EMUL_OKAY )
            return rc;
        if ( cr4 & X86_CR4_DE )
            return emul_ud(e);
        reg += 2;
    }
    if ( dr )
    {
        rc = dr_general_detect(e);
        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    e->ctxt->flags_undefined |= X86_EFLAGS_ARITH;
    if ( to )
    {
        val = e->regs->gpr[gpr] & size_mask(width);
        if ( !dr )
            return cr_write(e, reg, val);
        if ( !e->ops->write_dr )
            return X86EMUL_UNHANDLEABLE;
        return e->ops->write_dr(reg, val, e->ctxt);
    }
    if ( dr )
        rc = e->ops->read_dr ? e->ops->read_dr(reg, &val, e->ctxt)
                             : X86EMUL_UNHANDLEABLE;
    else
        rc = cr_read(e, reg, &val);
    if ( rc == X86EMUL_OKAY )
        reg_write(e, gpr, width, val, false);
    return rc;
}

/* CLTS (0F 06): CR0.TS = 0. */
static int clts(struct emul *e)
{
    uint64_t cr0;
    int rc = need_cpl0(e);

    if ( rc == X86EMUL_OKAY )
        rc = cr_read(e, 0, &cr0);
    if ( rc != X86EMUL_OKAY )
        return rc;
    return cr_write(e, 0, cr0 & ~(uint64_t)X86_CR0_TS);
}

/*
 * SGDT/SIDT store, LGDT/LIDT load, a 2-byte limit then the base: 8 bytes
 * of it in 64-bit mode, else 4, of which a 16-bit LGDT/LIDT keeps 24
 * bits (SDM Vol. 2A "LGDT/LIDT", "SGDT"). SGDT/SIDT are #GP above CPL 0
 * only with CR4.UMIP.
 */
static int desc_table(struct emul *e, unsigned int kind)
{
    struct x86_insn *insn = e->insn;
    enum x86_segment which = kind & 1 ? x86_seg_idtr : x86_seg_gdtr;
    unsigned int base_bytes = e->ctxt->mode == X86_MODE_64 ? 8 : 4;
    uint64_t base_off = addr_trunc(e, insn->ea + 2), limit = 0, base = 0;
    struct segment_register sreg;
    int rc;

    rc = kind < 2 ? cr4_forbids(e, X86_CR4_UMIP) : need_cpl0(e);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( !e->ops->read_segment || (kind >= 2 && !e->ops->write_segment) )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_segment(which, &sreg, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( kind < 2 )
    {
        limit = sreg.limit & 0xffff;
        base = sreg.base;
        rc = mem_write(e, insn->seg, insn->ea, &limit, 2);
        if ( rc == X86EMUL_OKAY )
            rc = mem_write(e, insn->seg, base_off, &base, base_bytes);
        return rc;
    }
    rc = mem_read(e, insn->seg, insn->ea, &limit, 2);
    if ( rc == X86EMUL_OKAY )
        rc = mem_read(e, insn->seg, base_off, &base, base_bytes);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( insn->op_bytes == 2 && base_bytes == 4 )
        base &= 0xffffff;
    if ( base_bytes == 8 && (uint64_t)sext(base, 6) != base )
        return emul_raise(e, X86_EXC_GP, 0);    /* non-canonical */
    sreg.limit = limit;
    sreg.base = base;
    return e->ops->write_segment(which, &sreg, e->ctxt);
}

/* SMSW (/4) stores CR0's low bits; LMSW (/6) loads CR0[3:0] but cannot
 * clear PE (SDM Vol. 2A "LMSW", "SMSW"). */
static int msw(struct emul *e, bool load)
{
    struct operand op;
    uint64_t cr0;
    int rc;

    rc = load ? need_cpl0(e) : cr4_forbids(e, X86_CR4_UMIP);
    if ( rc == X86EMUL_OKAY )
        rc = cr_read(e, 0, &cr0);
    if ( rc != X86EMUL_OKAY )
        return rc;
    /* A register SMSW stores the operand size, memory 16 bits. */
    op_modrm_rm(e, &op, e->insn->mem || load ? 2 : e->insn->op_bytes);
    if ( !load )
        return op_write(e, &op, cr0);
    rc = op_read(e, &op);
    if ( rc != X86EMUL_OKAY )
        return rc;
    return cr_write(e, 0, (cr0 & ~0xfULL) | (op.val & 0xf) |
                          (cr0 & X86_CR0_PE));
}

/* Group 7 (0F 01): the memory forms and the few register forms. */
static int group7(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    unsigned int reg = insn->modrm_reg & 7;
    int rc;

    /* F2/F3 select other instructions here (RSTORSSP, SAVEPREVSSP). */
    if ( insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE) )
        return X86EMUL_UNHANDLEABLE;
    switch ( reg )
    {
    case 0: case 1: case 2: case 3:
        if ( insn->mem )
            return desc_table(e, reg);
        break;
    case 4:
        return msw(e, false);
    case 6:
        return msw(e, true);
    case 7:
        if ( !insn->mem )
        {
            if ( (insn->modrm_rm & 7) == 1 )
                return rdtsc(e, true);
            break;
        }
        rc = need_cpl0(e);
        if ( rc != X86EMUL_OKAY )
            return rc;
        if ( !e->ops->invlpg )
            return X86EMUL_UNHANDLEABLE;
        return e->ops->invlpg(insn->seg, insn->ea, e->ctxt);
    }
    return X86EMUL_UNHANDLEABLE;
}

int emul_priv(struct emul *e)
{
    uint8_t op = e->insn->opcode;
    int rc;

    if ( e->insn->map == X86_MAP_0F )
    {
        switch ( op )
        {
        case 0x01:
            return group7(e);
        case 0x06:
            return clts(e);
        case 0x20 ... 0x23:
            return mov_crdr(e);
        case 0x30: case 0x32:
            return msr_access(e, op == 0x30);
        case 0x31:
            return rdtsc(e, false);
        }
        return X86EMUL_UNHANDLEABLE;
    }

    switch ( op )
    {
    case 0x9d:
        return popf(e);
    case 0xcc:
        return soft_event(e, X86_EXC_BP, X86_EVENTTYPE_SW_EXCEPTION);
    case 0xcd:
        return soft_event(e, e->insn->imm & 0xff,
                          X86_EVENTTYPE_SW_INTERRUPT);
    case 0xce:                          /* INTO: #UD in 64-bit mode */
        if ( !(e->regs->rflags & X86_EFLAGS_OF) )
            return X86EMUL_OKAY;
        return soft_event(e, X86_EXC_OF, X86_EVENTTYPE_SW_EXCEPTION);
    case 0xf1:
        return soft_event(e, X86_EXC_DB, X86_EVENTTYPE_PRI_SW_EXCEPTION);
    case 0xf4:
        rc = need_cpl0(e);
        if ( rc == X86EMUL_OKAY )
            e->ctxt->retire |= X86_RETIRE_HLT;
        return rc;
    case 0xfa: case 0xfb:
        /* CLI/STI: #GP(0) when CPL > IOPL (PVI/VME not modelled). */
        if ( e->ctxt->cpl > iopl(e) )
            return emul_raise(e, X86_EXC_GP, 0);
        if ( op == 0xfb && !(e->regs->rflags & X86_EFLAGS_IF) )
            e->ctxt->retire |= X86_RETIRE_STI;
        flags_set(e, X86_EFLAGS_IF, op & 1 ? X86_EFLAGS_IF : 0);
        return X86EMUL_OKAY;
    }
    return X86EMUL_UNHANDLEABLE;
}

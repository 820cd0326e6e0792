/* SPDX-License-Identifier: MIT */
/*
 * Segment registers: MOV r/m, Sreg (8C), PUSH Sreg (06 0E 16 1E, 0F A0
 * 0F A8) through read_segment, and the loads MOV Sreg, r/m (8E) and POP
 * Sreg (07 17 1F, 0F A1 0F A9) through write_segment. Loads are done in
 * real mode only (CR0.PE = 0), where the base is the selector times 16
 * and the cached limit and attributes stay (SDM Vol. 3A §20.1.1); a
 * protected-mode load needs the descriptor checks of SDM Vol. 3A §5.4-5.5
 * and is UNHANDLEABLE for now.
 */
#include "private.h"

static enum x86_segment opcode_seg(const struct x86_insn *insn)
{
    if ( insn->map == X86_MAP_0F )
        return insn->opcode < 0xa8 ? x86_seg_fs : x86_seg_gs;
    return insn->opcode >> 3;           /* 06 ES, 0E CS, 16 SS, 1E DS */
}

static int sel_read(struct emul *e, enum x86_segment seg, uint16_t *sel)
{
    struct segment_register r;
    int rc;

    if ( !e->ops->read_segment )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_segment(seg, &r, e->ctxt);
    *sel = r.sel;
    return rc;
}

/* Load @seg with @sel, or say why not. */
static int sel_load(struct emul *e, enum x86_segment seg, uint16_t sel)
{
    struct segment_register r;
    uint64_t cr0;
    int rc;

    if ( !e->ops->read_segment || !e->ops->write_segment ||
         !e->ops->read_cr )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_cr(0, &cr0, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( cr0 & X86_CR0_PE )
        return X86EMUL_UNHANDLEABLE;    /* descriptor loads: not yet */
    rc = e->ops->read_segment(seg, &r, e->ctxt);
    if ( rc != X86EMUL_OKAY )
        return rc;
    r.sel = sel;
    r.base = (uint64_t)sel << 4;
    rc = e->ops->write_segment(seg, &r, e->ctxt);
    /* Loading SS holds off interrupts for one instruction (SDM Vol. 2B
     * "MOV", "POP"). */
    if ( rc == X86EMUL_OKAY && seg == x86_seg_ss )
        e->ctxt->retire |= X86_RETIRE_MOV_SS;
    return rc;
}

int emul_segment(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    enum x86_segment seg = opcode_seg(insn);
    struct operand op;
    uint64_t val;
    uint16_t sel;
    int rc;

    if ( insn->map == X86_MAP_1B && insn->opcode == 0x8c )
    {
        /* To memory always 16 bits; to a register the operand size,
         * zero-extended (SDM Vol. 2B "MOV"). */
        rc = sel_read(e, insn->modrm_reg & 7, &sel);
        if ( rc != X86EMUL_OKAY )
            return rc;
        op_modrm_rm(e, &op, insn->mem ? 2 : insn->op_bytes);
        return op_write(e, &op, sel);
    }
    if ( insn->map == X86_MAP_1B && insn->opcode == 0x8e )
    {
        op_modrm_rm(e, &op, 2);
        rc = op_read(e, &op);
        if ( rc != X86EMUL_OKAY )
            return rc;
        return sel_load(e, insn->modrm_reg & 7, op.val);
    }
    if ( !(insn->opcode & 1) )
    {
        /* PUSH: the selector zero-extended to the operand size (recent
         * Intel cores write only 16 bits of a wider slot; QEMU and AMD
         * write the whole slot, as here). */
        rc = sel_read(e, seg, &sel);
        if ( rc != X86EMUL_OKAY )
            return rc;
        return stack_push(e, sel, insn->op_bytes);
    }
    /* POP: read at the operand size, load the low 16 bits; rSP moves
     * only if the load succeeds (x86_emulate() rolls it back). */
    rc = stack_pop(e, &val, insn->op_bytes);
    if ( rc != X86EMUL_OKAY )
        return rc;
    return sel_load(e, seg, val);
}

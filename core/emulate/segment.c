/* SPDX-License-Identifier: MIT */
/*
 * Segment registers: MOV r/m, Sreg (8C), PUSH Sreg (06 0E 16 1E, 0F A0
 * 0F A8) through read_segment, and the loads MOV Sreg, r/m (8E), POP
 * Sreg (07 17 1F, 0F A1 0F A9) and the far-pointer loads LES, LDS, LSS,
 * LFS, LGS through seg_load() (descriptor.c: real and protected mode).
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

/* MOV Sreg / POP Sreg: load @seg with @sel. */
static int sel_load(struct emul *e, enum x86_segment seg, uint16_t sel)
{
    int rc = seg_load(e, seg, sel);

    /* Loading SS holds off interrupts for one instruction (SDM Vol. 2B
     * "MOV", "POP"; not LSS). */
    if ( rc == X86EMUL_OKAY && seg == x86_seg_ss )
        e->ctxt->retire |= X86_RETIRE_MOV_SS;
    return rc;
}

/*
 * LES, LDS (C4, C5 outside 64-bit mode), LSS, LFS, LGS (0F B2, B4, B5):
 * a far pointer from memory, the offset then the selector; the segment
 * is loaded first and the register written only if that worked (SDM
 * Vol. 2A "LDS/LES/LFS/LGS/LSS"). A 64-bit offset (REX.W) exists on
 * Intel only (AMD APM Vol. 3 "LFS"): UNHANDLEABLE.
 */
static int far_load(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    unsigned int ob = insn->op_bytes;
    enum x86_segment seg = insn->map == X86_MAP_1B ?
                           (insn->opcode == 0xc4 ? x86_seg_es : x86_seg_ds) :
                           insn->opcode == 0xb2 ? x86_seg_ss :
                           insn->opcode == 0xb4 ? x86_seg_fs : x86_seg_gs;
    uint64_t off = 0;
    uint16_t sel = 0;
    int rc;

    if ( ob == 8 )
        return X86EMUL_UNHANDLEABLE;
    rc = mem_read(e, insn->seg, insn->ea, &off, ob);
    if ( rc == X86EMUL_OKAY )
        rc = mem_read(e, insn->seg, addr_trunc(e, insn->ea + ob), &sel, 2);
    if ( rc == X86EMUL_OKAY )
        rc = seg_load(e, seg, sel);
    if ( rc == X86EMUL_OKAY )
        reg_write(e, insn->modrm_reg, ob, le_value(&off, ob), false);
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

    if ( (insn->map == X86_MAP_1B && (insn->opcode & 0xfe) == 0xc4) ||
         (insn->map == X86_MAP_0F && (insn->opcode == 0xb2 ||
                                      insn->opcode == 0xb4 ||
                                      insn->opcode == 0xb5)) )
        return far_load(e);
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

/* SPDX-License-Identifier: MIT */
/*
 * The SSE and AVX moves compilers emit for MMIO, with XMM/YMM registers
 * through the read_xmm/write_xmm callbacks:
 *   MOVD/MOVQ xmm, r/m (66 0F 6E; REX.W: 64 bits), r/m, xmm (66 0F 7E)
 *   MOVQ xmm, xmm/m64 (F3 0F 7E), MOVQ xmm/m64, xmm (66 0F D6)
 *   MOVDQA, MOVDQU (66 and F3 0F 6F load, 7F store)
 *   MOVAPS, MOVAPD (0F, 66 0F 28 load, 29 store), MOVUPS, MOVUPD (10, 11)
 *   VEX.128/256: VMOVDQA/VMOVDQU, VMOVAPS/VMOVAPD, VMOVUPS/VMOVUPD
 * Anything else in these opcodes (MMX, MOVSS/MOVSD, VMOVD/VMOVQ, EVEX)
 * is UNHANDLEABLE. Exceptions (SDM Vol. 2A §2.4-2.5, exception classes
 * 1, 4 and 5): #UD for CR0.EM or CR4.OSFXSR clear (legacy SSE), for
 * CR4.OSXSAVE, XCR0.SSE/YMM clear, no AVX or VEX.vvvv other than 1111b
 * (VEX); then #NM for CR0.TS; then #GP(0) for a MOVDQA/MOVAP* memory
 * operand not aligned to its size.
 */
#include "private.h"

enum sse_op {
    SSE_NONE,
    SSE_LOAD,           /* xmm <- xmm/mem, full width */
    SSE_STORE,          /* xmm/mem <- xmm, full width */
    SSE_MOVD_TO_XMM,    /* xmm <- r/m32/64, zero-extended */
    SSE_MOVD_FROM_XMM,  /* r/m32/64 <- xmm */
    SSE_MOVQ_LOAD,      /* xmm <- xmm/m64, zero-extended */
    SSE_MOVQ_STORE,     /* xmm/m64 <- xmm (register: zero-extended) */
};

/*
 * The mandatory prefix of a legacy encoding (the VEX.pp numbering). 66
 * together with F2 or F3 is left alone: which one counts differs between
 * processors and emulators.
 */
static int legacy_pp(const struct x86_insn *insn)
{
    unsigned int p = insn->prefixes;

    if ( (p & X86_PFX_OPSIZE) && (p & (X86_PFX_REP | X86_PFX_REPNE)) )
        return -1;
    return p & X86_PFX_OPSIZE ? 1 : p & X86_PFX_REP ? 2 :
           p & X86_PFX_REPNE ? 3 : 0;
}

/* Which move (opcode, pp), and whether its memory operand must be
 * aligned to its size. */
static enum sse_op classify(uint8_t op, int pp, bool vex, bool *aligned)
{
    *aligned = false;
    switch ( op )
    {
    case 0x10: case 0x11:                   /* MOVUPS/MOVUPD */
        if ( pp > 1 )
            return SSE_NONE;                /* MOVSS, MOVSD */
        return op & 1 ? SSE_STORE : SSE_LOAD;
    case 0x28: case 0x29:                   /* MOVAPS/MOVAPD */
        if ( pp > 1 )
            return SSE_NONE;
        *aligned = true;
        return op & 1 ? SSE_STORE : SSE_LOAD;
    case 0x6f: case 0x7f:                   /* MOVDQA, MOVDQU */
        if ( pp != 1 && pp != 2 )
            return SSE_NONE;                /* MMX MOVQ */
        *aligned = pp == 1;
        return op == 0x7f ? SSE_STORE : SSE_LOAD;
    }
    if ( vex )
        return SSE_NONE;
    switch ( op )
    {
    case 0x6e:
        return pp == 1 ? SSE_MOVD_TO_XMM : SSE_NONE;
    case 0x7e:
        return pp == 1 ? SSE_MOVD_FROM_XMM :
               pp == 2 ? SSE_MOVQ_LOAD : SSE_NONE;
    case 0xd6:
        return pp == 1 ? SSE_MOVQ_STORE : SSE_NONE;
    }
    return SSE_NONE;
}

/* The #UD and #NM checks, in the SDM's order. */
static int sse_available(struct emul *e, bool vex)
{
    struct x86_emulate_ctxt *c = e->ctxt;
    uint64_t cr0, cr4;
    int rc;

    if ( !e->ops->read_cr || !e->ops->read_xmm || !e->ops->write_xmm )
        return X86EMUL_UNHANDLEABLE;
    rc = e->ops->read_cr(0, &cr0, c);
    if ( rc == X86EMUL_OKAY )
        rc = e->ops->read_cr(4, &cr4, c);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( vex )
    {
        if ( !(cr4 & X86_CR4_OSXSAVE) || !(c->features & X86_FEAT_AVX) ||
             (c->xcr0 & (X86_XCR0_SSE | X86_XCR0_YMM)) !=
             (X86_XCR0_SSE | X86_XCR0_YMM) || e->insn->vex_reg )
            return emul_ud(e);
    }
    else if ( (cr0 & X86_CR0_EM) || !(cr4 & X86_CR4_OSFXSR) )
        return emul_ud(e);
    if ( cr0 & X86_CR0_TS )
        return emul_raise(e, X86_EXC_NM, -1);
    return X86EMUL_OKAY;
}

/*
 * #GP(0) unless the linear address of the memory operand is a multiple
 * of @bytes. The base comes from read_segment; without it, only 64-bit
 * mode's zero-based segments are known.
 */
static int check_aligned(struct emul *e, unsigned int bytes)
{
    enum x86_segment seg = e->insn->seg;
    struct segment_register sr = { .base = 0 };
    int rc;

    if ( e->ctxt->mode != X86_MODE_64 || seg >= x86_seg_fs )
    {
        if ( !e->ops->read_segment )
            return X86EMUL_UNHANDLEABLE;
        rc = e->ops->read_segment(seg, &sr, e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
    }
    if ( (sr.base + e->insn->ea) & (bytes - 1) )
        return emul_raise(e, X86_EXC_GP, 0);
    return X86EMUL_OKAY;
}

static unsigned int xmm_reg(const struct emul *e, unsigned int r)
{
    /* Outside 64-bit mode only XMM0-7 exist; VEX.B/R are ignored. */
    return e->ctxt->mode == X86_MODE_64 ? r : r & 7;
}

int emul_sse(struct emul *e)
{
    struct x86_insn *insn = e->insn;
    bool vex = insn->prefixes & X86_PFX_VEX, aligned;
    int pp = vex ? insn->vex_pp : legacy_pp(insn);
    enum sse_op op = classify(insn->opcode, pp, vex, &aligned);
    unsigned int width = vex && insn->vex_l ? 32 : 16;
    unsigned int reg = xmm_reg(e, insn->modrm_reg);
    unsigned int rm = xmm_reg(e, insn->modrm_rm);
    /* A VEX write clears the register up to VLMAX (32 bytes here). */
    unsigned int wr_bytes = vex ? 32 : 16;
    uint8_t v[32] = { 0 };
    struct operand gpr;
    unsigned int gbytes;
    int rc;

    if ( pp < 0 || op == SSE_NONE ||
         (insn->prefixes & X86_PFX_EVEX) || (vex && insn->vex_l > 1) )
        return X86EMUL_UNHANDLEABLE;
    rc = sse_available(e, vex);
    if ( rc == X86EMUL_OKAY && aligned && insn->mem )
        rc = check_aligned(e, width);
    if ( rc != X86EMUL_OKAY )
        return rc;

    switch ( op )
    {
    case SSE_LOAD:
        rc = insn->mem ? mem_read(e, insn->seg, insn->ea, v, width)
                       : e->ops->read_xmm(rm, v, width, e->ctxt);
        if ( rc == X86EMUL_OKAY )
            rc = e->ops->write_xmm(reg, v, wr_bytes, e->ctxt);
        return rc;
    case SSE_STORE:
        rc = e->ops->read_xmm(reg, v, width, e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
        return insn->mem ? mem_write(e, insn->seg, insn->ea, v, width)
                         : e->ops->write_xmm(rm, v, wr_bytes, e->ctxt);
    case SSE_MOVD_TO_XMM:
        /* REX.W selects MOVQ (64-bit mode only); 66 is the mandatory
         * prefix here, not an operand size. */
        gbytes = insn->rex & 8 ? 8 : 4;
        op_modrm_rm(e, &gpr, gbytes);
        rc = op_read(e, &gpr);
        if ( rc != X86EMUL_OKAY )
            return rc;
        memcpy(v, &gpr.val, gbytes);
        return e->ops->write_xmm(reg, v, 16, e->ctxt);
    case SSE_MOVD_FROM_XMM:
        gbytes = insn->rex & 8 ? 8 : 4;
        rc = e->ops->read_xmm(reg, v, 16, e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
        op_modrm_rm(e, &gpr, gbytes);
        return op_write(e, &gpr, le_value(v, gbytes));
    case SSE_MOVQ_LOAD:
        rc = insn->mem ? mem_read(e, insn->seg, insn->ea, v, 8)
                       : e->ops->read_xmm(rm, v, 16, e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
        memset(v + 8, 0, sizeof(v) - 8);
        return e->ops->write_xmm(reg, v, 16, e->ctxt);
    case SSE_MOVQ_STORE:
        rc = e->ops->read_xmm(reg, v, 16, e->ctxt);
        if ( rc != X86EMUL_OKAY )
            return rc;
        if ( insn->mem )
            return mem_write(e, insn->seg, insn->ea, v, 8);
        memset(v + 8, 0, sizeof(v) - 8);
        return e->ops->write_xmm(rm, v, 16, e->ctxt);
    default:
        return X86EMUL_UNHANDLEABLE;
    }
}

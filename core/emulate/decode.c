/* SPDX-License-Identifier: MIT */
/*
 * The instruction decoder: prefixes, REX, VEX/EVEX (length only), opcode
 * maps, ModRM/SIB/displacement and immediates, in 16-, 32- and 64-bit
 * code. It finds the length and the operands of every instruction, also
 * of those the emulator does not execute. Format: Intel SDM Vol. 2A
 * chapter 2; AMD APM Vol. 3 chapter 1.
 */
#include "private.h"

/* SDM Vol. 2A §2.3.11: longer instructions raise #GP(0). */
#define MAX_INSN_LEN 15

static int decode_fault(struct x86_event *ev, unsigned int vector, int ec)
{
    ev->vector = vector;
    ev->type = X86_EVENTTYPE_HW_EXCEPTION;
    ev->insn_len = 0;
    ev->has_error_code = ec >= 0;
    ev->error_code = ec >= 0 ? ec : 0;
    ev->cr2 = 0;
    return X86EMUL_EXCEPTION;
}

/* The slow path of fetch(): bytes beyond what is buffered. */
static int fetch_more(struct fetch_state *fs, unsigned int n, uint64_t *out,
                      enum x86_mode mode, struct x86_event *ev)
{
    uint8_t b[8];
    unsigned int i = 0;
    int rc;

    for ( ; i < n && fs->len + i < fs->buf_bytes; i++ )
        b[i] = fs->buf[fs->len + i];
    if ( !fs->ops || !fs->ops->insn_fetch )
    {
        fs->truncated = true;
        return DECODE_TRUNCATED;
    }
    /* IP wraps at the code size (SDM Vol. 1 §3.5). */
    rc = fs->ops->insn_fetch(x86_seg_cs,
                             (fs->rip + fs->len + i) & size_mask(mode),
                             &b[i], n - i, fs->ctxt);
    if ( rc != X86EMUL_OKAY )
    {
        if ( rc == X86EMUL_EXCEPTION )
            *ev = fs->ctxt->event;
        return rc;
    }
    *out = 0;
    for ( i = n; i-- > 0; )
        *out = (*out << 8) | b[i];
    fs->len += n;
    return X86EMUL_OKAY;
}

/* Fetch @n more instruction bytes into @out (little-endian value). */
static inline int fetch(struct fetch_state *fs, unsigned int n,
                        uint64_t *out, enum x86_mode mode,
                        struct x86_event *ev)
{
    const uint8_t *p = fs->buf + fs->len;
    uint64_t v = 0;
    unsigned int i;

    if ( fs->len + n > MAX_INSN_LEN )
        return decode_fault(ev, X86_EXC_GP, 0);
    if ( unlikely(fs->len + n > fs->buf_bytes) )
        return fetch_more(fs, n, out, mode, ev);
    for ( i = n; i-- > 0; )
        v = (v << 8) | p[i];
    *out = v;
    fs->len += n;
    return X86EMUL_OKAY;
}

#define FETCH(n, out)                                   \
    do {                                                \
        int rc_ = fetch(fs, (n), (out), mode, ev);      \
        if ( rc_ != X86EMUL_OKAY )                      \
            return rc_;                                 \
    } while ( 0 )

/* ModRM memory forms, 16-bit addressing (SDM Vol. 2A Table 2-1). */
static const uint8_t ea16_base[8] = {
    X86_RBX, X86_RBX, X86_RBP, X86_RBP, X86_RSI, X86_RDI, X86_RBP, X86_RBX,
};
static const uint8_t ea16_index[8] = {
    X86_RSI, X86_RDI, X86_RSI, X86_RDI,
    X86_NO_REG, X86_NO_REG, X86_NO_REG, X86_NO_REG,
};

static int decode_modrm_mem(struct fetch_state *fs, enum x86_mode mode,
                            struct x86_insn *insn, struct x86_event *ev)
{
    unsigned int mod = insn->modrm_mod, rm = insn->modrm_rm & 7;
    uint64_t v;

    insn->ea_base = insn->ea_index = X86_NO_REG;
    insn->mem = true;

    if ( insn->ad_bytes == 2 )
    {
        if ( mod == 0 && rm == 6 )
            insn->disp_bytes = 2;
        else
        {
            insn->ea_base = ea16_base[rm];
            insn->ea_index = ea16_index[rm];
            insn->disp_bytes = mod == 1 ? 1 : mod == 2 ? 2 : 0;
            /* BP-based forms default to SS. */
            if ( insn->ea_base == X86_RBP && !insn->seg_override )
                insn->seg = x86_seg_ss;
        }
    }
    else
    {
        unsigned int base = rm;

        if ( rm == 4 )
        {
            unsigned int index;

            FETCH(1, &v);
            insn->ea_scale = v >> 6;
            index = ((v >> 3) & 7) | ((insn->rex & 2) << 2);
            base = v & 7;
            if ( index != X86_RSP )      /* 100 without REX.X: no index */
                insn->ea_index = index;
        }
        if ( base == 5 && mod == 0 )
        {
            insn->disp_bytes = 4;
            /* ModRM rm=101 (not SIB base 101) is RIP-relative in 64-bit
             * mode (SDM Vol. 2A §2.2.1.6). */
            insn->rip_rel = rm == 5 && mode == X86_MODE_64;
        }
        else
        {
            insn->ea_base = base | ((insn->rex & 1) << 3);
            insn->disp_bytes = mod == 1 ? 1 : mod == 2 ? 4 : 0;
            /* rSP and rBP (not r12/r13) as base default to SS. */
            if ( (insn->ea_base == X86_RSP || insn->ea_base == X86_RBP) &&
                 !insn->seg_override )
                insn->seg = x86_seg_ss;
        }
    }

    if ( insn->disp_bytes )
    {
        FETCH(insn->disp_bytes, &v);
        insn->disp = sext(v, insn->disp_bytes);
    }
    return X86EMUL_OKAY;
}

static unsigned int imm_size(const struct x86_insn *insn, unsigned int kind)
{
    unsigned int z = insn->op_bytes == 2 ? 2 : 4;

    switch ( kind )
    {
    case IMM_B: return 1;
    case IMM_W: return 2;
    case IMM_Z: return z;
    case IMM_V: return insn->op_bytes;
    case IMM_MOFFS: return insn->ad_bytes;
    case IMM_GRP3:
        if ( (insn->modrm_reg & 7) > 1 )
            return 0;
        return insn->opcode == 0xf6 ? 1 : z;
    }
    return 0;
}

static void operand_size(struct x86_insn *insn, enum x86_mode mode,
                         unsigned int attr, bool opsize)
{
    uint8_t reg = insn->modrm_reg & 7;
    bool grp5 = insn->map == X86_MAP_1B && insn->opcode == 0xff;

    if ( mode != X86_MODE_64 )
    {
        insn->op_bytes = opsize ? (mode == X86_MODE_16 ? 4 : 2) : mode;
        return;
    }
    /*
     * 64-bit mode (SDM Vol. 2A §2.2.1.7): near branches are always 64-bit
     * (Intel ignores 66 on them; AMD honours it, which this decoder does
     * not model yet), stack operations default to 64 bits, the rest to
     * 32 with REX.W giving 64; REX.W wins over 66.
     */
    if ( (attr & D_F64) || (grp5 && (reg == 2 || reg == 4)) )
        insn->op_bytes = 8;
    else if ( insn->rex & 8 )
        insn->op_bytes = 8;
    else if ( (attr & D_D64) || (grp5 && reg == 6) )
        insn->op_bytes = opsize ? 2 : 8;
    else
        insn->op_bytes = opsize ? 2 : 4;
}

/* VEX (C4/C5) and EVEX (62): the payload, then the opcode's map. */
static int decode_vex(struct fetch_state *fs, enum x86_mode mode,
                      struct x86_insn *insn, uint8_t first, uint8_t p0,
                      unsigned int *attr, struct x86_event *ev)
{
    unsigned int map;
    uint64_t v;

    /* SDM Vol. 2A §2.3.2: 66, F2, F3, LOCK or REX before VEX is #UD. */
    if ( insn->prefixes & (X86_PFX_LOCK | X86_PFX_REP | X86_PFX_REPNE |
                           X86_PFX_OPSIZE) || insn->rex )
        return decode_fault(ev, X86_EXC_UD, -1);

    if ( first == 0xc5 )
    {
        map = 1;
        insn->rex = 0x40 | (p0 & 0x80 ? 0 : 4);
        insn->vex_reg = (~p0 >> 3) & 15;
        insn->vex_l = (p0 >> 2) & 1;
        insn->prefixes |= X86_PFX_VEX;
    }
    else if ( first == 0xc4 )
    {
        FETCH(1, &v);
        map = p0 & 0x1f;
        insn->rex = 0x40 | ((~p0 >> 5) & 7) | (v & 0x80 ? 8 : 0);
        insn->vex_reg = (~v >> 3) & 15;
        insn->vex_l = (v >> 2) & 1;
        insn->prefixes |= X86_PFX_VEX;
    }
    else
    {
        uint64_t p12;

        FETCH(2, &p12);
        /* EVEX P0 bits 3:2 and P1 bit 2 are fixed (SDM Vol. 2A §2.7.1). */
        if ( (p0 & 0x0c) || !(p12 & 0x04) )
            return decode_fault(ev, X86_EXC_UD, -1);
        map = p0 & 3;
        insn->rex = 0x40 | ((~p0 >> 5) & 7) | (p12 & 0x80 ? 8 : 0);
        insn->vex_l = (p12 >> 13) & 3;
        insn->prefixes |= X86_PFX_EVEX;
    }

    switch ( map )
    {
    case 1:
        insn->map = X86_MAP_0F;
        break;
    case 2:
        insn->map = X86_MAP_0F38;
        break;
    case 3:
        insn->map = X86_MAP_0F3A;
        break;
    default:
        return decode_fault(ev, X86_EXC_UD, -1);
    }

    FETCH(1, &v);
    insn->opcode = v;
    if ( insn->map == X86_MAP_0F )
        /* Map 1 keeps the legacy immediates (70-73, C2, C4-C6); every VEX
         * opcode there has a ModRM but VZEROUPPER/ALL (77). */
        *attr = (x86_opc_0f[v] & IMM_MASK) | (v == 0x77 ? 0 : D_MODRM);
    else
        *attr = D_MODRM | (insn->map == X86_MAP_0F3A ? IMM_B : 0);
    if ( mode == X86_MODE_64 && (insn->rex & 8) )
        insn->op_bytes = 8;
    return X86EMUL_OKAY;
}

int x86_decode_insn(struct fetch_state *fs, enum x86_mode mode,
                    struct x86_insn *insn, struct x86_event *ev)
{
    bool opsize = false, adsize = false;
    unsigned int attr;
    uint64_t b, v;
    int rc;

    memset(insn, 0, sizeof(*insn));
    insn->seg = x86_seg_ds;
    insn->ea_base = insn->ea_index = X86_NO_REG;

    /*
     * Legacy prefixes, any number in any order (SDM Vol. 2A §2.1.1). More
     * than one from a group is not architecturally defined; like real
     * processors and QEMU we let the last segment override and the last
     * of F2/F3 win. A REX prefix counts only if it is the last prefix
     * (SDM Vol. 2A §2.2.1): any legacy prefix after it cancels it.
     */
    for ( ;; )
    {
        FETCH(1, &b);
        switch ( b )
        {
        case 0x26: case 0x2e: case 0x36: case 0x3e:
        case 0x64: case 0x65:
            insn->seg = b == 0x64 ? x86_seg_fs : b == 0x65 ? x86_seg_gs :
                        (b >> 3) & 3;        /* 26 ES, 2E CS, 36 SS, 3E DS */
            insn->seg_override = true;
            break;
        case 0x66:
            opsize = true;
            insn->prefixes |= X86_PFX_OPSIZE;
            break;
        case 0x67:
            adsize = true;
            insn->prefixes |= X86_PFX_ADSIZE;
            break;
        case 0xf0:
            insn->prefixes |= X86_PFX_LOCK;
            break;
        case 0xf2:
            insn->prefixes = (insn->prefixes & ~X86_PFX_REP) | X86_PFX_REPNE;
            break;
        case 0xf3:
            insn->prefixes = (insn->prefixes & ~X86_PFX_REPNE) | X86_PFX_REP;
            break;
        case 0x40 ... 0x4f:
            if ( mode == X86_MODE_64 )
            {
                insn->rex = b;
                continue;
            }
            goto opcode;
        default:
            goto opcode;
        }
        insn->rex = 0;
    }

 opcode:
    /*
     * 64-bit mode ignores ES, CS, SS and DS overrides (SDM Vol. 1
     * §3.3.7.1): such a prefix, if last, leaves the default segment.
     */
    if ( mode == X86_MODE_64 && insn->seg_override &&
         insn->seg != x86_seg_fs && insn->seg != x86_seg_gs )
    {
        insn->seg_override = false;
        insn->seg = x86_seg_ds;
    }
    if ( mode == X86_MODE_64 )
        insn->ad_bytes = adsize ? 4 : 8;
    else
        insn->ad_bytes = adsize ? (mode == X86_MODE_16 ? 4 : 2) : mode;

    insn->opcode = b;
    insn->map = X86_MAP_1B;
    attr = x86_opc_1b[b];

    if ( b == 0x0f )
    {
        FETCH(1, &b);
        if ( b == 0x38 || b == 0x3a )
        {
            insn->map = b == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
            attr = D_MODRM | (b == 0x3a ? IMM_B : 0);
            FETCH(1, &b);
        }
        else if ( b == 0x0f )
        {
            /* 3DNow!: ModRM, then the opcode as an immediate. */
            insn->map = X86_MAP_3DNOW;
            attr = D_MODRM | IMM_B;
        }
        else
        {
            insn->map = X86_MAP_0F;
            attr = x86_opc_0f[b];
        }
        insn->opcode = b;
    }
    else if ( b == 0xc4 || b == 0xc5 || b == 0x62 )
    {
        /*
         * Outside 64-bit mode these are LES/LDS/BOUND unless the next
         * byte has mod = 11, which those cannot encode (SDM Vol. 2A
         * §2.3.5, §2.7.1): then they are VEX or EVEX.
         */
        FETCH(1, &v);
        if ( mode == X86_MODE_64 || (v & 0xc0) == 0xc0 )
        {
            rc = decode_vex(fs, mode, insn, b, v, &attr, ev);
            if ( rc != X86EMUL_OKAY )
                return rc;
        }
        else
            fs->len--;          /* it was the ModRM: read it again below */
    }

    if ( attr & D_PREFIX )      /* cannot happen: prefixes loop above */
        return decode_fault(ev, X86_EXC_UD, -1);
    if ( (attr & D_INV) || (mode == X86_MODE_64 && (attr & D_INV64)) )
        return decode_fault(ev, X86_EXC_UD, -1);

    if ( attr & D_MODRM )
    {
        FETCH(1, &v);
        insn->has_modrm = true;
        insn->modrm_mod = v >> 6;
        insn->modrm_reg = ((v >> 3) & 7) | ((insn->rex & 4) << 1);
        insn->modrm_rm = v & 7;
        if ( attr & D_MODREG )
            insn->modrm_mod = 3;    /* MOV CR/DR: SDM Vol. 2A "MOV" */
        if ( insn->modrm_mod != 3 )
        {
            rc = decode_modrm_mem(fs, mode, insn, ev);
            if ( rc != X86EMUL_OKAY )
                return rc;
        }
        else
            insn->modrm_rm |= (insn->rex & 1) << 3;
    }

    if ( !insn->op_bytes )
        operand_size(insn, mode, attr, opsize);

    if ( x86_invalid_form(insn, mode) )
        return decode_fault(ev, X86_EXC_UD, -1);
    if ( (insn->prefixes & X86_PFX_LOCK) && !x86_lock_allowed(insn) )
        return decode_fault(ev, X86_EXC_UD, -1);

    if ( (attr & IMM_MASK) == IMM_ENTER )
    {
        FETCH(2, &v);
        insn->imm = v;
        FETCH(1, &v);
        insn->imm2 = v;
        insn->imm_bytes = 3;
    }
    else if ( (attr & IMM_MASK) == IMM_FAR )
    {
        unsigned int n = insn->op_bytes == 2 ? 2 : 4;

        FETCH(n, &v);
        insn->imm = v;
        FETCH(2, &v);
        insn->imm2 = v;
        insn->imm_bytes = n + 2;
    }
    else if ( insn->map == X86_MAP_0F && insn->opcode == 0x78 &&
              (insn->prefixes & (X86_PFX_OPSIZE | X86_PFX_REPNE)) &&
              !(insn->prefixes & X86_PFX_VEX) )
    {
        /* EXTRQ/INSERTQ (AMD APM Vol. 4): ib, ib. */
        FETCH(1, &v);
        insn->imm = v;
        FETCH(1, &v);
        insn->imm2 = v;
        insn->imm_bytes = 2;
    }
    else if ( (v = imm_size(insn, attr & IMM_MASK)) != 0 )
    {
        unsigned int n = v;

        FETCH(n, &v);
        insn->imm_bytes = n;
        /* Addresses are unsigned; every other immediate is sign-extended
         * to the operand size, and each user masks what it needs. */
        insn->imm = (attr & IMM_MASK) == IMM_MOFFS ? v : (uint64_t)sext(v, n);
        if ( insn->map == X86_MAP_3DNOW )
            insn->opcode = v;
    }

    insn->len = fs->len;
    return X86EMUL_OKAY;
}

int x86_insn_length(const uint8_t *buf, unsigned int bytes,
                    enum x86_mode mode, unsigned int *vector)
{
    struct fetch_state fs = { .buf = buf, .buf_bytes = bytes };
    struct x86_insn insn;
    struct x86_event ev;
    int rc = x86_decode_insn(&fs, mode, &insn, &ev);

    if ( rc == X86EMUL_OKAY )
        return insn.len;
    if ( rc == X86EMUL_EXCEPTION )
    {
        *vector = ev.vector;
        return 0;
    }
    return -1;
}

int x86_decode(struct x86_emulate_ctxt *ctxt,
               const struct x86_emulate_ops *ops)
{
    struct fetch_state fs = {
        .buf = ctxt->insn_buf, .buf_bytes = ctxt->insn_buf_bytes,
        .ctxt = ctxt, .ops = ops, .rip = ctxt->regs.rip,
    };
    uint8_t pre[MAX_INSN_LEN];
    int rc;

    /*
     * One callback for the whole instruction where possible: up to 15
     * bytes, not past the end of the page RIP is in. That is only a
     * guess (the segment base may not be page-aligned, the limit may be
     * near), so if it fails the decoder fetches exactly what it needs,
     * byte group by byte group, and only those faults count.
     */
    if ( !fs.buf_bytes && ops && ops->insn_fetch )
    {
        uint64_t ip = ctxt->regs.rip & size_mask(ctxt->mode);
        unsigned int n = PAGE_SIZE - (ip & (PAGE_SIZE - 1));

        n = MIN(n, MAX_INSN_LEN);
        if ( ops->insn_fetch(x86_seg_cs, ip, pre, n, ctxt) == X86EMUL_OKAY )
        {
            fs.buf = pre;
            fs.buf_bytes = n;
        }
    }

    rc = x86_decode_insn(&fs, ctxt->mode, &ctxt->insn, &ctxt->event);
    if ( rc == DECODE_TRUNCATED )
        rc = X86EMUL_UNHANDLEABLE;      /* no insn_fetch callback */
    if ( rc != X86EMUL_OKAY )
        ctxt->insn.len = 0;
    return rc;
}

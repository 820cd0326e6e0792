/* SPDX-License-Identifier: MIT */
/*
 * The decoder's rarer parts: the escapes to the 0F 38, 0F 3A and 3DNow!
 * maps (0F xx too when its byte was not prefetched; decode.c has it
 * inline), VEX and EVEX prefixes (decoded for their length and the
 * opcode's map) and the immediates. Format: Intel SDM
 * Vol. 2A §2.3 (VEX), §2.7 (EVEX), Appendix A.2.2 (operand codes).
 */
#include "decode.h"

/* The slow path of fetch(): bytes beyond what is buffered. */
int fetch_more(struct fetch_state *fs, unsigned int n, uint64_t *out)
{
    uint8_t b[8];
    unsigned int i = 0;
    int rc;

    if ( fs->len + n > MAX_INSN_LEN )
        return decode_fault(fs->ev, X86_EXC_GP, 0);
    for ( ; i < n && fs->len + i < fs->buf_bytes; i++ )
        b[i] = fs->buf[fs->len + i];
    if ( !fs->ops || !fs->ops->insn_fetch )
        return DECODE_TRUNCATED;
    /* IP wraps at the code size (SDM Vol. 1 §3.5). */
    rc = fs->ops->insn_fetch(x86_seg_cs,
                             (fs->rip + fs->len + i) & size_mask(fs->mode),
                             &b[i], n - i, fs->ctxt);
    if ( rc != X86EMUL_OKAY )
    {
        if ( rc == X86EMUL_EXCEPTION )
            *fs->ev = fs->ctxt->event;
        return rc;
    }
    *out = 0;
    for ( i = n; i-- > 0; )
        *out = (*out << 8) | b[i];
    fs->len += n;
    return X86EMUL_OKAY;
}

/* After the opcode: 0F maps, or VEX/EVEX, or LES/LDS/BOUND. */
int decode_escape(struct fetch_state *fs, struct x86_insn *insn,
                         uint64_t *b, unsigned int *attr)
{
    uint64_t v;

    if ( *b == 0x0f )
    {
        FETCH(1, b);
        if ( *b == 0x38 || *b == 0x3a )
        {
            insn->map = *b == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
            *attr = D_MODRM | (*b == 0x3a ? IMM_B : 0);
            FETCH(1, b);
        }
        else if ( *b == 0x0f )
        {
            /* 3DNow!: ModRM, then the opcode as an immediate. */
            insn->map = X86_MAP_3DNOW;
            *attr = D_MODRM | IMM_B;
        }
        else
        {
            insn->map = X86_MAP_0F;
            *attr = x86_opc_0f[*b];
        }
        insn->opcode = *b;
        return X86EMUL_OKAY;
    }

    /*
     * C4, C5, 62: outside 64-bit mode these are LES/LDS/BOUND unless the
     * next byte has mod = 11, which those cannot encode (SDM Vol. 2A
     * §2.3.5, §2.7.1): then they are VEX or EVEX.
     */
    FETCH(1, &v);
    if ( fs->mode == X86_MODE_64 || (v & 0xc0) == 0xc0 )
        return decode_vex(fs, insn, *b, v, attr);
    fs->len--;                  /* it was the ModRM: read it again */
    return X86EMUL_OKAY;
}

/* VEX (C4/C5) and EVEX (62): the payload, then the opcode's map. */
int decode_vex(struct fetch_state *fs, struct x86_insn *insn, uint8_t first,
               uint8_t p0, unsigned int *attr)
{
    unsigned int map;
    uint64_t v;

    /* SDM Vol. 2A §2.3.2: 66, F2, F3, LOCK or REX before VEX is #UD. */
    if ( insn->prefixes & (X86_PFX_LOCK | X86_PFX_REP | X86_PFX_REPNE |
                           X86_PFX_OPSIZE) || insn->rex )
        return decode_fault(fs->ev, X86_EXC_UD, -1);

    if ( first == 0xc5 )
    {
        map = 1;
        insn->rex = 0x40 | (p0 & 0x80 ? 0 : 4);
        insn->vex_reg = (~p0 >> 3) & 15;
        insn->vex_l = (p0 >> 2) & 1;
        insn->vex_pp = p0 & 3;
        insn->prefixes |= X86_PFX_VEX;
    }
    else if ( first == 0xc4 )
    {
        FETCH(1, &v);
        map = p0 & 0x1f;
        insn->rex = 0x40 | ((~p0 >> 5) & 7) | (v & 0x80 ? 8 : 0);
        insn->vex_reg = (~v >> 3) & 15;
        insn->vex_l = (v >> 2) & 1;
        insn->vex_pp = v & 3;
        insn->prefixes |= X86_PFX_VEX;
    }
    else
    {
        uint64_t p12;

        FETCH(2, &p12);
        /* EVEX P0 bits 3:2 and P1 bit 2 are fixed (SDM Vol. 2A §2.7.1). */
        if ( (p0 & 0x0c) || !(p12 & 0x04) )
            return decode_fault(fs->ev, X86_EXC_UD, -1);
        map = p0 & 3;
        insn->rex = 0x40 | ((~p0 >> 5) & 7) | (p12 & 0x80 ? 8 : 0);
        insn->vex_l = (p12 >> 13) & 3;
        insn->vex_pp = p12 & 3;
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
        return decode_fault(fs->ev, X86_EXC_UD, -1);
    }

    FETCH(1, &v);
    insn->opcode = v;
    if ( insn->map == X86_MAP_0F )
        /* Map 1 keeps the legacy immediates (70-73, C2, C4-C6); every VEX
         * opcode there has a ModRM but VZEROUPPER/ALL (77). */
        *attr = (x86_opc_0f[v] & IMM_MASK) | (v == 0x77 ? 0 : D_MODRM);
    else
        *attr = D_MODRM | (insn->map == X86_MAP_0F3A ? IMM_B : 0);
    if ( fs->mode == X86_MODE_64 && (insn->rex & 8) )
        insn->op_bytes = 8;
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

/* The immediates of an opcode whose @attr has an IMM_* kind or D_FORM. */
int decode_imm(struct fetch_state *fs, struct x86_insn *insn,
               unsigned int attr)
{
    unsigned int n;
    uint64_t v;

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
        n = insn->op_bytes == 2 ? 2 : 4;
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
    else if ( (n = imm_size(insn, attr & IMM_MASK)) != 0 )
    {
        FETCH(n, &v);
        insn->imm_bytes = n;
        /* Addresses are unsigned; every other immediate is sign-extended
         * to the operand size, and each user masks what it needs. */
        insn->imm = (attr & IMM_MASK) == IMM_MOFFS ? v : (uint64_t)sext(v, n);
        if ( insn->map == X86_MAP_3DNOW )
            insn->opcode = v;
    }
    return X86EMUL_OKAY;
}

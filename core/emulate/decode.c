/* SPDX-License-Identifier: MIT */
/*
 * The instruction decoder: prefixes, REX, opcode maps, ModRM/SIB and
 * displacement in 16-, 32- and 64-bit code (VEX/EVEX and immediates in
 * decode_ext.c). It finds the length and the operands of every
 * instruction, also of those the emulator does not execute. Format:
 * Intel SDM Vol. 2A chapter 2; AMD APM Vol. 3 chapter 1.
 *
 * Every MMIO exit runs this, so the common path is kept short: one table
 * lookup per byte says whether it is a prefix, an escape, or what
 * follows; the rare cases are behind a flag (D_ESC, D_FORM, IMM_*).
 */
#include "decode.h"

/* ModRM memory forms, 16-bit addressing (SDM Vol. 2A Table 2-1). */
static const uint8_t ea16_base[8] = {
    X86_RBX, X86_RBX, X86_RBP, X86_RBP, X86_RSI, X86_RDI, X86_RBP, X86_RBX,
};
static const uint8_t ea16_index[8] = {
    X86_RSI, X86_RDI, X86_RSI, X86_RDI,
    X86_NO_REG, X86_NO_REG, X86_NO_REG, X86_NO_REG,
};

static inline __attribute__((always_inline))
int decode_modrm_mem(struct fetch_state *fs,
                     struct x86_insn *insn, unsigned int mod,
                     unsigned int rm)
{
    unsigned int disp_bytes;
    uint64_t v;

    insn->mem = true;

    if ( insn->ad_bytes == 2 )
    {
        if ( mod == 0 && rm == 6 )
            disp_bytes = 2;
        else
        {
            insn->ea_base = ea16_base[rm];
            insn->ea_index = ea16_index[rm];
            disp_bytes = mod == 1 ? 1 : mod == 2 ? 2 : 0;
            /* BP-based forms default to SS. */
            if ( ea16_base[rm] == X86_RBP && !insn->seg_override )
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
            disp_bytes = 4;
            /* ModRM rm=101 (not SIB base 101) is RIP-relative in 64-bit
             * mode (SDM Vol. 2A §2.2.1.6). */
            insn->rip_rel = rm == 5 && fs->mode == X86_MODE_64;
        }
        else
        {
            base |= (insn->rex & 1) << 3;
            insn->ea_base = base;
            disp_bytes = mod == 1 ? 1 : mod == 2 ? 4 : 0;
            /* rSP and rBP (not r12/r13) as base default to SS. */
            if ( (base == X86_RSP || base == X86_RBP) && !insn->seg_override )
                insn->seg = x86_seg_ss;
        }
    }

    insn->disp_bytes = disp_bytes;
    if ( disp_bytes )
    {
        FETCH(disp_bytes, &v);
        insn->disp = sext(v, disp_bytes);
    }
    return X86EMUL_OKAY;
}

/* @reg: ModRM.reg without REX.R, which group 5 (FF) depends on. */
static inline unsigned int operand_size(const struct x86_insn *insn,
                                        enum x86_mode mode,
                                        unsigned int attr, bool opsize,
                                        unsigned int reg)
{
    bool grp5 = attr & D_GRP5;

    if ( mode != X86_MODE_64 )
        return opsize ? (mode == X86_MODE_16 ? 4 : 2) : mode;
    /*
     * 64-bit mode (SDM Vol. 2A §2.2.1.7): near branches are always 64-bit
     * (Intel ignores 66 on them; AMD honours it, which this decoder does
     * not model yet), stack operations default to 64 bits, the rest to
     * 32 with REX.W giving 64; REX.W wins over 66.
     */
    if ( (attr & D_F64) || (grp5 && (reg == 2 || reg == 4)) )
        return 8;
    if ( insn->rex & 8 )
        return 8;
    if ( (attr & D_D64) || (grp5 && reg == 6) )
        return opsize ? 2 : 8;
    return opsize ? 2 : 4;
}

/* The legacy prefixes before the opcode; *@b gets the opcode byte. */
static inline __attribute__((always_inline))
int decode_prefixes(struct fetch_state *fs, struct x86_insn *insn,
                    uint64_t *b)
{
    unsigned int pfx = 0, rex = 0;

    /*
     * Any number in any order (SDM Vol. 2A §2.1.1). More than one from a
     * group is not architecturally defined; like real processors and
     * QEMU we let the last segment override and the last of F2/F3 win. A
     * REX prefix counts only if it is the last prefix (SDM Vol. 2A
     * §2.2.1): any legacy prefix after it cancels it.
     */
    for ( ;; )
    {
        FETCH(1, b);
        if ( likely(!(x86_opc_1b[*b] & D_PREFIX)) )
        {
            if ( fs->mode == X86_MODE_64 && (*b & 0xf0) == 0x40 )
            {
                rex = *b;
                continue;
            }
            break;
        }
        rex = 0;
        switch ( *b )
        {
        case 0x66:
            pfx |= X86_PFX_OPSIZE;
            break;
        case 0x67:
            pfx |= X86_PFX_ADSIZE;
            break;
        case 0xf0:
            pfx |= X86_PFX_LOCK;
            break;
        case 0xf2:
            pfx = (pfx & ~X86_PFX_REP) | X86_PFX_REPNE;
            break;
        case 0xf3:
            pfx = (pfx & ~X86_PFX_REPNE) | X86_PFX_REP;
            break;
        default:                /* 26 ES, 2E CS, 36 SS, 3E DS, 64, 65 */
            insn->seg = *b == 0x64 ? x86_seg_fs : *b == 0x65 ? x86_seg_gs :
                        (*b >> 3) & 3;
            insn->seg_override = true;
            break;
        }
    }
    insn->prefixes = pfx;
    insn->rex = rex;
    return X86EMUL_OKAY;
}

static inline __attribute__((always_inline))
int decode_insn(struct fetch_state *fs, struct x86_insn *insn)
{
    enum x86_mode mode = fs->mode;
    unsigned int attr, reg = 0;
    uint64_t b, v;
    int rc;

    memset(insn, 0, sizeof(*insn));
    insn->seg = x86_seg_ds;
    insn->ea_base = insn->ea_index = X86_NO_REG;

    rc = decode_prefixes(fs, insn, &b);
    if ( rc != X86EMUL_OKAY )
        return rc;

    /*
     * 64-bit mode ignores ES, CS, SS and DS overrides (SDM Vol. 1
     * §3.3.7.1): such a prefix, if last, leaves the default segment.
     */
    if ( mode == X86_MODE_64 )
    {
        if ( insn->seg_override && insn->seg < x86_seg_fs )
        {
            insn->seg_override = false;
            insn->seg = x86_seg_ds;
        }
        insn->ad_bytes = insn->prefixes & X86_PFX_ADSIZE ? 4 : 8;
    }
    else
        insn->ad_bytes = insn->prefixes & X86_PFX_ADSIZE ?
                         (mode == X86_MODE_16 ? 4 : 2) : mode;

    insn->opcode = b;
    attr = x86_opc_1b[b];
    if ( unlikely(attr & D_ESC) )
    {
        /* 0F xx with the byte at hand, the common escape (MOVZX,
         * CMPXCHG, the SSE moves), inline; the rest in decode_escape(). */
        if ( b == 0x0f && fs->len < fs->buf_bytes &&
             (v = fs->buf[fs->len]) != 0x38 && v != 0x3a && v != 0x0f )
        {
            fs->len++;
            b = v;
            insn->map = X86_MAP_0F;
            insn->opcode = b;
            attr = x86_opc_0f[b];
        }
        else
        {
            rc = decode_escape(fs, insn, &b, &attr);
            if ( rc != X86EMUL_OKAY )
                return rc;
        }
    }

    if ( (attr & D_INV) || (mode == X86_MODE_64 && (attr & D_INV64)) )
        return decode_fault(fs->ev, X86_EXC_UD, -1);

    if ( attr & D_MODRM )
    {
        unsigned int mod, rm;

        FETCH(1, &v);
        mod = v >> 6;
        reg = (v >> 3) & 7;
        rm = v & 7;
        insn->has_modrm = true;
        insn->modrm_reg = reg | ((insn->rex & 4) << 1);
        if ( attr & D_MODREG )
            mod = 3;            /* MOV CR/DR: SDM Vol. 2A "MOV" */
        insn->modrm_mod = mod;
        if ( mod != 3 )
        {
            insn->modrm_rm = rm;
            rc = decode_modrm_mem(fs, insn, mod, rm);
            if ( rc != X86EMUL_OKAY )
                return rc;
        }
        else
            insn->modrm_rm = rm | ((insn->rex & 1) << 3);
    }

    if ( !insn->op_bytes )      /* VEX.W may have set it */
        insn->op_bytes = operand_size(insn, mode, attr,
                                      insn->prefixes & X86_PFX_OPSIZE, reg);

    if ( (attr & D_FORM) && x86_invalid_form(insn, mode) )
        return decode_fault(fs->ev, X86_EXC_UD, -1);
    if ( (insn->prefixes & X86_PFX_LOCK) && !x86_lock_allowed(insn) )
        return decode_fault(fs->ev, X86_EXC_UD, -1);

    if ( attr & (IMM_MASK | D_FORM) )
    {
        rc = decode_imm(fs, insn, attr);
        if ( rc != X86EMUL_OKAY )
            return rc;
    }

    insn->len = fs->len;
    return X86EMUL_OKAY;
}

int x86_insn_length(const uint8_t *buf, unsigned int bytes,
                    enum x86_mode mode, unsigned int *vector)
{
    struct x86_event ev;
    struct fetch_state fs = {
        .buf = buf, .buf_bytes = MIN(bytes, MAX_INSN_LEN), .mode = mode,
        .ev = &ev,
    };
    struct x86_insn insn;
    int rc = decode_insn(&fs, &insn);

    if ( rc == X86EMUL_OKAY )
        return insn.len;
    if ( rc == X86EMUL_EXCEPTION )
    {
        *vector = ev.vector;
        return 0;
    }
    return -1;
}

/* The first @n (<= 15) bytes of @a and @b are the same. */
static inline bool same_bytes(const uint8_t *a, const uint8_t *b,
                              unsigned int n)
{
    uint64_t x, y;
    unsigned int i = 0;

    if ( n >= 8 )
    {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if ( x != y )
            return false;
        i = 8;
    }
    for ( ; i < n; i++ )
        if ( a[i] != b[i] )
            return false;
    return true;
}

int x86_decode(struct x86_emulate_ctxt *ctxt,
               const struct x86_emulate_ops *ops)
{
    const uint8_t *buf = ctxt->insn_buf;
    unsigned int buf_bytes = MIN(ctxt->insn_buf_bytes, MAX_INSN_LEN);
    struct x86_decode_memo *memo = &ctxt->memo;
    struct fetch_state fs;
    uint8_t pre[MAX_INSN_LEN];
    int rc;

    /*
     * One callback for the whole instruction where possible: up to 15
     * bytes, not past the end of the page RIP is in. That is only a
     * guess (the segment base may not be page-aligned, the limit may be
     * near), so if it fails the decoder fetches exactly what it needs,
     * byte group by byte group, and only those faults count.
     */
    if ( !buf_bytes && ops && ops->insn_fetch )
    {
        uint64_t ip = ctxt->regs.rip & size_mask(ctxt->mode);
        unsigned int n = PAGE_SIZE - (ip & (PAGE_SIZE - 1));

        n = MIN(n, MAX_INSN_LEN);
        if ( ops->insn_fetch(x86_seg_cs, ip, pre, n, ctxt) == X86EMUL_OKAY )
        {
            buf = pre;
            buf_bytes = n;
        }
    }

    /*
     * The same bytes as last time in this mode: the same instruction
     * (decoding reads the bytes in order and depends on nothing else).
     */
    if ( memo->len && memo->mode == ctxt->mode && memo->len <= buf_bytes &&
         same_bytes(buf, memo->bytes, memo->len) )
    {
        ctxt->insn = memo->insn;
        return X86EMUL_OKAY;
    }

    fs = (struct fetch_state){
        .buf = buf, .buf_bytes = buf_bytes, .ctxt = ctxt, .ops = ops,
        .rip = ctxt->regs.rip, .mode = ctxt->mode, .ev = &ctxt->event,
    };
    rc = decode_insn(&fs, &ctxt->insn);
    if ( rc == DECODE_TRUNCATED )
        rc = X86EMUL_UNHANDLEABLE;      /* no insn_fetch callback */
    if ( rc != X86EMUL_OKAY )
    {
        ctxt->insn.len = 0;
        return rc;
    }
    /* Remember it if its bytes were all at hand. */
    memo->len = 0;
    if ( ctxt->insn.len <= buf_bytes )
    {
        memcpy(memo->bytes, buf, ctxt->insn.len);
        memo->insn = ctxt->insn;
        memo->mode = ctxt->mode;
        memo->len = ctxt->insn.len;
    }
    return X86EMUL_OKAY;
}

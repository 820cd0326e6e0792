/* SPDX-License-Identifier: MIT */
/*
 * x86_emulate(): decode one instruction, hand it to its opcode group, and
 * commit the register file only when the group succeeded. The handler
 * tables below are the whole map of what is executed; every other
 * opcode is UNHANDLEABLE and changes nothing.
 */
#include "private.h"

typedef int (*handler_t)(struct emul *e);

static int emul_grp5(struct emul *e)
{
    switch ( e->insn->modrm_reg & 7 )
    {
    case 0: case 1:
        return emul_alu(e);             /* INC, DEC */
    case 2: case 4:
        return emul_branch(e);          /* CALL, JMP near indirect */
    case 6:
        return emul_stack(e);           /* PUSH */
    }
    return X86EMUL_UNHANDLEABLE;        /* far CALL/JMP */
}

#define ALU_ROW(b) [(b) ... (b) + 5] = emul_alu

static const handler_t handlers_1b[256] = {
    ALU_ROW(0x00), ALU_ROW(0x08), ALU_ROW(0x10), ALU_ROW(0x18),
    [0x06 ... 0x07] = emul_segment, [0x0e] = emul_segment,
    [0x16 ... 0x17] = emul_segment, [0x1e ... 0x1f] = emul_segment,
    ALU_ROW(0x20), ALU_ROW(0x28), ALU_ROW(0x30), ALU_ROW(0x38),
    [0x40 ... 0x4f] = emul_alu,         /* INC/DEC r (not 64-bit mode) */
    [0x50 ... 0x5f] = emul_stack,
    [0x63] = emul_mov,                  /* MOVSXD */
    [0x68] = emul_stack, [0x6a] = emul_stack,
    [0x69] = emul_muldiv, [0x6b] = emul_muldiv,
    [0x6c ... 0x6f] = emul_string,      /* INS, OUTS */
    [0x70 ... 0x7f] = emul_branch,
    [0x80 ... 0x85] = emul_alu,
    [0x86 ... 0x87] = emul_xchg,
    [0x88 ... 0x8b] = emul_mov_rm, [0x8d] = emul_mov,
    [0x8c] = emul_segment, [0x8e] = emul_segment,
    [0x8f] = emul_stack,
    [0x90 ... 0x97] = emul_xchg,
    [0x98 ... 0x99] = emul_mov,
    [0x9c] = emul_stack,                /* PUSHF */
    [0x9d] = emul_priv,                 /* POPF */
    [0x9e ... 0x9f] = emul_system,      /* SAHF, LAHF */
    [0xa0 ... 0xa3] = emul_mov,
    [0xa4 ... 0xa7] = emul_string,
    [0xa8 ... 0xa9] = emul_alu,
    [0xaa ... 0xaf] = emul_string,
    [0xb0 ... 0xbf] = emul_mov,
    [0xc0 ... 0xc1] = emul_shift,
    [0xc2 ... 0xc3] = emul_branch,
    [0xc6 ... 0xc7] = emul_mov,
    [0xc4 ... 0xc5] = emul_segment,     /* LES, LDS (not VEX) */
    [0xc8] = emul_enter,
    [0xc9] = emul_stack,
    [0xcc ... 0xce] = emul_priv,        /* INT3, INT n, INTO */
    [0xd0 ... 0xd3] = emul_shift,
    [0xd7] = emul_mov,                  /* XLAT */
    [0xe0 ... 0xe3] = emul_branch,
    [0xe4 ... 0xe7] = emul_system,
    [0xe8 ... 0xe9] = emul_branch, [0xeb] = emul_branch,
    [0xec ... 0xef] = emul_system,
    [0xf1] = emul_priv,                 /* INT1 */
    [0xf4] = emul_priv,                 /* HLT */
    [0xf5] = emul_system,
    [0xf6 ... 0xf7] = emul_grp3,
    [0xf8 ... 0xf9] = emul_system, [0xfc ... 0xfd] = emul_system,
    [0xfa ... 0xfb] = emul_priv,        /* CLI, STI */
    [0xfe] = emul_alu,
    [0xff] = emul_grp5,
};

static const handler_t handlers_0f[256] = {
    [0x01] = emul_priv,                 /* group 7 */
    [0x06] = emul_priv,                 /* CLTS */
    [0x20 ... 0x23] = emul_priv,        /* MOV CR/DR */
    [0x30 ... 0x32] = emul_priv,        /* WRMSR, RDTSC, RDMSR */
    [0x40 ... 0x4f] = emul_branch,      /* CMOVcc */
    [0x80 ... 0x8f] = emul_branch,      /* Jcc */
    [0x90 ... 0x9f] = emul_branch,      /* SETcc */
    [0x18 ... 0x1f] = emul_system,      /* hint NOPs */
    [0xa2] = emul_system,               /* CPUID */
    [0xa0 ... 0xa1] = emul_segment,     /* PUSH/POP FS */
    [0xa8 ... 0xa9] = emul_segment,     /* PUSH/POP GS */
    [0xb2] = emul_segment, [0xb4 ... 0xb5] = emul_segment, /* LSS LFS LGS */
    [0xa3] = emul_bits, [0xab] = emul_bits, [0xb3] = emul_bits,
    [0xba ... 0xbd] = emul_bits,
    [0xc8 ... 0xcf] = emul_bits,        /* BSWAP */
    [0xaf] = emul_muldiv,
    [0xb8] = emul_bits,                 /* POPCNT */
    [0xc7] = emul_cmpxchg8b,            /* group 9 */
    [0xb0 ... 0xb1] = emul_xchg,        /* CMPXCHG */
    [0xb6 ... 0xb7] = emul_movx, [0xbe ... 0xbf] = emul_movx,
    [0xc0 ... 0xc1] = emul_xchg,        /* XADD */
    [0x10 ... 0x11] = emul_sse, [0x28 ... 0x29] = emul_sse,
    [0x6e ... 0x6f] = emul_sse, [0x7e ... 0x7f] = emul_sse,
    [0xd6] = emul_sse,                  /* SSE moves (sse.c) */
};

int emul_raise(struct emul *e, unsigned int vector, int error_code)
{
    return x86_emul_hw_exception(vector, error_code, e->ctxt);
}

/*
 * Groups that change the register file only after their last step that
 * can fail (a callback, a fault): nothing to roll back, so no copy of
 * the registers to take -- a sixth of a MOV's cost. A group added here
 * must keep to that; fuzz.emulate checks that failures change nothing.
 */
static bool commits_last(handler_t h)
{
    return h == emul_mov_rm || h == emul_movx || h == emul_alu ||
           h == emul_xchg || h == emul_mov;
}

int x86_emulate(struct x86_emulate_ctxt *ctxt,
                const struct x86_emulate_ops *ops)
{
    struct emul e;              /* no initialiser: zeroing it costs more
                                 * than the rest of a MOV */
    const handler_t *table;
    struct x86_regs saved;
    handler_t h = NULL;
    int rc;

    ctxt->flags_undefined = 0;
    ctxt->retire = 0;
    rc = x86_decode(ctxt, ops);
    if ( rc != X86EMUL_OKAY )
        return rc;

    e.ctxt = ctxt;
    e.ops = ops;
    e.insn = &ctxt->insn;
    e.regs = &ctxt->regs;
    e.keep_partial = false;
    e.next_rip = (ctxt->regs.rip + ctxt->insn.len) & size_mask(ctxt->mode);
    e.sp_bytes = ctxt->mode == X86_MODE_64 ? 8 :
                 ctxt->sp_bytes ? ctxt->sp_bytes : ctxt->mode;
    if ( ctxt->insn.mem )
        ea_compute(&e);

    if ( !(ctxt->insn.prefixes & (X86_PFX_VEX | X86_PFX_EVEX)) )
    {
        table = ctxt->insn.map == X86_MAP_1B ? handlers_1b :
                ctxt->insn.map == X86_MAP_0F ? handlers_0f : NULL;
        if ( table )
            h = table[ctxt->insn.opcode];
        else if ( ctxt->insn.map == X86_MAP_0F38 &&
                  (ctxt->insn.opcode & 0xfe) == 0xf0 )
            h = emul_movbe;
    }
    else if ( (ctxt->insn.prefixes & X86_PFX_VEX) &&
              ctxt->insn.map == X86_MAP_0F )
        h = emul_sse;                   /* VEX moves; the rest UNHANDLEABLE */
    if ( !h )
        return X86EMUL_UNHANDLEABLE;

    /*
     * Handlers work on ctxt->regs directly (a working copy written back
     * costs more than the rest of a MOV: store-forwarding stalls) and
     * never touch RIP; a failure restores the registers from here.
     */
    if ( commits_last(h) )
    {
        rc = h(&e);
        if ( rc == X86EMUL_OKAY )
            ctxt->regs.rip = e.next_rip;
        return rc;
    }
    saved = ctxt->regs;
    rc = h(&e);
    if ( rc == X86EMUL_OKAY )
        ctxt->regs.rip = e.next_rip;
    else if ( !e.keep_partial )
        ctxt->regs = saved;
    return rc;
}

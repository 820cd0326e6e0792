/* SPDX-License-Identifier: MIT */
/*
 * The Orrery side: x86_emulate() with callbacks over the machine's flat
 * memory (every segment base is zero, as in the Unicorn set-up).
 */
#include <string.h>

#include "machine.h"

#define UNMAPPED_EC 0xdead      /* our marker for "outside the machine" */

uint32_t io_in_value(uint64_t seed, unsigned int port, unsigned int bytes)
{
    uint64_t x = seed ^ (port * 0x9e3779b97f4a7c15ull) ^ bytes;

    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return (uint32_t)x;
}

static uint8_t *locate(struct machine *m, uint64_t off, unsigned int bytes)
{
    uint64_t lin = off;

    if ( m->mode != X86_MODE_64 )
        lin &= 0xffffffffu;
    if ( lin >= DATA_BASE && lin + bytes <= DATA_BASE + DATA_SIZE )
        return &m->data[lin - DATA_BASE];
    if ( lin >= CODE_BASE && lin + bytes <= CODE_BASE + CODE_SIZE )
        return &m->code[lin - CODE_BASE];
    return NULL;
}

static int unmapped(uint64_t off, struct x86_emulate_ctxt *ctxt)
{
    return x86_emul_pagefault(UNMAPPED_EC, off, ctxt);
}

static int m_read(enum x86_segment seg, uint64_t off, void *buf,
                  unsigned int bytes, struct x86_emulate_ctxt *ctxt)
{
    uint8_t *p = locate(ctxt->data, off, bytes);

    (void)seg;
    if ( !p )
        return unmapped(off, ctxt);
    memcpy(buf, p, bytes);
    return X86EMUL_OKAY;
}

static int m_write(enum x86_segment seg, uint64_t off, const void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *ctxt)
{
    uint8_t *p = locate(ctxt->data, off, bytes);

    (void)seg;
    if ( !p )
        return unmapped(off, ctxt);
    memcpy(p, buf, bytes);
    return X86EMUL_OKAY;
}

static int m_cmpxchg(enum x86_segment seg, uint64_t off, void *old,
                     const void *new, unsigned int bytes, bool lock,
                     struct x86_emulate_ctxt *ctxt)
{
    uint8_t *p = locate(ctxt->data, off, bytes);

    (void)seg;
    (void)lock;
    if ( !p )
        return unmapped(off, ctxt);
    if ( memcmp(p, old, bytes) )
    {
        memcpy(old, p, bytes);
        return X86EMUL_CMPXCHG_FAILED;
    }
    memcpy(p, new, bytes);
    return X86EMUL_OKAY;
}

static int m_read_io(unsigned int port, unsigned int bytes, uint32_t *val,
                     struct x86_emulate_ctxt *ctxt)
{
    struct machine *m = ctxt->data;

    *val = io_in_value(m->io_seed, port, bytes);
    return X86EMUL_OKAY;
}

static int m_write_io(unsigned int port, unsigned int bytes, uint32_t val,
                      struct x86_emulate_ctxt *ctxt)
{
    struct machine *m = ctxt->data;

    if ( m->nr_outs < MAX_OUTS )
    {
        m->outs[m->nr_outs].port = port;
        m->outs[m->nr_outs].bytes = bytes;
        m->outs[m->nr_outs].val = val;
    }
    m->nr_outs++;
    return X86EMUL_OKAY;
}

/* CR0 and CR4 as Unicorn has them; no other control register. */
static int m_read_cr(unsigned int reg, uint64_t *val,
                     struct x86_emulate_ctxt *ctxt)
{
    struct machine *m = ctxt->data;

    if ( reg != 0 && reg != 4 )
        return X86EMUL_UNHANDLEABLE;
    *val = reg ? m->cr4 : m->cr0;
    return X86EMUL_OKAY;
}

/*
 * Bulk REP MOVS/STOS over the flat memory, element by element in order
 * and stopping at the first one outside it (x86_emulate.h's contract):
 * half of the cases use them, so the bulk path meets Unicorn too.
 */
static int m_rep_movs(enum x86_segment seg, uint64_t src, uint64_t dst,
                      unsigned int bytes, unsigned long *reps,
                      struct x86_emulate_ctxt *ctxt)
{
    unsigned long i;
    uint8_t *s = NULL, *d;

    (void)seg;
    for ( i = 0; i < *reps; i++ )
    {
        s = locate(ctxt->data, src + i * bytes, bytes);
        if ( !s )
            break;
        d = locate(ctxt->data, dst + i * bytes, bytes);
        if ( !d )
            break;
        memmove(d, s, bytes);
    }
    if ( i == *reps )
        return X86EMUL_OKAY;
    *reps = i;
    return unmapped(s ? dst + i * bytes : src + i * bytes, ctxt);
}

static int m_rep_stos(uint64_t dst, uint64_t val, unsigned int bytes,
                      unsigned long *reps, struct x86_emulate_ctxt *ctxt)
{
    unsigned long i;
    uint8_t *d;

    for ( i = 0; i < *reps; i++ )
    {
        d = locate(ctxt->data, dst + i * bytes, bytes);
        if ( !d )
        {
            *reps = i;
            return unmapped(dst + i * bytes, ctxt);
        }
        memcpy(d, &val, bytes);
    }
    return X86EMUL_OKAY;
}

/* XMM registers: 16 bytes (no AVX, as Unicorn). */
static int m_read_xmm(unsigned int reg, void *buf, unsigned int bytes,
                      struct x86_emulate_ctxt *ctxt)
{
    struct machine *m = ctxt->data;

    if ( bytes != 16 || reg > 15 )
        return X86EMUL_UNHANDLEABLE;
    memcpy(buf, m->xmm[reg], 16);
    return X86EMUL_OKAY;
}

static int m_write_xmm(unsigned int reg, const void *buf, unsigned int bytes,
                       struct x86_emulate_ctxt *ctxt)
{
    struct machine *m = ctxt->data;

    if ( bytes != 16 || reg > 15 )
        return X86EMUL_UNHANDLEABLE;
    memcpy(m->xmm[reg], buf, 16);
    return X86EMUL_OKAY;
}

/* Flat segments: every base is zero (the SSE alignment check asks). */
static int m_read_segment(enum x86_segment seg, struct segment_register *r,
                          struct x86_emulate_ctxt *ctxt)
{
    (void)ctxt;
    if ( seg > x86_seg_gs )
        return X86EMUL_UNHANDLEABLE;
    memset(r, 0, sizeof(*r));
    return X86EMUL_OKAY;
}

static const struct x86_emulate_ops ops = {
    .read = m_read,
    .insn_fetch = m_read,
    .write = m_write,
    .cmpxchg = m_cmpxchg,
    .read_io = m_read_io,
    .write_io = m_write_io,
    .read_cr = m_read_cr,
    .read_xmm = m_read_xmm,
    .write_xmm = m_write_xmm,
    .read_segment = m_read_segment,
};

static const struct x86_emulate_ops bulk_ops = {
    .read = m_read,
    .insn_fetch = m_read,
    .write = m_write,
    .cmpxchg = m_cmpxchg,
    .read_io = m_read_io,
    .write_io = m_write_io,
    .read_cr = m_read_cr,
    .read_xmm = m_read_xmm,
    .write_xmm = m_write_xmm,
    .read_segment = m_read_segment,
    .rep_movs = m_rep_movs,
    .rep_stos = m_rep_stos,
};

void orrery_run(struct machine *m, struct result *r)
{
    struct x86_emulate_ctxt ctxt = {
        .regs = m->regs, .mode = m->mode, .data = m,
        .features = m->features,
    };
    int rc = x86_emulate(&ctxt, (m->io_seed >> 7) & 1 ? &bulk_ops : &ops);

    r->flags_undefined = ctxt.flags_undefined;
    switch ( rc )
    {
    case X86EMUL_OKAY:
        r->outcome = OUT_OK;
        m->regs = ctxt.regs;
        break;
    case X86EMUL_EXCEPTION:
        r->vector = ctxt.event.vector;
        r->outcome = (ctxt.event.vector == X86_EXC_PF &&
                      ctxt.event.error_code == UNMAPPED_EC) ? OUT_UNMAPPED
                                                            : OUT_EXCEPTION;
        break;
    default:
        r->outcome = OUT_UNHANDLEABLE;
        break;
    }
}

/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "machine.h"

static struct tmachine *tm(struct x86_emulate_ctxt *c)
{
    return c->data;
}

static int check(struct tmachine *m, uint64_t off, unsigned int bytes,
                 bool write, struct x86_emulate_ctxt *c)
{
    if ( off + bytes > TM_MEM )
        return x86_emul_pagefault(write ? 2 : 0, off, c);
    if ( write && off + bytes > m->fault_lo && off < m->fault_hi )
        return x86_emul_pagefault(2, off < m->fault_lo ? m->fault_lo : off,
                                  c);
    return X86EMUL_OKAY;
}

static int t_read(enum x86_segment seg, uint64_t off, void *buf,
                  unsigned int bytes, struct x86_emulate_ctxt *c)
{
    struct tmachine *m = tm(c);
    int rc = check(m, off, bytes, false, c);

    (void)seg;
    if ( rc == X86EMUL_OKAY )
    {
        memcpy(buf, &m->mem[off], bytes);
        m->reads++;
    }
    return rc;
}

static int t_write(enum x86_segment seg, uint64_t off, const void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *c)
{
    struct tmachine *m = tm(c);
    int rc = check(m, off, bytes, true, c);

    (void)seg;
    if ( rc == X86EMUL_OKAY )
    {
        memcpy(&m->mem[off], buf, bytes);
        m->writes++;
    }
    return rc;
}

static int t_cmpxchg(enum x86_segment seg, uint64_t off, void *old,
                     const void *new, unsigned int bytes, bool lock,
                     struct x86_emulate_ctxt *c)
{
    struct tmachine *m = tm(c);
    int rc = check(m, off, bytes, true, c);

    (void)seg;
    if ( rc != X86EMUL_OKAY )
        return rc;
    m->cmpxchgs++;
    m->cmpxchg_lock = lock;
    if ( m->cmpxchg_fail_once )
    {
        /* Another CPU changed memory since the emulator read it. */
        m->cmpxchg_fail_once = false;
        m->mem[off] ^= 0xff;
    }
    if ( memcmp(&m->mem[off], old, bytes) )
    {
        memcpy(old, &m->mem[off], bytes);
        return X86EMUL_CMPXCHG_FAILED;
    }
    memcpy(&m->mem[off], new, bytes);
    return X86EMUL_OKAY;
}

static int t_read_io(unsigned int port, unsigned int bytes, uint32_t *val,
                     struct x86_emulate_ctxt *c)
{
    tm(c)->last_port = port;
    tm(c)->last_port_bytes = bytes;
    *val = 0x89abcdef;
    return X86EMUL_OKAY;
}

static int t_write_io(unsigned int port, unsigned int bytes, uint32_t val,
                      struct x86_emulate_ctxt *c)
{
    tm(c)->last_port = port;
    tm(c)->last_port_bytes = bytes;
    tm(c)->last_out = val;
    return X86EMUL_OKAY;
}

/* Fetches are not counted as reads. */
static int t_fetch(enum x86_segment seg, uint64_t off, void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *c)
{
    int rc = t_read(seg, off, buf, bytes, c);

    if ( rc == X86EMUL_OKAY )
        tm(c)->reads--;
    return rc;
}

static int t_read_cr(unsigned int reg, uint64_t *val,
                     struct x86_emulate_ctxt *c)
{
    *val = tm(c)->cr[reg];
    return X86EMUL_OKAY;
}

static int t_write_cr(unsigned int reg, uint64_t val,
                      struct x86_emulate_ctxt *c)
{
    tm(c)->cr[reg] = val;
    return X86EMUL_OKAY;
}

static int t_read_dr(unsigned int reg, uint64_t *val,
                     struct x86_emulate_ctxt *c)
{
    *val = tm(c)->dr[reg];
    return X86EMUL_OKAY;
}

static int t_write_dr(unsigned int reg, uint64_t val,
                      struct x86_emulate_ctxt *c)
{
    tm(c)->dr[reg] = val;
    return X86EMUL_OKAY;
}

static int t_read_msr(uint32_t reg, uint64_t *val,
                      struct x86_emulate_ctxt *c)
{
    struct tmachine *m = tm(c);

    m->last_msr = reg;
    *val = reg == MSR_IA32_TSC ? m->tsc :
           reg == MSR_TSC_AUX ? m->tsc_aux : m->msr_val;
    return X86EMUL_OKAY;
}

static int t_write_msr(uint32_t reg, uint64_t val,
                       struct x86_emulate_ctxt *c)
{
    tm(c)->last_msr = reg;
    tm(c)->msr_val = val;
    return X86EMUL_OKAY;
}

static struct segment_register *dtr(struct tmachine *m,
                                    enum x86_segment seg)
{
    if ( seg <= x86_seg_gs )
        return &m->sregs[seg];
    return seg == x86_seg_gdtr ? &m->gdtr :
           seg == x86_seg_idtr ? &m->idtr :
           seg == x86_seg_tr ? &m->tr :
           seg == x86_seg_ldtr ? &m->ldtr : NULL;
}

static int t_read_segment(enum x86_segment seg, struct segment_register *reg,
                          struct x86_emulate_ctxt *c)
{
    struct segment_register *r = dtr(tm(c), seg);

    if ( !r )
        return X86EMUL_UNHANDLEABLE;
    *reg = *r;
    return X86EMUL_OKAY;
}

static int t_write_segment(enum x86_segment seg,
                           const struct segment_register *reg,
                           struct x86_emulate_ctxt *c)
{
    struct segment_register *r = dtr(tm(c), seg);

    if ( !r )
        return X86EMUL_UNHANDLEABLE;
    *r = *reg;
    return X86EMUL_OKAY;
}

static int t_invlpg(enum x86_segment seg, uint64_t off,
                    struct x86_emulate_ctxt *c)
{
    (void)seg;
    tm(c)->invlpg_off = off;
    tm(c)->invlpgs++;
    return X86EMUL_OKAY;
}

/*
 * Bulk REP MOVS/STOS as a RAM-backed caller would do them: element by
 * element in order, through the same checks, stopping at the first
 * element that faults (the contract in x86_emulate.h).
 */
static int t_rep_movs(enum x86_segment seg, uint64_t src, uint64_t dst,
                      unsigned int bytes, unsigned long *reps,
                      struct x86_emulate_ctxt *c)
{
    struct tmachine *m = tm(c);
    unsigned long i;
    int rc = X86EMUL_OKAY;

    (void)seg;
    m->bulk_calls++;
    for ( i = 0; i < *reps; i++ )
    {
        uint64_t s = src + i * bytes, d = dst + i * bytes;

        rc = check(m, s, bytes, false, c);
        if ( rc == X86EMUL_OKAY )
            rc = check(m, d, bytes, true, c);
        if ( rc != X86EMUL_OKAY )
            break;
        memmove(&m->mem[d], &m->mem[s], bytes);
    }
    *reps = i;
    m->bulk_reps += i;
    return rc;
}

static int t_rep_stos(uint64_t dst, uint64_t val, unsigned int bytes,
                      unsigned long *reps, struct x86_emulate_ctxt *c)
{
    struct tmachine *m = tm(c);
    unsigned long i;
    int rc = X86EMUL_OKAY;

    m->bulk_calls++;
    for ( i = 0; i < *reps; i++ )
    {
        rc = check(m, dst + i * bytes, bytes, true, c);
        if ( rc != X86EMUL_OKAY )
            break;
        memcpy(&m->mem[dst + i * bytes], &val, bytes);
    }
    *reps = i;
    m->bulk_reps += i;
    return rc;
}

static int t_read_xmm(unsigned int reg, void *buf, unsigned int bytes,
                      struct x86_emulate_ctxt *c)
{
    if ( reg > 15 || (bytes != 16 && bytes != 32) )
        return X86EMUL_UNHANDLEABLE;
    memcpy(buf, tm(c)->xmm[reg], bytes);
    return X86EMUL_OKAY;
}

static int t_write_xmm(unsigned int reg, const void *buf, unsigned int bytes,
                       struct x86_emulate_ctxt *c)
{
    if ( reg > 15 || (bytes != 16 && bytes != 32) )
        return X86EMUL_UNHANDLEABLE;
    memcpy(tm(c)->xmm[reg], buf, bytes);
    return X86EMUL_OKAY;
}

const struct x86_emulate_ops tm_ops = {
    .read = t_read,
    .insn_fetch = t_fetch,
    .write = t_write,
    .cmpxchg = t_cmpxchg,
    .read_io = t_read_io,
    .write_io = t_write_io,
    .read_segment = t_read_segment,
    .write_segment = t_write_segment,
    .read_cr = t_read_cr,
    .write_cr = t_write_cr,
    .read_dr = t_read_dr,
    .write_dr = t_write_dr,
    .read_msr = t_read_msr,
    .write_msr = t_write_msr,
    .invlpg = t_invlpg,
    .read_xmm = t_read_xmm,
    .write_xmm = t_write_xmm,
};

const struct x86_emulate_ops tm_bulk_ops = {
    .read = t_read,
    .insn_fetch = t_fetch,
    .write = t_write,
    .cmpxchg = t_cmpxchg,
    .read_io = t_read_io,
    .write_io = t_write_io,
    .read_segment = t_read_segment,
    .write_segment = t_write_segment,
    .read_cr = t_read_cr,
    .write_cr = t_write_cr,
    .read_dr = t_read_dr,
    .write_dr = t_write_dr,
    .read_msr = t_read_msr,
    .write_msr = t_write_msr,
    .invlpg = t_invlpg,
    .read_xmm = t_read_xmm,
    .write_xmm = t_write_xmm,
    .rep_movs = t_rep_movs,
    .rep_stos = t_rep_stos,
};

void tm_reset(struct tmachine *m, enum x86_mode mode)
{
    memset(m, 0, sizeof(*m));
    m->ctxt.mode = mode;
    m->ctxt.data = m;
    m->ctxt.regs.rip = TM_CODE;
    m->ctxt.regs.rflags = X86_EFLAGS_MBS;
}

int tm_run(struct tmachine *m, const char *bytes, unsigned int n)
{
    memcpy(&m->mem[m->ctxt.regs.rip], bytes, n);
    m->reads = m->writes = m->cmpxchgs = 0;
    m->bulk_calls = m->bulk_reps = 0;
    return x86_emulate(&m->ctxt, m->bulk ? &tm_bulk_ops : &tm_ops);
}

uint64_t tm_read(struct tmachine *m, uint64_t addr, unsigned int bytes)
{
    uint64_t v = 0;

    memcpy(&v, &m->mem[addr], bytes);
    return v;
}

void tm_write(struct tmachine *m, uint64_t addr, uint64_t v,
              unsigned int bytes)
{
    memcpy(&m->mem[addr], &v, bytes);
}

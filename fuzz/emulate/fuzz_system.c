/* SPDX-License-Identifier: MIT */
/*
 * fuzz-emulate's system-state callbacks: control, debug and model-
 * specific registers, segments, INVLPG and the XMM registers, each
 * reading values drawn from the input and checking its arguments.
 */
#include <string.h>

#include "fuzz_emulate.h"

/* System state: every register reads as a value drawn from the input. */
uint64_t sys_value(unsigned int salt)
{
    uint64_t v = 0;
    unsigned int i;

    for ( i = 0; i < 8 && fz_mem_len; i++ )
        v = (v << 8) | fz_mem[(salt * 8 + i) % fz_mem_len];
    return v;
}

int f_read_cr(unsigned int reg, uint64_t *val,
                     struct x86_emulate_ctxt *c)
{
    (void)c;
    if ( reg > 8 )
        fail("control register number");
    *val = sys_value(reg);
    return X86EMUL_OKAY;
}

int f_write_reg(unsigned int reg, uint64_t val,
                       struct x86_emulate_ctxt *c)
{
    (void)val;
    (void)c;
    if ( reg > 8 )
        fail("control/debug register number");
    return X86EMUL_OKAY;
}

int f_read_dr(unsigned int reg, uint64_t *val,
                     struct x86_emulate_ctxt *c)
{
    (void)c;
    if ( reg > 7 || reg == 4 || reg == 5 )
        fail("debug register number");
    *val = sys_value(9 + reg);
    return X86EMUL_OKAY;
}

int f_read_msr(uint32_t reg, uint64_t *val,
                      struct x86_emulate_ctxt *c)
{
    (void)c;
    *val = sys_value(reg);
    return X86EMUL_OKAY;
}

int f_write_msr(uint32_t reg, uint64_t val,
                       struct x86_emulate_ctxt *c)
{
    (void)reg;
    (void)val;
    (void)c;
    return X86EMUL_OKAY;
}

int f_read_segment(enum x86_segment seg, struct segment_register *r,
                          struct x86_emulate_ctxt *c)
{
    (void)c;
    if ( seg > x86_seg_ldtr || seg == x86_seg_none )
        fail("segment number");
    memset(r, 0, sizeof(*r));
    r->base = sys_value(20 + seg);
    r->limit = sys_value(30 + seg);
    return X86EMUL_OKAY;
}

int f_write_segment(enum x86_segment seg,
                           const struct segment_register *r,
                           struct x86_emulate_ctxt *c)
{
    (void)r;
    (void)c;
    if ( seg > x86_seg_ldtr || seg == x86_seg_none )
        fail("segment number");
    return X86EMUL_OKAY;
}

int f_invlpg(enum x86_segment seg, uint64_t off,
                    struct x86_emulate_ctxt *c)
{
    (void)c;
    (void)seg;
    check_access(off, 1);
    return X86EMUL_OKAY;
}

int f_read_xmm(unsigned int reg, void *buf, unsigned int bytes,
                      struct x86_emulate_ctxt *c)
{
    uint8_t *p = buf;
    unsigned int i;

    (void)c;
    if ( reg > 15 || (bytes != 16 && bytes != 32) )
        fail("read_xmm arguments");
    for ( i = 0; i < bytes; i++ )
        p[i] = fz_mem_len ? fz_mem[(reg * 32 + i) % fz_mem_len] : 0;
    return X86EMUL_OKAY;
}

int f_write_xmm(unsigned int reg, const void *buf, unsigned int bytes,
                       struct x86_emulate_ctxt *c)
{
    (void)buf;
    (void)c;
    if ( reg > 15 || (bytes != 16 && bytes != 32) )
        fail("write_xmm arguments");
    return X86EMUL_OKAY;
}

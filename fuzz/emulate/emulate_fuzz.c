/* SPDX-License-Identifier: MIT */
/*
 * Fuzzing x86_emulate() and the decoder (core/emulate).
 *
 * Input: byte 0 picks the mode (and where RIP sits before a page end),
 * bytes 1-16 are the instruction, the next 144 (as many as there are)
 * the registers and flags, the rest the contents every memory read sees
 * (repeated). The instruction bytes are fetched through insn_fetch, which
 * faults past them, so the decoder's page-end prefetch and its exact
 * fallback both run.
 *
 * Invariants (the harness aborts when one fails):
 *  - x86_insn_length() on the bytes and the length x86_emulate() decoded
 *    agree: the same length, or the same #UD/#GP before any execution;
 *  - decoding the same bytes again (through the decode memo) gives the
 *    same instruction;
 *  - a decoded length is 1..15, and a longer encoding is #GP(0);
 *  - the return code is one of OKAY, UNHANDLEABLE, EXCEPTION, RETRY;
 *  - UNHANDLEABLE and RETRY change no register, and neither does an
 *    EXCEPTION except a REP string instruction's completed iterations;
 *  - callbacks see sane sizes (1-8 bytes, 16 for an aligned cmpxchg,
 *    16 or 32 for the SSE/AVX moves, ports 1/2/4, XMM0-15) and offsets
 *    within the address size; the bulk REP callbacks get a count no
 *    larger than rCX and the batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orrery/x86_emulate.h>

#include "fuzz_emulate.h"

#define INSN_BYTES 16

static uint8_t insn[INSN_BYTES];
const uint8_t *fz_mem;
size_t fz_mem_len;
static uint64_t rip0;
static unsigned int ad_limit_bytes;

void fail(const char *what)
{
    unsigned int i;

    fprintf(stderr, "emulate fuzz: %s\n  bytes:", what);
    for ( i = 0; i < INSN_BYTES; i++ )
        fprintf(stderr, " %02x", insn[i]);
    fprintf(stderr, "\n");
    abort();
}

void check_access(uint64_t off, unsigned int bytes)
{
    if ( (bytes < 1 || bytes > 8) && bytes != 16 && bytes != 32 )
        fail("memory access size");
    if ( ad_limit_bytes < 8 && (off >> (ad_limit_bytes * 8)) )
        fail("offset beyond the address size");
}

static int f_fetch(enum x86_segment seg, uint64_t off, void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *c)
{
    if ( seg != x86_seg_cs || bytes < 1 || bytes > 15 )
        fail("insn_fetch arguments");
    if ( off < rip0 || off + bytes > rip0 + INSN_BYTES )
        return x86_emul_pagefault(0x10, off, c);
    memcpy(buf, &insn[off - rip0], bytes);
    return X86EMUL_OKAY;
}

static int f_read(enum x86_segment seg, uint64_t off, void *buf,
                  unsigned int bytes, struct x86_emulate_ctxt *c)
{
    uint8_t *p = buf;
    unsigned int i;

    (void)seg;
    check_access(off, bytes);
    if ( !fz_mem_len )
        return x86_emul_pagefault(0, off, c);
    for ( i = 0; i < bytes; i++ )
        p[i] = fz_mem[(off + i) % fz_mem_len];
    return X86EMUL_OKAY;
}

static int f_write(enum x86_segment seg, uint64_t off, const void *buf,
                   unsigned int bytes, struct x86_emulate_ctxt *c)
{
    (void)seg;
    (void)buf;
    check_access(off, bytes);
    /* Odd pages fault: REP instructions stop part way. */
    if ( (off >> 12) & 1 )
        return x86_emul_pagefault(2, off, c);
    return X86EMUL_OKAY;
}

static int f_cmpxchg(enum x86_segment seg, uint64_t off, void *old,
                     const void *new, unsigned int bytes, bool lock,
                     struct x86_emulate_ctxt *c)
{
    uint8_t cur[16] = { 0 };
    int rc;

    (void)new;
    (void)lock;
    /* CMPXCHG16B: 16 bytes, and only at an aligned offset. */
    if ( bytes == 16 )
    {
        if ( off & 15 )
            fail("misaligned 16-byte cmpxchg");
        rc = f_read(seg, off, cur, 8, c);
        if ( rc == X86EMUL_OKAY )
            rc = f_read(seg, off + 8, cur + 8, 8, c);
    }
    else
        rc = f_read(seg, off, cur, bytes, c);
    if ( rc != X86EMUL_OKAY )
        return rc;
    if ( memcmp(cur, old, bytes) )
    {
        memcpy(old, cur, bytes);
        return X86EMUL_CMPXCHG_FAILED;
    }
    return X86EMUL_OKAY;
}

static int f_read_io(unsigned int port, unsigned int bytes, uint32_t *val,
                     struct x86_emulate_ctxt *c)
{
    (void)c;
    if ( port > 0xffff || (bytes != 1 && bytes != 2 && bytes != 4) )
        fail("port access");
    *val = 0xa5a5a5a5u & (bytes == 4 ? ~0u : (1u << (bytes * 8)) - 1);
    return X86EMUL_OKAY;
}

static int f_write_io(unsigned int port, unsigned int bytes, uint32_t val,
                      struct x86_emulate_ctxt *c)
{
    (void)c;
    if ( port > 0xffff || (bytes != 1 && bytes != 2 && bytes != 4) ||
         (bytes < 4 && (val >> (bytes * 8))) )
        fail("port access");
    return X86EMUL_OKAY;
}

/* Bulk REP MOVS/STOS: element by element with f_read/f_write's faults. */
static int f_rep_movs(enum x86_segment seg, uint64_t src, uint64_t dst,
                      unsigned int bytes, unsigned long *reps,
                      struct x86_emulate_ctxt *c)
{
    unsigned long i;
    uint64_t v = 0;
    int rc = X86EMUL_OKAY;

    if ( !*reps || *reps > X86_REP_BATCH )
        fail("rep_movs count");
    for ( i = 0; i < *reps && rc == X86EMUL_OKAY; i++ )
    {
        rc = f_read(seg, src + i * bytes, &v, bytes, c);
        if ( rc == X86EMUL_OKAY )
            rc = f_write(x86_seg_es, dst + i * bytes, &v, bytes, c);
    }
    if ( rc != X86EMUL_OKAY )
        *reps = i - 1;
    return rc;
}

static int f_rep_stos(uint64_t dst, uint64_t val, unsigned int bytes,
                      unsigned long *reps, struct x86_emulate_ctxt *c)
{
    unsigned long i;
    int rc = X86EMUL_OKAY;

    if ( !*reps || *reps > X86_REP_BATCH )
        fail("rep_stos count");
    for ( i = 0; i < *reps && rc == X86EMUL_OKAY; i++ )
        rc = f_write(x86_seg_es, dst + i * bytes, &val, bytes, c);
    if ( rc != X86EMUL_OKAY )
        *reps = i - 1;
    return rc;
}

static const struct x86_emulate_ops ops = {
    .read = f_read,
    .insn_fetch = f_fetch,
    .write = f_write,
    .cmpxchg = f_cmpxchg,
    .read_io = f_read_io,
    .write_io = f_write_io,
    .read_cr = f_read_cr,
    .write_cr = f_write_reg,
    .read_dr = f_read_dr,
    .write_dr = f_write_reg,
    .read_msr = f_read_msr,
    .write_msr = f_write_msr,
    .read_segment = f_read_segment,
    .write_segment = f_write_segment,
    .invlpg = f_invlpg,
    .read_xmm = f_read_xmm,
    .write_xmm = f_write_xmm,
};

/* The same with the bulk REP callbacks, for inputs that ask for them. */
static const struct x86_emulate_ops bulk_ops = {
    .read = f_read,
    .insn_fetch = f_fetch,
    .write = f_write,
    .cmpxchg = f_cmpxchg,
    .read_io = f_read_io,
    .write_io = f_write_io,
    .read_cr = f_read_cr,
    .write_cr = f_write_reg,
    .read_dr = f_read_dr,
    .write_dr = f_write_reg,
    .read_msr = f_read_msr,
    .write_msr = f_write_msr,
    .read_segment = f_read_segment,
    .write_segment = f_write_segment,
    .invlpg = f_invlpg,
    .read_xmm = f_read_xmm,
    .write_xmm = f_write_xmm,
    .rep_movs = f_rep_movs,
    .rep_stos = f_rep_stos,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum x86_mode modes[3] = {
        X86_MODE_16, X86_MODE_32, X86_MODE_64,
    };
    struct x86_emulate_ctxt c;
    struct x86_regs before;
    unsigned int vec = 0, i;
    size_t n;
    int len, rc;
    bool bulk;

    if ( size < 2 )
        return 0;
    memset(&c, 0, sizeof(c));
    c.mode = modes[data[0] % 3];
    /* RIP 0..15 bytes before a page end: the prefetch is cut short. */
    rip0 = 0x2000 - 16 + ((data[0] >> 2) & 15);
    if ( c.mode == X86_MODE_16 )
        c.sp_bytes = data[0] & 0x80 ? 4 : 2;
    data++, size--;

    memset(insn, 0x90, sizeof(insn));
    n = size < INSN_BYTES ? size : INSN_BYTES;
    memcpy(insn, data, n);
    data += n, size -= n;
    n = size < sizeof(c.regs) ? size : sizeof(c.regs);
    memcpy(&c.regs, data, n);
    data += n, size -= n;
    fz_mem = data;
    fz_mem_len = size;
    c.regs.rip = rip0;
    /* RFLAGS bits 32-37 and 40 pick the CPUID features (X86_FEAT_*),
     * 38-39 the CPL, 41 the bulk REP callbacks, 42-43 XCR0 bits 1-2. */
    c.features = ((c.regs.rflags >> 32) & 0x3f) |
                 ((c.regs.rflags >> 34) & X86_FEAT_AVX);
    c.cpl = (c.regs.rflags >> 38) & 3;
    bulk = (c.regs.rflags >> 41) & 1;
    c.xcr0 = (c.regs.rflags >> 41) & 6;
    c.regs.rflags &= 0xffffffffu;
    if ( c.mode != X86_MODE_64 )
        for ( i = 0; i < 16; i++ )
            c.regs.gpr[i] &= 0xffffffffu;

    len = x86_insn_length(insn, INSN_BYTES, c.mode, &vec);
    if ( len > 15 || len < 0 )
        fail("x86_insn_length out of range");

    /* Decoding twice, the second time from the context's memo, gives
     * the same instruction; x86_emulate() then starts from the memo. */
    if ( x86_decode(&c, &ops) == X86EMUL_OKAY )
    {
        struct x86_insn first = c.insn;

        if ( x86_decode(&c, &ops) != X86EMUL_OKAY ||
             memcmp(&first, &c.insn, sizeof(first)) )
            fail("decoding again (memo) gave another instruction");
    }

    /* Offsets may span the widest address the instruction can form. */
    ad_limit_bytes = 8;
    before = c.regs;
    rc = x86_emulate(&c, bulk ? &bulk_ops : &ops);

    if ( len > 0 )
    {
        if ( c.insn.len != len )
            fail("decode-only and execute lengths differ");
    }
    else if ( rc != X86EMUL_EXCEPTION || c.event.vector != vec ||
              c.insn.len != 0 )
        fail("decode-only fault not raised by x86_emulate");
    if ( len == 0 && vec == X86_EXC_GP &&
         (!c.event.has_error_code || c.event.error_code) )
        fail("#GP for length must carry error code 0");

    switch ( rc )
    {
    case X86EMUL_OKAY:
        break;
    case X86EMUL_EXCEPTION:
        if ( c.event.vector > 31 &&
             c.event.type != X86_EVENTTYPE_SW_INTERRUPT )
            fail("bad vector");
        if ( c.event.type != X86_EVENTTYPE_HW_EXCEPTION &&
             c.event.insn_len != c.insn.len )
            fail("software event without its instruction length");
        /* Only a REP string instruction keeps partial progress. */
        if ( memcmp(&before, &c.regs, sizeof(before)) &&
             !(c.insn.map == X86_MAP_1B &&
               ((c.insn.opcode >= 0xa4 && c.insn.opcode <= 0xaf) ||
                (c.insn.opcode >= 0x6c && c.insn.opcode <= 0x6f)) &&
               (c.insn.prefixes & (X86_PFX_REP | X86_PFX_REPNE))) )
            fail("registers changed by a faulting instruction");
        if ( c.regs.rip != before.rip )
            fail("RIP moved on a fault");
        break;
    case X86EMUL_UNHANDLEABLE: case X86EMUL_RETRY:
        if ( memcmp(&before, &c.regs, sizeof(before)) )
            fail("registers changed by UNHANDLEABLE/RETRY");
        break;
    default:
        fail("unknown return code");
    }
    return 0;
}

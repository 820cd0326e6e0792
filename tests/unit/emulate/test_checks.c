/* SPDX-License-Identifier: MIT */
/*
 * Address checks: non-canonical addresses raise #GP(0), or #SS(0)
 * through SS, before any callback runs; the helpers callbacks use for
 * segment limits and types, alignment (#AC) and #PF error codes.
 */
#include <string.h>

#include "suites.h"

#include "machine.h"

static struct tmachine m;

#define NONCANON 0x0000800000000000ull

static void assert_fault(int rc, unsigned int vector)
{
    CU_ASSERT_EQUAL(rc, X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, vector);
    CU_ASSERT(m.ctxt.event.has_error_code);
    CU_ASSERT_EQUAL(m.ctxt.event.error_code, 0);
}

static void test_noncanonical(void)
{
    /* mov eax, [rbx] with RBX non-canonical: #GP(0), no callback. */
    tm_reset(&m, X86_MODE_64);
    R(&m, RBX) = NONCANON;
    assert_fault(TM_RUN(&m, "\x8b\x03"), X86_EXC_GP);
    CU_ASSERT_EQUAL(m.reads, 0);
    /* The last byte counts: 8 bytes at 2^47 - 4 cross into it. */
    R(&m, RBX) = NONCANON - 4;
    assert_fault(TM_RUN(&m, "\x48\x8b\x03"), X86_EXC_GP);
    /* Through rBP the segment is SS: #SS(0). */
    R(&m, RBP) = NONCANON;
    assert_fault(TM_RUN(&m, "\x8b\x45\x00"), X86_EXC_SS);
    /* push with a non-canonical RSP: #SS(0), RSP unchanged. */
    R(&m, RSP) = NONCANON + 8;
    assert_fault(TM_RUN(&m, "\x50"), X86_EXC_SS);
    ORR_ASSERT_EQ_U64(R(&m, RSP), NONCANON + 8);
    /* Stores and locked updates as well. */
    R(&m, RBX) = NONCANON;
    assert_fault(TM_RUN(&m, "\x89\x03"), X86_EXC_GP);
    assert_fault(TM_RUN(&m, "\xf0\x0f\xb1\x0b"), X86_EXC_GP);
    CU_ASSERT_EQUAL(m.writes + m.cmpxchgs, 0);
    /* FS is the callback's business (its base is not known here). */
    R(&m, RBX) = 0x2000;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x64\x8b\x03"), X86EMUL_OKAY);
    /* Upper-half canonical addresses are fine (the machine then faults
     * them as outside its memory: #PF, not #GP). */
    m.ctxt.regs.rip = TM_CODE;
    R(&m, RBX) = 0xffff800000000000ull;
    CU_ASSERT_EQUAL(TM_RUN(&m, "\x8b\x03"), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(m.ctxt.event.vector, X86_EXC_PF);
}

static void test_seg_check(void)
{
    struct segment_register data = { .attr = 0x93, .limit = 0xffff };
    struct segment_register ro = { .attr = 0x91, .limit = 0xffff };
    struct segment_register code = { .attr = 0x9b, .limit = 0xffff };
    struct segment_register xo = { .attr = 0x99, .limit = 0xffff };
    struct segment_register down = { .attr = 0x97, .limit = 0x0fff };
    struct segment_register down32 = { .attr = 0x497, .limit = 0x0fff };
    struct segment_register null = { 0 };
    struct x86_emulate_ctxt *c = &m.ctxt;

    tm_reset(&m, X86_MODE_32);
    /* Expand-up: the last byte must be within the limit. */
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ds, &data, 0xfffc, 4,
                                  X86_ACCESS_READ, c), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ds, &data, 0xfffd, 4,
                                  X86_ACCESS_READ, c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c->event.vector, X86_EXC_GP);
    /* Through SS it is #SS(0). */
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ss, &data, 0x10000, 1,
                                  X86_ACCESS_WRITE, c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c->event.vector, X86_EXC_SS);
    /* Types: read-only data, code, execute-only code. */
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_es, &ro, 0, 1, X86_ACCESS_WRITE,
                                  c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_es, &ro, 0, 1, X86_ACCESS_READ,
                                  c), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_cs, &code, 0, 1, X86_ACCESS_WRITE,
                                  c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_cs, &code, 0, 1, X86_ACCESS_READ,
                                  c), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_cs, &xo, 0, 1, X86_ACCESS_READ,
                                  c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_cs, &xo, 0, 1, X86_ACCESS_FETCH,
                                  c), X86EMUL_OKAY);
    /* Null selector: #GP(0). */
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_fs, &null, 0, 1, X86_ACCESS_READ,
                                  c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c->event.vector, X86_EXC_GP);
    /* Expand-down: valid above the limit, up to 64K (B = 0) or 4G. */
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ss, &down, 0x0fff, 1,
                                  X86_ACCESS_READ, c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ss, &down, 0x1000, 4,
                                  X86_ACCESS_READ, c), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ss, &down, 0xfffe, 4,
                                  X86_ACCESS_READ, c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ss, &down32, 0xfffe, 4,
                                  X86_ACCESS_READ, c), X86EMUL_OKAY);
    /* 64-bit mode: no limits; FS/GS with their base must be canonical. */
    tm_reset(&m, X86_MODE_64);
    data.base = NONCANON - 0x1000;
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_ds, &data, 0x100000, 8,
                                  X86_ACCESS_READ, c), X86EMUL_OKAY);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_gs, &data, 0xffc, 8,
                                  X86_ACCESS_READ, c), X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c->event.vector, X86_EXC_GP);
    CU_ASSERT_EQUAL(x86_seg_check(x86_seg_gs, &data, 0xff8, 8,
                                  X86_ACCESS_READ, c), X86EMUL_OKAY);
}

static void test_alignment_check(void)
{
    struct x86_emulate_ctxt *c = &m.ctxt;

    tm_reset(&m, X86_MODE_32);
    c->cpl = 3;
    c->regs.rflags |= X86_EFLAGS_AC;
    CU_ASSERT_EQUAL(x86_alignment_check(X86_CR0_AM, 0x1002, 4, c),
                    X86EMUL_EXCEPTION);
    CU_ASSERT_EQUAL(c->event.vector, X86_EXC_AC);
    CU_ASSERT(c->event.has_error_code);
    CU_ASSERT_EQUAL(c->event.error_code, 0);
    CU_ASSERT_EQUAL(x86_alignment_check(X86_CR0_AM, 0x1004, 4, c),
                    X86EMUL_OKAY);
    CU_ASSERT_EQUAL(x86_alignment_check(X86_CR0_AM, 0x1001, 1, c),
                    X86EMUL_OKAY);
    /* Each of CR0.AM, EFLAGS.AC and CPL 3 is needed. */
    CU_ASSERT_EQUAL(x86_alignment_check(0, 0x1002, 4, c), X86EMUL_OKAY);
    c->cpl = 0;
    CU_ASSERT_EQUAL(x86_alignment_check(X86_CR0_AM, 0x1002, 4, c),
                    X86EMUL_OKAY);
    c->cpl = 3;
    c->regs.rflags &= ~(uint64_t)X86_EFLAGS_AC;
    CU_ASSERT_EQUAL(x86_alignment_check(X86_CR0_AM, 0x1002, 4, c),
                    X86EMUL_OKAY);
}

static void test_pf_error_code(void)
{
    /* A user write to a present read-only page: P | W | U = 7. */
    CU_ASSERT_EQUAL(x86_pf_error_code(X86_ACCESS_WRITE, true, true, false,
                                      false), 7);
    /* A supervisor read of a not-present page: 0. */
    CU_ASSERT_EQUAL(x86_pf_error_code(X86_ACCESS_READ, false, false, false,
                                      false), 0);
    /* A fetch: I/D only when NX or SMEP is on. */
    CU_ASSERT_EQUAL(x86_pf_error_code(X86_ACCESS_FETCH, true, false, false,
                                      true), X86_PFEC_PRESENT |
                                             X86_PFEC_INSN);
    CU_ASSERT_EQUAL(x86_pf_error_code(X86_ACCESS_FETCH, true, false, false,
                                      false), X86_PFEC_PRESENT);
    /* A reserved bit implies P. */
    CU_ASSERT_EQUAL(x86_pf_error_code(X86_ACCESS_READ, false, false, true,
                                      false), X86_PFEC_PRESENT |
                                             X86_PFEC_RSVD);
    /* The helper feeds x86_emul_pagefault. */
    x86_emul_pagefault(x86_pf_error_code(X86_ACCESS_WRITE, false, true,
                                         false, false), 0x1234, &m.ctxt);
    CU_ASSERT_EQUAL(m.ctxt.event.error_code, X86_PFEC_WRITE |
                                             X86_PFEC_USER);
    ORR_ASSERT_EQ_U64(m.ctxt.event.cr2, 0x1234);
}

CU_TestInfo checks_tests[] = {
    ORR_CASE(test_noncanonical),
    ORR_CASE(test_seg_check),
    ORR_CASE(test_alignment_check),
    ORR_CASE(test_pf_error_code),
    CU_TEST_INFO_NULL,
};
